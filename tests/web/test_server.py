"""The real server (uvicorn) keeps serving while a client is slow; how its placer process is started."""

import socket
import time

import httpx
import pytest


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


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    from pathlib import Path

    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    from pathlib import Path

    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_placer_is_a_process_of_its_own_and_ends_with_a_killed_server(demo_db, tmp_path):
    """A post is placed by the placer process; killing the server (SIGKILL, no shutdown) ends the placer too."""
    import os
    import shutil
    import signal
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    if not Path("/proc").is_dir():
        pytest.skip("needs Linux /proc to find the server's processes")
    db = tmp_path / "k.db"
    shutil.copy(demo_db, db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "samestory"
    server = subprocess.Popen([str(exe), "-q", "serve", "--db", str(db), "--port", str(port)], start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                if httpx.get(base + "/health", timeout=5).json()["placer"] == "ready":
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        placers = _children(server.pid)
        assert len(placers) == 1, placers
        (placer,) = placers
        r = httpx.post(base + "/articles?wait=60", timeout=90,
                       json={"id": "p1", "text": "A ferry caught fire off Naxos on Monday. All 300 passengers were rescued, "
                                                 "the coast guard said."})
        assert r.status_code == 201 and r.json()["articles"][0]["story"]
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
        for _ in range(300):  # it ends after its current run (none here): at once
            if not _alive(placer):
                break
            time.sleep(0.1)
        assert not _alive(placer), "the placer outlived its server"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


def test_a_placer_that_ended_is_started_again_by_the_next_post_and_its_end_is_logged(tmp_path, caplog):
    import logging
    import os
    import signal

    from samestory import load_settings
    from samestory.web.placer import Placer

    placer = Placer(str(tmp_path / "p.db"), load_settings(), warm=False)
    placer.start()
    try:
        first = placer.pid
        os.kill(first, signal.SIGKILL)
        for _ in range(100):
            if not placer.alive:
                break
            time.sleep(0.05)
        with caplog.at_level(logging.WARNING, logger="samestory.web.placer"):
            placer.wake()
        assert placer.alive and placer.pid != first
        assert "the placer ended (exit code -9)" in caplog.text
    finally:
        placer.stop()
    assert not placer.alive


def test_the_placer_process_runs_its_numeric_libraries_on_one_thread(tmp_path, monkeypatch):
    # OpenMP (LightGBM) and BLAS would spread the placer's small batches over every core and spin there, taking the
    # cores the server answers readers on
    from samestory import load_settings
    from samestory.web import placer

    started = {}

    class Started(Exception):
        pass

    def popen(args, **kwargs):
        started.update(kwargs)
        raise Started

    monkeypatch.setattr(placer.subprocess, "Popen", popen)
    monkeypatch.setenv("SAMESTORY_SEEN", "kept")
    with pytest.raises(Started):
        placer.Placer(str(tmp_path / "s.db"), load_settings()).start()
    env = started["env"]
    assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == "1" and env["SAMESTORY_SEEN"] == "kept"
