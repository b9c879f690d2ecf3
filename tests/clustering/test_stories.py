"""Incremental clustering, repair, copies, coverage and stories in the store."""

import json
import random
from datetime import timedelta
from dataclasses import replace

import numpy as np
import pytest

from samestory import (
    StoryClusterer,
    analyse_all,
    article_from_dict,
    clean_one,
    cluster,
    copy_groups,
    coverage,
    open_store,
    story_from_dict,
    story_to_dict,
    update_stories,
)
from samestory.cli import main
from samestory.clustering.search import search_vector
from tests._data import demo_docs


def _docs(*topics):
    return sorted((d for d in demo_docs().values() if d["meta"]["topic"] in topics), key=lambda d: d["id"])


@pytest.fixture(scope="module")
def topic_analyses():
    docs = _docs(1, 8)
    return list(analyse_all([clean_one(article_from_dict(d)) for d in docs])), {d["id"]: d["meta"]["subtopic"] for d in docs}


def _grouping(stories):
    return sorted(tuple(sorted(s.articles)) for s in stories)


def _by_article(clusterer):
    return {a: clusterer.story_of[a] for a in clusterer.story_of}


def test_incremental_places_every_article_and_detects_new_stories(topic_analyses):
    analyses, gold = topic_analyses
    c = StoryClusterer()
    placements = c.partial_fit(analyses[:20]) + c.partial_fit(analyses[20:])
    assert sorted(p.article for p in placements) == sorted(gold)
    assert placements[0].new_story
    new = [p for p in placements if p.new_story]
    assert 2 <= len(new) < len(placements) / 2  # most articles join a story, a few open one
    # articles of different topics never share a story
    for members in c.members.values():
        assert len({gold[a].split("_")[0] for a in members}) == 1


def test_full_repair_gives_the_batch_stories_whatever_the_order(topic_analyses):
    analyses, _ = topic_analyses
    batch = _grouping(cluster(analyses))
    for seed in (1, 2):
        shuffled = analyses[:]
        random.Random(seed).shuffle(shuffled)
        c = StoryClusterer()
        for start in range(0, len(shuffled), 7):
            c.partial_fit(shuffled[start : start + 7])
        report = c.repair()
        assert _grouping(c.stories()) == batch
        assert set(c.aliases) == set(report.merged)  # every story merged away says where it went
        assert all(target in c.members for target in c.aliases.values())


class _CountingLinker:
    def __init__(self):
        from samestory.clustering.linker import load_linker

        self.booster, self.scored = load_linker(), 0

    def predict(self, rows):
        self.scored += len(rows)
        return self.booster.predict(rows)


def test_repair_reuses_the_pairs_placing_scored_and_sees_an_update(topic_analyses):
    analyses, _ = topic_analyses
    ordered = sorted(analyses, key=lambda a: a.id)
    linker = _CountingLinker()
    c = StoryClusterer(linker=linker)
    c.partial_fit(ordered)  # one batch in id order: its pairs are exactly the batch rule's candidates
    placed = linker.scored
    c.repair()
    assert placed > 0 and linker.scored == placed  # nothing scored twice
    # an updated text is placed under a new key, so no pair scored with its old text stands for it
    changed = replace(ordered[5].article, text=ordered[6].article.text + " Updated.", title=ordered[6].article.title)
    c.partial_fit(analyse_all([changed]))
    before = linker.scored
    c.repair()
    assert _grouping(c.stories()) == _grouping(cluster([*ordered[:5], *analyse_all([changed]), *ordered[6:]]))
    assert linker.scored > before  # the first repair forgot what it used: those pairs are scored again


def test_repair_keeps_ids_of_stories_it_leaves_alone(topic_analyses):
    analyses, _ = topic_analyses
    c = StoryClusterer()
    c.partial_fit(analyses)
    c.repair()
    before = _by_article(c)
    report = c.repair()
    assert report.moved == 0 and not report.merged and not report.created
    assert _by_article(c) == before


