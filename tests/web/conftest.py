import json
import shutil
import socket
import threading
import time

import pytest

from samestory.cli import main
from tests._data import demo_docs

TOKEN = "test-token"


@pytest.fixture(scope="package")
def demo_db(tmp_path_factory):
    """A store with two ECB+ topics ingested and placed in stories."""
    tmp = tmp_path_factory.mktemp("web")
    docs = [d for d in demo_docs().values() if d["meta"]["topic"] in (1, 8)]
    src = tmp / "demo.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in docs))
    db = str(tmp / "web.db")
    assert main(["-q", "ingest", str(src), "--db", db]) == 0
    return db


@pytest.fixture()
def client(demo_db, tmp_path):
    import shutil

    from fastapi.testclient import TestClient

    from samestory.web import create_app

    db = tmp_path / "copy.db"
    shutil.copy(demo_db, db)  # each test writes to its own copy
    with TestClient(create_app(str(db), token=TOKEN, max_body=200_000, warm=False), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="package")
def server(demo_db, tmp_path_factory):
    import uvicorn

    from samestory.web import create_app

    db = tmp_path_factory.mktemp("server") / "b.db"
    shutil.copy(demo_db, db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(2400):  # start-up loads the models: up to two minutes on a slow machine
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
