"""A person's corrections (merge, move, split): applied at once, logged, and respected by later repairs."""

import json

import pytest

from samestory import SQLiteStore, ingest, load_settings
from samestory.cli import main
from samestory.clustering.incremental import respect_pins
from samestory.errors import InputError
from samestory.pipeline import correct, repair_all
from tests.conftest import FIXTURES


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "s.db"
    with SQLiteStore(path) as store:
        ingest(FIXTURES / "topic1.jsonl", store, settings=load_settings())
    return path


def _groups(store):
    return {sid: set(store.get_story(sid).articles) for sid in {store.story_of(a.id)[0] for a in store.iter_articles()}}


def test_respect_pins_splits_and_joins():
    assert respect_pins([[0, 1, 2], [3]], [None] * 4) == [[0, 1, 2], [3]]  # no pins: as they are
    # 0 and 3 pinned together, 1 pinned apart from them: 1 leaves, 3 joins 0, the unpinned 2 stays with the majority
    assert respect_pins([[0, 1, 2], [3]], ["a", "b", None, "a"]) == [[0, 2, 3], [1]]


def test_a_merge_survives_repair_and_is_logged(db):
    with SQLiteStore(db) as store:
        before = _groups(store)
        a, b = sorted(before, key=lambda s: (-len(before[s]), s))[:2]
        made = correct(store, "merge", stories=[a, b])
        assert made == a and set(store.get_story(a).articles) == before[a] | before[b]
        assert store.get_story(b).id == a  # the merged-away id answers with the story it went into
        repair_all(store, settings=load_settings())
        after = _groups(store)
        assert any(m >= before[a] | before[b] for m in after.values())
        assert store.check() == []
        [entry] = store.corrections()
        assert entry["action"] == "merge" and entry["stories"] == [a, b] and entry["result"] == a


def test_move_and_split_survive_repair(db):
    with SQLiteStore(db) as store:
        groups = _groups(store)
        big = max(groups, key=lambda s: (len(groups[s]), s))
        other = next(s for s in sorted(groups) if s != big)
        mover = sorted(groups[big])[0]
        correct(store, "move", stories=[other], articles=[mover])
        assert store.story_of(mover)[0] == other
        leaving = sorted(groups[big] - {mover})[:1]
        new = correct(store, "split", stories=[big], articles=leaving)
        assert store.story_of(leaving[0])[0] == new != big
        repair_all(store, settings=load_settings())
        assert store.story_of(mover)[0] != store.story_of(sorted(groups[big] - {mover} - set(leaving))[0])[0]
        assert store.story_of(mover)[0] == store.story_of(sorted(groups[other])[0])[0]
        assert store.story_of(leaving[0])[0] != store.story_of(sorted(groups[big] - {mover} - set(leaving))[0])[0]
        assert store.check() == [] and [e["action"] for e in store.corrections()] == ["move", "split"]
        with pytest.raises(InputError, match="no story"):
            correct(store, "merge", stories=["nope", big])
        with pytest.raises(InputError, match="not in story"):
            correct(store, "split", stories=[big], articles=[mover])


def test_correct_command(db, capsys):
    with SQLiteStore(db) as store:
        groups = _groups(store)
    a, b = sorted(groups)[:2]
    assert main(["correct", "merge", a, b, "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == a
    assert main(["correct", "log", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["action"] == "merge"
    assert main(["correct", "move", a, "--db", str(db)]) == 2  # no article to move: said
    assert main(["correct", "merge", a, "--db", str(db)]) == 2