def test_a_region_s_vectors_come_from_the_index_a_chunk_at_a_time(topic_analyses, monkeypatch):
    # hnswlib's get_items holds every float as a Python object on the way (1.6 GB for 100k articles at once), so
    # the repair takes a region's vectors a chunk at a time; each row is still its article's vector
    import numpy as np

    from samestory.clustering import incremental

    analyses, _ = topic_analyses
    monkeypatch.setattr(incremental, "_CHUNK", 3)
    c = StoryClusterer()
    c.partial_fit(analyses)
    keys = [c._key[a.id] for a in reversed(analyses)]
    got = c._vectors(keys)
    from samestory.clustering.search import KEY_DIMS

    assert got.shape == (len(analyses), len(analyses[0].doc) + KEY_DIMS) and got.dtype == np.float32
    for row, an in zip(got, reversed(analyses)):
        assert np.allclose(row, search_vector(an), atol=1e-6)  # the search vector (unit length) of its article
    report = c.repair(sorted(c.members)[1:2])  # one story and the stories its articles' neighbours are in
    assert len(c.members[sorted(c.members)[1]]) <= report.examined < len(analyses)


def _trimming(index_articles):
    from samestory import load_settings

    return load_settings(overrides={"cluster": {"index_articles": index_articles}})


def test_index_lets_go_of_old_articles_and_places_exactly_as_with_all(topic_analyses):
    # placing goes oldest first, so an article more than window_days older than the newest placed can be no one's
    # candidate: the index lets go of it once it holds more than index_articles; a late arrival brings its dates back
    from tests._synthetic import synthetic_analyses

    analyses, _ = topic_analyses
    stream = sorted((a for a in synthetic_analyses(analyses, 4 * len(analyses), seed=3) if a.article.published),
                    key=lambda a: (a.article.published, a.id))  # four generations, 45 days apart
    late = stream[len(stream) // 4]
    order = [a for a in stream if a is not late]

    class Watched(StoryClusterer):
        def _restore(self, stamps):
            super()._restore(stamps)
            self.held_out = self._n_out

    def run(index_articles):
        c = Watched(settings=_trimming(index_articles))
        out = [p for start in range(0, len(order), 10) for p in c.partial_fit(order[start : start + 10])]
        let_go = c._n_out
        out += c.partial_fit([late])  # older than everything around it
        return c, let_go, [(p.article, p.story, p.new_story) for p in out]

    whole, none_out, placed = run(0)
    trimmed, let_go, placed_trimmed = run(len(analyses) // 2)
    assert none_out == 0 and let_go > len(analyses)  # it let go of the older generations...
    assert trimmed.held_out < let_go  # ...and brought the late article's dates back to place it
    assert placed_trimmed == placed  # the same placements, the late article's included
    c = trimmed
    gone = [k for k in range(len(c._ids)) if c._out[k] and c._ids[k] is not None]
    assert gone
    for row, k in zip(c._vectors(gone), gone):  # the vectors of articles it let go of come from their analyses
        assert np.allclose(row, search_vector(c.fetch([c._ids[k]])[c._ids[k]]), atol=1e-6)
    assert c.repair().moved == whole.repair().moved and _grouping(c.stories()) == _grouping(whole.stories())


def test_a_restart_loads_placements_into_a_trimmed_index(topic_analyses):
    from tests._synthetic import synthetic_analyses

    analyses, _ = topic_analyses
    stream = sorted((a for a in synthetic_analyses(analyses, 4 * len(analyses), seed=4) if a.article.published),
                    key=lambda a: (a.article.published, a.id))
    rows = [(a.id, "s-" + a.id, a.article.content_hash, a.article.published.timestamp(), search_vector(a)) for a in stream[:-5]]
    by_id = {a.id: a for a in stream}
    placed = []
    for index_articles in (0, 20):
        c = StoryClusterer(settings=_trimming(index_articles), fetch=lambda ids: {i: by_id[i] for i in ids})
        c.load(iter(rows))
        placed.append(([(p.story, p.new_story) for p in c.partial_fit(stream[-5:])], c._n_out, len(c._key) - c._n_out))
    (whole, none_out, all_held), (trimmed, out, held) = placed
    assert none_out == 0 and all_held == len(stream) and out > 0 and held < len(stream) // 2
    assert trimmed == whole


def test_a_long_run_repairs_a_stretch_at_a_time(tmp_path, monkeypatch):
    from samestory import load_settings

    calls = []
    real = StoryClusterer.repair

    def counting(self, stories=None):
        calls.append(len(stories))
        return real(self, stories)

    monkeypatch.setattr(StoryClusterer, "repair", counting)
    docs = _docs(1, 8)
    settings = load_settings(overrides={"ingest": {"batch_size": 10}, "cluster": {"repair_every": 25}})
    with open_store(str(tmp_path / "s.db")) as store:
        store.add_articles([clean_one(article_from_dict(d)) for d in docs])
        up = update_stories(store, settings=settings)
        _, stories = store.list_stories(limit=1000)
    assert len(calls) == -(-len(docs) // 30) and all(calls)  # after every 30 placed (3 batches of 10), and at the end
    assert up.placed == len(docs) and sorted(a for s in stories for a in s.articles) == sorted(d["id"] for d in docs)


def test_stretch_repair_repairs_what_each_stretch_touched(topic_analyses, monkeypatch):
    from samestory.clustering.incremental import StretchRepair

    analyses, _ = topic_analyses
    c = StoryClusterer()
    repaired = []
    real = StoryClusterer.repair
    monkeypatch.setattr(StoryClusterer, "repair", lambda self, stories=None: repaired.append(list(stories)) or real(self, stories))
    stretch = StretchRepair(c, every=12)
    assert stretch.flush() is None  # nothing placed, nothing to repair
    first = c.partial_fit(analyses[:10])
    assert stretch.placed(first) is None and repaired == []  # 10 of 12: the stretch goes on
    second = c.partial_fit(analyses[10:20])
    assert stretch.placed(second) is not None  # 20 placed: the stretch is repaired, its stories and no others
    assert len(repaired) == 1 and set(repaired[0]) == {p.story for p in first + second} & set(c.members)
    assert stretch.flush() is None and len(repaired) == 1  # nothing since
    stretch.placed(c.partial_fit(analyses[20:25]))
    assert stretch.flush() is not None and len(repaired) == 2  # the end of a run repairs the rest
    assert sorted(a for s in c.stories() for a in s.articles) == sorted(a.id for a in analyses[:25])


def test_unchanged_article_is_not_placed_again_and_an_update_is(topic_analyses):
    analyses, _ = topic_analyses
    c = StoryClusterer()
    c.partial_fit(analyses[:10])
    assert c.partial_fit(analyses[:10]) == []
    changed = replace(analyses[3].article, text=analyses[30].article.text, title=analyses[30].article.title)
    (p,) = c.partial_fit(analyse_all([changed]))
    assert p.article == analyses[3].id and "updated" in p.note
    assert len(c) == 10


def test_undated_article_is_placed_and_said_so(topic_analyses):
    analyses, _ = topic_analyses
    undated = replace(analyses[0].article, id="undated-copy", published=None)
    c = StoryClusterer()
    c.partial_fit(analyses[:5])
    (p,) = c.partial_fit(analyse_all([undated]))
    assert "undated" in p.note and not p.new_story  # its text is in the index already: it joins that story


def test_copies_found_and_original_is_earliest(topic_analyses):
    analyses, _ = topic_analyses
    dated = [a for a in analyses if a.article.published][0]
    later = replace(dated.article, id="syndicated", source="elsewhere.example",
                    published=dated.article.published + timedelta(days=1),
                    text=dated.article.text + "\n\nThis story was first published by a partner site.")
    (copy,) = analyse_all([later])
    groups = copy_groups([copy, dated, *analyses[-3:]])
    assert groups == [[dated.id, "syndicated"]]
    (story,) = cluster([copy, dated])
    assert story.copies == ((dated.id, "syndicated"),)
    assert [t.copy_of for t in story.timeline] == [None, dated.id]
    # the same text a year later is another story: time matters
    far = replace(later, published=dated.article.published + timedelta(days=365))
    assert len(cluster([*analyse_all([far]), dated])) == 2


def test_story_record_round_trips_and_says_what_it_is_about(topic_analyses):
    analyses, _ = topic_analyses
    story = max(cluster(analyses), key=lambda s: len(s.articles))
    assert story_from_dict(json.loads(json.dumps(story_to_dict(story)))) == story
    assert story.entities and story.title
    assert [t.id for t in story.timeline] == list(story.articles)


def test_coverage_lists_what_only_one_source_reports(topic_analyses):
    analyses, _ = topic_analyses
    a, b = analyses[0], analyses[1]
    extra = replace(a.article, id="extra", source="other.example",
                    text=a.article.text + "\n\nMeanwhile, the zoo announced that its penguins had learned to paint landscapes.")
    (an,) = analyse_all([extra])
    cov = {c.source: c for c in coverage([replace(a, article=replace(a.article, source="one.example")), an])}
    assert any("penguins" in s for s in cov["other.example"].only_here)
    assert not any("penguins" in s for s in cov["one.example"].only_here)
    assert coverage([b]) == []


def _write(path, docs):
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    return str(path)


def test_stories_persist_and_continue_across_ingests(tmp_path):
    docs = _docs(1)
    db = str(tmp_path / "s.db")
    first, second = _write(tmp_path / "a.jsonl", docs[::2]), _write(tmp_path / "b.jsonl", docs[1::2])
    assert main(["-q", "ingest", first, "--db", db]) == 0
    with open_store(db) as store:
        before = {a: store.story_of(a)[0] for a in (d["id"] for d in docs[::2])}
        n_before = store.count_stories()
    assert main(["-q", "ingest", second, "--db", db]) == 0
    assert main(["-q", "ingest", second, "--db", db]) == 0  # again: nothing changes
    with open_store(db) as store:
        after = {d["id"]: store.story_of(d["id"])[0] for d in docs}
        _, stories = store.list_stories(limit=100)
        assert update_stories(store).placed == 0
    # earlier articles mostly keep their stories (a repair may merge); every article is placed once
    kept = sum(after[a] == s for a, s in before.items())
    assert kept >= 0.8 * len(before)
    assert sorted(a for s in stories for a in s.articles) == sorted(d["id"] for d in docs)
    assert len(stories) <= n_before + 3


def test_an_interrupted_run_leaves_its_stories_to_the_next(tmp_path):
    from samestory import load_settings

    settings = load_settings(overrides={"ingest": {"batch_size": 5}})
    with open_store(str(tmp_path / "s.db")) as store:
        store.add_articles([clean_one(article_from_dict(d)) for d in _docs(1)])
        calls = []

        def stop_after_two(n):
            calls.append(n)
            if len(calls) == 2:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            update_stories(store, settings=settings, progress=stop_after_two)
        pending = store.pending_stories()
        placed = {store.story_of(d["id"])[0] for d in _docs(1) if store.story_of(d["id"])}
        assert len(placed) >= 1 and placed <= pending  # placements saved, their records still due
        assert store.count_stories() == 0
        up = update_stories(store, settings=settings)
        assert store.pending_stories() == set()
        _, stories = store.list_stories(limit=100)
        assert up.stories == len(stories) and sorted(a for s in stories for a in s.articles) == sorted(d["id"] for d in _docs(1))
        assert all(store.get_story(store.story_of(d["id"])[0]) is not None for d in _docs(1))


def test_stories_and_story_commands(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    assert main(["-q", "ingest", _write(tmp_path / "a.jsonl", _docs(8)), "--db", db]) == 0
    capsys.readouterr()
    assert main(["stories", "--db", db, "--json"]) == 0
    lines = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert lines and all(set(l) >= {"story", "title", "articles", "copies", "first_seen", "last_seen", "sources"} for l in lines)
    dates = [l["last_seen"] for l in lines if l["last_seen"]]
    assert dates == sorted(dates, reverse=True)
    assert main(["story", lines[0]["story"], "--db", db, "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["story"] == lines[0]["story"] and "coverage" in one
    assert main(["story", lines[0]["story"], "--db", db]) == 0
    assert "timeline" in capsys.readouterr().out
    # an article's id names the story it is in
    assert main(["story", lines[0]["articles"][-1], "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["story"] == lines[0]["story"]
    assert main(["story", "no-such-story", "--db", db]) == 2
    assert "no story" in capsys.readouterr().err
    assert main(["stories", "--db", db, "--since", "yesterday-ish"]) == 2
    assert main(["stories", "--db", db, "--search", "zzzznothing", "--json"]) == 0
    assert capsys.readouterr().out == ""


def test_repair_command(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    assert main(["-q", "ingest", _write(tmp_path / "a.jsonl", _docs(1)), "--db", db, "--no-stories"]) == 0
    with open_store(db) as store:
        assert store.count_stories() == 0
    assert main(["repair", "--db", db]) == 0
    assert "repair" in capsys.readouterr().err
    with open_store(db) as store:
        assert store.count_stories() > 0


def test_empty_input(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    out = tmp_path / "stories.jsonl"
    assert main(["cluster", str(empty), "--out", str(out)]) == 0
    assert out.read_text() == ""
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(empty), "--db", db]) == 0
    assert "placed 0 articles" in capsys.readouterr().err
    with open_store(db) as store:
        assert store.count_stories() == 0


def test_store_from_before_stories_is_migrated(tmp_path):
    """A store made before the story tables existed (schema 2) opens, migrates, and takes stories."""
    import sqlite3

    from samestory.store._schema import APP_ID, MIGRATIONS, SCHEMA_VERSION

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(MIGRATIONS[0] + MIGRATIONS[1])
    con.execute("INSERT INTO samestory_meta VALUES ('app', ?)", (APP_ID,))
    con.execute("PRAGMA user_version = 2")
    con.commit()
    con.close()
    assert main(["-q", "ingest", _write(tmp_path / "a.jsonl", _docs(1)[:4]), "--db", str(db)]) == 0
    with open_store(str(db)) as store:
        assert store.schema_version == SCHEMA_VERSION and store.count_stories() >= 1


def test_a_store_of_document_vectors_is_upgraded_to_search_vectors(tmp_path):
    """A store made before search vectors holds document vectors in its placements: the next run rewrites them
    (from the stored analyses) before loading them, and places as a store made today does."""
    import sqlite3

    import numpy as np

    from samestory.clustering.search import VECTORS
    from samestory.pipeline import stored_analyses

    docs = _docs(1)[:12]
    old, new = str(tmp_path / "old.db"), str(tmp_path / "new.db")
    for db in (old, new):
        assert main(["-q", "ingest", _write(tmp_path / "a.jsonl", docs[::2]), "--db", db]) == 0
    with open_store(old) as store:
        analyses = stored_analyses(store, [d["id"] for d in docs[::2]])
    con = sqlite3.connect(old)  # as the version before wrote it: document vectors, no kind recorded
    con.executemany("UPDATE placements SET vector=? WHERE article_id=?",
                    [(np.asarray(an.doc, dtype=np.float16).tobytes(), i) for i, an in analyses.items()])
    con.execute("DELETE FROM samestory_meta WHERE key='placement_vectors'")
    con.commit()
    con.close()
    with open_store(old) as store:
        assert store.vectors_kind() is None
        ids, means = store.story_vectors()  # searching by meaning still reads the document vectors
        assert ids and means.shape[1] == len(next(iter(analyses.values())).doc)
        chunks = []

        def killed_after_one_chunk(ids):  # an upgrade killed after its first chunk: searching still reads one width
            chunks.append(ids)
            if len(chunks) > 1:
                raise KeyboardInterrupt
            return {i: search_vector(analyses[i]) for i in ids}

        with pytest.raises(KeyboardInterrupt):
            store.upgrade_vectors(VECTORS, killed_after_one_chunk, chunk=3)
        assert store.vectors_kind() is None and np.allclose(store.story_vectors()[1], means, atol=2e-3)
    for db in (old, new):
        assert main(["-q", "ingest", _write(tmp_path / "b.jsonl", docs[1::2]), "--db", db]) == 0
    with open_store(old) as a, open_store(new) as b:
        assert a.vectors_kind() == VECTORS
        assert [r[:4] for r in a.placements()] == [r[:4] for r in b.placements()]
        assert all(np.allclose(x[4], y[4], atol=2e-3) for x, y in zip(a.placements(), b.placements()))
        ids, means = a.story_vectors()
        assert means.shape[1] == len(next(iter(analyses.values())).doc)


def test_a_merged_story_id_answers_with_the_story_it_went_into(tmp_path, topic_analyses):
    analyses, _ = topic_analyses
    story = cluster(analyses[:3])[0]
    with open_store(str(tmp_path / "s.db")) as store:
        store.save_clustering([], [story], [], aliases={"s-old": "s-older", "s-older": story.id})
        assert store.get_story("s-old") == story
        assert store.get_story("s-unknown") is None


def _stories_of(store) -> list[tuple[str, ...]]:
    return sorted(tuple(sorted(s.articles)) for s in store.list_stories(limit=1000)[1])


def _analysed_store(path, analyses):
    """A store holding these articles and their analyses, nothing placed (open: the caller closes it)."""
    store = open_store(path)
    store.add_articles([an.article for an in analyses])
    store.put_analyses(analyses)
    return store


def _stories_of_one_run(path, analyses) -> list[tuple[str, ...]]:
    with _analysed_store(path, analyses) as store:
        update_stories(store)
        return _stories_of(store)


def test_a_run_killed_in_its_repair_is_repaired_by_the_next(tmp_path, topic_analyses, monkeypatch):
    """The stories a run placed into are saved with its placements as due for repair; killed before its repair
    finishes, the next run (even with nothing new) repairs them: the same stories as an uninterrupted run."""
    from samestory.clustering.incremental import StoryClusterer as Clusterer

    analyses, _ = topic_analyses
    whole = _stories_of_one_run(tmp_path / "whole.db", analyses)
    with _analysed_store(tmp_path / "killed.db", analyses) as store:

        def killed(self, stories=None):
            raise KeyboardInterrupt

        with monkeypatch.context() as m:
            m.setattr(Clusterer, "repair", killed)
            with pytest.raises(KeyboardInterrupt):
                update_stories(store)
        assert store.repair_due()  # the placements were saved, the repair was not done
        update_stories(store)  # nothing new to place
        assert not store.repair_due()
        assert _stories_of(store) == whole


def test_a_repair_left_for_later_gives_the_stories_of_a_run_that_repairs_at_once(tmp_path, topic_analyses):
    """The server's placer places while posts wait and repairs afterwards (``repair_later``): the stories placed
    into stay due, and ``repair_due_stories`` then makes the stories an ordinary run makes."""
    from samestory import load_settings
    from samestory.pipeline import repair_due_stories, story_clusterer

    analyses, _ = topic_analyses
    at_once = _stories_of_one_run(tmp_path / "now.db", analyses)
    with _analysed_store(tmp_path / "later.db", analyses) as store:
        clusterer = story_clusterer(store, load_settings())
        while update_stories(store, clusterer=clusterer, limit=7, repair_later=True).placed:
            assert store.repair_due()  # placed, not repaired yet
        assert store.check() == [] and sum(len(s) for s in _stories_of(store)) == len(analyses)
        assert repair_due_stories(store, clusterer=clusterer) is not None
        assert not store.repair_due() and repair_due_stories(store) is None  # nothing left due
        assert _stories_of(store) == at_once


def test_candidates_compared_exactly_are_those_the_index_finds(topic_analyses, monkeypatch):
    # where a batch's window of days holds few articles, placing compares it with each of them instead of searching
    # the index (which must look further where near texts lie outside the window): the same candidates, so the
    # same placements, as the index gives on a stream small enough for its search to be exact
    from samestory.clustering import incremental
    from tests._synthetic import synthetic_analyses

    analyses, _ = topic_analyses
    stream = sorted((a for a in synthetic_analyses(analyses, 4 * len(analyses), seed=5) if a.article.published),
                    key=lambda a: (a.article.published, a.id))
    asked = []

    def run(exact):
        monkeypatch.setattr(incremental, "_EXACT", exact)
        c = StoryClusterer()
        found = c._neighbours  # each batch's candidates, as placing got them

        def recorded(vectors, stamps):
            out = found(vectors, stamps)
            asked.append((exact, out))
            return out

        c._neighbours = recorded
        placed = [(p.article, p.story) for start in range(0, len(stream), 25) for p in c.partial_fit(stream[start : start + 25])]
        return placed, [out for e, out in asked if e == exact]

    searched, by_index = run(0)
    compared, exactly = run(10**6)
    assert compared == searched
    # the same candidates with the same cosines (up to float32 rounding: the index sums its products in another order)
    a = {(n, k, i): v for n, out in enumerate(by_index) for k, cands in enumerate(out) for i, v in cands}
    b = {(n, k, i): v for n, out in enumerate(exactly) for k, cands in enumerate(out) for i, v in cands}
    assert len(a) > len(stream) and len(a.keys() & b.keys()) >= 0.99 * max(len(a), len(b))
    assert all(abs(a[x] - b[x]) <= 1e-5 for x in a.keys() & b.keys())


def test_analyses_are_held_between_batches_until_the_store_may_change(topic_analyses):
    analyses, _ = topic_analyses
    by_id = {a.id: a for a in analyses}
    asked: list[str] = []

    def fetch(ids):
        asked.extend(ids)
        return {i: by_id[i] for i in ids}

    c = StoryClusterer(fetch=fetch)
    c.partial_fit(analyses[:20])
    c.release()  # as update_stories does after each batch
    c.partial_fit(analyses[20:])
    assert not asked  # the first batch's analyses were held: the store was not asked for them
    c.forget_analyses()  # as update_stories does once it lets the store go
    c.stories()
    assert sorted(asked) == sorted(by_id)  # now every analysis comes from the store again
