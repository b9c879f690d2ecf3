import json
import subprocess
import sys

import pytest

from samestory import (
    Article,
    analyse,
    article_from_dict,
    clean,
    compare,
    compare_many,
    read,
)
from samestory.scoring import DIMENSIONS
from tests._data import SEEDS, demo_docs

DOCS = demo_docs()


def _art(doc_id):
    return clean(article_from_dict(DOCS[doc_id]))[0]


def _scores(s):
    return [getattr(s, d) for d in DIMENSIONS]


def test_scores_in_range_and_symmetric():
    a, b = analyse(_art("ecb/1_10ecbplus")), analyse(_art("ecb/1_11ecbplus"))
    ab, ba = compare(a, b), compare(b, a)
    assert all(1.0 <= x <= 4.0 for x in _scores(ab))
    assert _scores(ab) == pytest.approx(_scores(ba), abs=1e-6)
    assert ab.probability == pytest.approx(ba.probability, abs=1e-6)


def test_same_event_scores_closer_than_other_event_of_same_topic_and_other_topic():
    lohan_a, lohan_b = analyse(_art("ecb/1_10ecbplus")), analyse(_art("ecb/1_11ecbplus"))
    reid = analyse(_art("ecb/1_10ecb"))  # another rehab check-in (Tara Reid, 2008)
    bank = analyse(_art("ecb/8_1ecbplus"))  # rioters bomb a Greek bank
    same, topic, other = compare(lohan_a, lohan_b), compare(lohan_a, reid), compare(lohan_a, bank)
    # the other check-in and the other topic are both "very dissimilar" on SemEval's scale (>= 3.5); how two
    # such pairs order at the scale's ceiling is not what it measures (this scorer gives 3.99 and 3.91)
    assert same.overall + 2 < min(topic.overall, other.overall) and min(topic.overall, other.overall) >= 3.5
    assert same.same_story and not topic.same_story and not other.same_story


def test_opening_scorer_where_both_sides_have_an_opening_base_scorer_elsewhere():
    from samestory import load_settings
    from samestory.analysis.opening import with_openings

    off = load_settings(overrides={"score": {"opening_embedder": ""}})
    a, b = analyse(_art("ecb/1_10ecbplus")), analyse(_art("ecb/1_11ecbplus"))
    a_open, b_open = with_openings([a, b], "multilingual-e5-small")
    base, opened = compare(a, b, settings=off), compare(a_open, b_open, settings=off)
    assert compare(a, b) == opened  # the default settings add the openings, as with_openings does
    assert _scores(opened) != _scores(base)  # another model read them
    assert compare(a_open, b, settings=off) == base  # one side without: the base scorer
    assert compare(b_open, a_open, settings=off).overall == pytest.approx(opened.overall, abs=1e-6)


def test_identical_articles_are_1_everywhere():
    a = _art("ecb/3_10ecbplus")
    s = compare(a, a)
    assert _scores(s) == [1.0] * 7 and s.probability == 1.0 and s.same_story


def test_explanation_names_both_surface_forms_and_differences():
    s = compare(_art("ecb/1_10ecbplus"), _art("ecb/1_11ecbplus"))
    ex = s.explanation
    assert any("Lohan" in a and "Lohan" in b for a, b, _ in ex.matched_entities)
    assert "US" in ex.shared_countries
    assert ex.aligned_sentences and all(0.6 <= sim <= 1.0 for _, _, sim in ex.aligned_sentences)
    assert ex.only_a_sentences or ex.only_b_sentences


def test_bad_input_one_line_and_no_ner_language():
    """A one-line article and a Dutch one (no NER model) still rank: same event closer than another event."""
    one = article_from_dict({"text": "Lohan checked into rehab."})
    dutch = article_from_dict({"text": "Lindsay Lohan is donderdag opgenomen in een afkickkliniek in Californië, meldt haar advocaat."})
    bank = article_from_dict({"text": "Three people died when rioters threw petrol bombs into a bank in Athens during a strike."})
    assert compare(one, dutch).overall < compare(one, bank).overall
    assert not compare(dutch, bank).same_story


def test_empty_article_is_never_the_same_story():
    one = article_from_dict({"text": "Lohan checked into rehab."})
    empty = Article(id="empty", text="")
    s, back = compare(empty, one), compare(one, empty)
    assert not s.same_story and s.explanation.matched_entities == () and s.explanation.aligned_sentences == ()
    assert _scores(s) == pytest.approx(_scores(back), abs=1e-6)


def test_compare_many_streams_in_batches():
    ids = ["ecb/1_10ecbplus", "ecb/1_11ecbplus", "ecb/8_1ecbplus", "ecb/3_10ecbplus"]
    arts = [_art(i) for i in ids]
    pairs = [(arts[i], arts[j]) for i in range(4) for j in range(4) if i < j]
    got = list(compare_many(pairs, batch_size=4))
    assert [(s.a, s.b) for s in got] == [(a.id, b.id) for a, b in pairs]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_seeds_same_and_different_stories():
    a = [x for d in read(SEEDS / "000_14a40139ceb91c26.txt") for x in clean(d)]
    b = [x for d in read(SEEDS / "004_d8a212c3383b2f6c.txt") for x in clean(d)]
    (reuters,), (libya, syria) = a, b
    # the bars; the scorer with the opening vectors gives 1.36, 3.24 and 3.28 (the base scorer alone,
    # without them, 1.6 and 2.9-3.0: README)
    same, other1, other2 = compare(reuters, libya), compare(reuters, syria), compare(libya, syria)
    assert same.same_story and same.overall <= 1.5
    assert not other1.same_story and not other2.same_story
    assert other1.overall >= 3.0 and other2.overall >= 3.0


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "samestory", *map(str, args)], capture_output=True, text=True, input=stdin)


def test_cli_compare_readable_and_json(tmp_path):
    for name in ("ecb/1_10ecbplus", "ecb/1_11ecbplus"):
        (tmp_path / (name.split("/")[1] + ".json")).write_text(json.dumps(DOCS[name]))
    out = _cli("compare", tmp_path / "1_10ecbplus.json", tmp_path / "1_11ecbplus.json")
    assert out.returncode == 0, out.stderr
    assert "SAME STORY" in out.stdout and "shared entities:" in out.stdout
    js = _cli("compare", "--json", tmp_path / "1_10ecbplus.json", tmp_path / "1_11ecbplus.json")
    score = json.loads(js.stdout)
    assert set(DIMENSIONS) <= set(score) and "explanation" in score


def test_cli_pairs_batch_reports_bad_lines_and_goes_on(tmp_path):
    lines = [
        {"id": "p1", "a": DOCS["ecb/1_10ecbplus"], "b": DOCS["ecb/1_11ecbplus"]},
        {"id": "p2", "a": DOCS["ecb/1_10ecbplus"]},
        "not json",
        {"id": "p3", "a": DOCS["ecb/1_10ecbplus"], "b": DOCS["ecb/8_1ecbplus"]},
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    out = _cli("compare", "--pairs", path, "--json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(l) for l in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["p1", "p3"]
    assert set(rows[0]) == {"id", *DIMENSIONS, "same_story", "probability", "unknown"} and rows[0]["unknown"] is None
    assert f"{path}:2" in out.stderr and f"{path}:3" in out.stderr
    assert rows[0]["overall"] < rows[1]["overall"]


def test_cli_compare_needs_two_sources():
    out = _cli("compare", "only-one.txt")
    assert out.returncode == 2 and "needs two sources" in out.stderr
