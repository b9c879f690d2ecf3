import json

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
    with TestClient(create_app(str(db), token=TOKEN, max_body=200_000), raise_server_exceptions=False) as c:
        yield c
