import os
import sqlite3

import pytest

from samestory import SQLiteStore, StoreError, article_from_dict, ingest, load_settings
from samestory.store._schema import SCHEMA_VERSION


def _art(i, text=None, **kw):
    return article_from_dict({"id": f"a{i}", "text": text or f"Body of article {i}.", **kw})


def test_add_and_get(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        result = store.add_articles([_art(1, published="2013-05-03"), _art(2)])
        assert (result.added, result.unchanged) == (2, 0)
        got = store.get_article("a1")
        assert got == _art(1, published="2013-05-03")
        assert store.get_article("zzz") is None
        assert [a.id for a in store.iter_articles()] == ["a1", "a2"]


def test_reingest_is_a_no_op(tmp_path, fixtures):
    settings = load_settings(overrides={"ingest": {"batch_size": 5}})
    with SQLiteStore(tmp_path / "s.db") as store:
        first = ingest(fixtures / "topic1.jsonl", store, settings=settings, stories=False)
        again = ingest(fixtures / "topic1.jsonl", store, settings=settings, stories=False)
        assert (first.added, first.unchanged) == (12, 0)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 12)
        assert store.count_articles() == 12


def test_same_content_without_id_is_a_no_op(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles([article_from_dict({"text": "No id here."})])
        result = store.add_articles([article_from_dict({"text": "No  id here."})])
        assert result.unchanged == 1 and store.count_articles() == 1


def test_same_id_new_text_is_an_update(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles([_art(1)])
        result = store.add_articles([_art(1, text="Corrected body.")])
        assert result.updated == 1
        assert store.get_article("a1").text == "Corrected body."
        version = store._db.execute("SELECT version FROM articles WHERE id='a1'").fetchone()[0]
        assert version == 2


def test_batch_is_one_transaction(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:

        def bad():
            yield _art(1)
            raise RuntimeError("reader broke mid-batch")

        with pytest.raises(RuntimeError):
            store.add_articles(bad())
        assert store.count_articles() == 0


def test_wal_mode_and_schema_version(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.schema_version == SCHEMA_VERSION


def test_reopen_keeps_articles(tmp_path):
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_articles([_art(1)])
    with SQLiteStore(tmp_path / "s.db") as store:
        assert store.count_articles() == 1


def test_not_sqlite_file_is_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my precious notes")
    with pytest.raises(StoreError, match="not a samestory database"):
        SQLiteStore(path)
    assert path.read_text() == "my precious notes"


def test_other_programs_database_is_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE customers (name TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        SQLiteStore(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer than this samestory"):
        SQLiteStore(path)


def test_older_schema_is_migrated(tmp_path, monkeypatch):
    """A store made with fewer migrations is brought up to date on open, keeping its rows."""
    from samestory.store import _schema
    from samestory.store import sqlite as sqlite_mod

    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        store.add_articles([_art(1)])
    extra = "CREATE TABLE later_feature (x INTEGER)"
    monkeypatch.setattr(sqlite_mod, "MIGRATIONS", [*_schema.MIGRATIONS, extra])
    monkeypatch.setattr(sqlite_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with SQLiteStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION + 1
        assert store.count_articles() == 1
        tables = {r[0] for r in store._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "later_feature" in tables


def test_the_library_s_ingest_places_the_articles_in_stories(tmp_path, fixtures):
    with SQLiteStore(tmp_path / "s.db") as store:
        ingest(fixtures / "topic1.jsonl", store)
        total, stories = store.list_stories(limit=50)
        assert total >= 1 and sum(len(s.articles) for s in stories) == 12


def test_check_names_what_is_wrong_with_the_stories(tmp_path, fixtures):
    with SQLiteStore(tmp_path / "s.db") as store:
        ingest(fixtures / "topic1.jsonl", store)
        assert store.check() == []
        sid, data = store._db.execute("SELECT id, data FROM stories LIMIT 1").fetchone()
        store._db.execute("INSERT INTO stories (id, title, size, sources, entities, data, updated_at) VALUES ('ghost', 't', 1, '[]', '[]', ?, 'now')", (data,))
        problems = store.check()
    assert "story ghost has no placed article" in problems
    assert any("in two story records" in p for p in problems)


def test_stats(tmp_path, fixtures):
    with SQLiteStore(tmp_path / "s.db") as store:
        ingest(fixtures / "topic1.jsonl", store, stories=False)
        stats = store.stats(top=3)
    assert stats.articles == 12
    assert stats.languages == (("en", 12),)
    assert len(stats.sources) <= 3
    assert stats.first_published <= stats.last_published


def test_one_writer_at_a_time(tmp_path):
    """A second writer waits for the first, then gives up with a message naming it; the lock is re-entrant
    within one store object and released when the writer finishes."""
    db = tmp_path / "w.db"
    with SQLiteStore(db) as first, SQLiteStore(db) as second:
        with first.writing():
            with first.writing():  # re-entrant
                pass
            with pytest.raises(StoreError, match=f"another samestory process is writing.*pid {os.getpid()}"):
                with second.writing(wait=0.2):
                    pass
        with second.writing(wait=0.2):  # released
            pass


def test_the_stories_version_moves_with_placements_not_with_articles(tmp_path):
    """A writer holding stories in memory (the server) reloads them when another process placed articles, not when
    articles were only added (the server's own posts add them through another connection)."""
    from samestory.pipeline import update_stories

    db = tmp_path / "v.db"
    with SQLiteStore(db) as mine, SQLiteStore(db) as other:
        assert mine.stories_version() == 0
        other.add_articles([article_from_dict({"id": "one", "text": "Something happened in the town on Monday."})])
        assert mine.stories_version() == 0
        update_stories(other)
        assert mine.stories_version() > 0
