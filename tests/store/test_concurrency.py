"""Two writers on one store: the second waits for the first (or gives up with a message), and the store stays whole:
every article in exactly one story record, no story without placements, SQLite's integrity check clean. And an
ingest killed at a random moment: the next one finishes its work, and nothing is lost."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from samestory.store import SQLiteStore
from tests._data import demo_docs


def test_two_concurrent_ingests_leave_the_store_whole(tmp_path):
    db = tmp_path / "both.db"
    files = []
    for n, topics in enumerate(((1, 3), (3, 8))):  # topic 3 in both: the same articles offered twice
        path = tmp_path / f"part{n}.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in demo_docs().values() if d["meta"]["topic"] in topics))
        files.append(path)
    procs = [subprocess.Popen([sys.executable, "-m", "samestory", "-q", "ingest", str(f), "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    results = [(p.returncode, out[1]) for p in procs for out in [p.communicate(timeout=600)]]
    for code, err in results:
        assert code == 0 or (code == 2 and "SS305" in err), err[-2000:]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    articles = {r[0] for r in con.execute("SELECT id FROM articles")}
    placed = dict(con.execute("SELECT article_id, story_id FROM placements").fetchall())
    assert set(placed) == articles  # each article placed once (article_id is the key)
    members: dict[str, list[str]] = {}
    for sid, data in con.execute("SELECT id, data FROM stories"):
        members[sid] = json.loads(data)["articles"]
    in_records = [a for arts in members.values() for a in arts]
    assert sorted(in_records) == sorted(articles)  # each article in exactly one story record
    assert set(members) == set(placed.values())  # no ghost story, no placement without its record
    with SQLiteStore(db) as store:
        assert store.check() == []


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """One topic's articles, and the stories and duration of an ingest never interrupted."""
    tmp = tmp_path_factory.mktemp("kill")
    src = tmp / "in.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in demo_docs().values() if d["meta"]["topic"] == 1))
    t0 = time.perf_counter()
    assert _ingest(src, tmp / "ref.db").wait(timeout=600) == 0
    with SQLiteStore(tmp / "ref.db") as store:
        stories = {frozenset(s.articles) for s in store.list_stories(limit=10_000)[1]}
        return src, stories, store.count_articles(), time.perf_counter() - t0


def _ingest(src, db):
    return subprocess.Popen([sys.executable, "-m", "samestory", "-q", "ingest", str(src), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_ingest_killed_at_a_random_moment_loses_nothing(tmp_path, uninterrupted, seed):
    """SIGKILL at a random moment of the run, then the same ingest again: no process left, the store whole, every
    article there, the stories those of a run never interrupted (benchmarks/bench_kill.py does it 100 times)."""
    src, reference, articles, duration = uninterrupted
    db = tmp_path / "k.db"
    proc = _ingest(src, db)
    try:
        proc.wait(timeout=random.Random(seed).uniform(0.1, 1.0) * duration)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the analysis workers die with their parent
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("a process of the killed ingest is still running")
    assert _ingest(src, db).wait(timeout=600) == 0
    with SQLiteStore(db) as store:
        assert store.check() == []
        assert store.count_articles() == articles
        assert {frozenset(s.articles) for s in store.list_stories(limit=10_000)[1]} == reference


def _open_and_close(path):
    from samestory import SQLiteStore

    SQLiteStore(path).close()
    return True


def test_processes_opening_one_new_store_at_once_all_succeed(tmp_path):
    """Each makes or migrates the store; the ones that lose the race find it made (no "table already exists", no
    "locked", no "another program's database")."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        for k in range(6):
            path = str(tmp_path / f"new{k}.db")
            assert pool.map(_open_and_close, [path] * 4) == [True] * 4
