"""samestory delete / DELETE /articles/{id}: an article leaves the store, its story is re-formed without it."""

import pytest

from samestory import SQLiteStore, ingest, load_settings
from samestory.cli import main
from samestory.pipeline import delete


@pytest.fixture()
def store_path(tmp_path, fixtures):
    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        ingest(fixtures / "topic1.jsonl", store, settings=load_settings())
    return path


def _members(store):
    return {sid: set(store.get_story(sid).articles) for sid in {store.story_of(a.id)[0] for a in store.iter_articles()}}


def test_delete_re_forms_the_story_and_leaves_the_store_whole(store_path):
    with SQLiteStore(store_path) as store:
        before = _members(store)
        big = max(before, key=lambda s: len(before[s]))
        victim = sorted(before[big])[0]
        n = store.count_articles()
        deleted, missing = delete(store, [victim, "no-such-id"])
        assert (deleted, missing) == ([victim], ["no-such-id"])
        assert store.get_article(victim) is None and store.story_of(victim) is None
        assert store.count_articles() == n - 1
        after = _members(store)
        assert all(victim not in m for m in after.values())
        assert set().union(*after.values()) == set().union(*before.values()) - {victim}
        assert store.check() == [] and store.pending_stories() == set() and store.repair_due() == set()


def test_deleting_every_member_removes_the_story(store_path):
    with SQLiteStore(store_path) as store:
        before = _members(store)
        sid = min(before, key=lambda s: len(before[s]))
        delete(store, sorted(before[sid]))
        assert store.get_story(sid) is None or not (set(store.get_story(sid).articles) & before[sid])
        assert store.count_stories() == len(before) - 1 and store.check() == []


def test_delete_command(store_path, capsys):
    with SQLiteStore(store_path) as store:
        victim = next(store.iter_articles()).id
    assert main(["delete", victim, "--db", str(store_path)]) == 0
    assert "deleted 1 articles" in capsys.readouterr().err
    assert main(["delete", victim, "--db", str(store_path)]) == 2  # no longer there: said, non-zero
    assert f"no article {victim}" in capsys.readouterr().err
    assert main(["delete", "x", "--db", str(store_path.parent / "typo.db")]) == 2  # no store: not created
    assert not (store_path.parent / "typo.db").exists()
