"""samestory export and GET /stories.csv ...: the tables round-trip into pandas."""

import io

import pandas as pd
import pytest

from samestory import SQLiteStore, ingest, load_settings
from samestory.cli import main
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "s.db"
    with SQLiteStore(path) as store:
        ingest(FIXTURES / "topic1.jsonl", store, settings=load_settings())
    return str(path)


def _placed(db):
    with SQLiteStore(db) as store:
        return {a.id: store.story_of(a.id)[0] for a in store.iter_articles()}, store.count_stories()


def test_each_table_round_trips_through_csv_jsonl_and_parquet(db, tmp_path, capsys):
    placed, n_stories = _placed(db)
    for fmt, load in (("csv", pd.read_csv), ("jsonl", lambda p: pd.read_json(p, lines=True)), ("parquet", pd.read_parquet)):
        for what in ("stories", "assignments", "articles"):
            out = tmp_path / f"{what}.{fmt}"
            assert main(["export", "--what", what, "--format", fmt, "--out", str(out), "--db", db]) == 0
            frame = load(out)
            if what == "stories":
                assert len(frame) == n_stories and frame["size"].sum() == len(placed)
            elif what == "assignments":
                assert dict(zip(frame["article"], frame["story"])) == placed
            else:
                assert set(frame["id"]) == set(placed) and frame["text"].str.len().min() > 0
    capsys.readouterr()
    assert main(["export", "--db", db]) == 0  # CSV of the stories on standard output
    assert len(pd.read_csv(io.StringIO(capsys.readouterr().out))) == n_stories
    assert main(["export", "--format", "parquet", "--db", db]) == 2  # a binary file needs --out
    assert main(["export", "--db", str(tmp_path / "typo.db")]) == 2 and not (tmp_path / "typo.db").exists()


def test_the_api_streams_the_same_tables(db):
    from fastapi.testclient import TestClient

    from samestory.web import create_app

    placed, n_stories = _placed(db)
    with TestClient(create_app(db, warm=False)) as client:
        r = client.get("/assignments.csv")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert dict(zip(*(pd.read_csv(io.StringIO(r.text))[c] for c in ("article", "story")))) == placed
        stories = pd.read_json(io.StringIO(client.get("/stories.jsonl").text), lines=True)
        assert len(stories) == n_stories and sorted(sum(stories["articles"], [])) == sorted(placed)
        assert len(pd.read_csv(io.StringIO(client.get("/articles.csv").text))) == len(placed)
