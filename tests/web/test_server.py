"""The real server (uvicorn) keeps serving while a client is slow."""

import socket
import time

import httpx


def test_a_slow_client_does_not_block_others(server):
    host, port = server.removeprefix("http://").split(":")
    slow = socket.create_connection((host, int(port)))
    try:
        # headers and the start of a body, then nothing: the server must not wait on it to serve others
        slow.sendall(b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"te")
        time.sleep(0.2)
        for _ in range(5):  # a request stuck behind the slow one would time out and fail here
            assert httpx.get(server + "/health", timeout=10).status_code == 200
            assert httpx.get(server + "/stories", timeout=10).status_code == 200
    finally:
        slow.close()
    assert httpx.get(server + "/health", timeout=10).json()["status"] == "ok"
