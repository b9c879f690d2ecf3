"""Entity matching on the two example pages (read from ../shared/seeds; skipped where absent)."""

from pathlib import Path

import pytest

from samestory import analyse_all, clean, match_entities, read
from samestory.analysis.matching import same_entity
from samestory.analysis.names import name_tokens, skeleton

ALIASES = [
    ("Fayez al Serraj", "Fayez al Sarraj"),
    ("Tayyip Erdogan", "Recep Tayyip Erdogan"),
    ("Abdel Fattah al-Sisi", "Abdel Fattah el-Sisi"),
    ("Turkish", "Türkiye"),
    ("United States", "US"),
    ("U.N", "UN"),
]


SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def analyses():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    arts = [a for d in read(SEEDS) for a in clean(d)]
    return {a.id[:3] + ("#2" if a.id.endswith("#2") else ""): a for a in analyse_all(arts)}


def _find(an, text):
    hits = [e for e in an.entities if text.lower() in e.text.lower()]
    assert hits, f"{text!r} not among {[e.text for e in an.entities]}"
    return hits[0]


def test_alias_pairs_match(analyses):
    a, b = analyses["000"], analyses["004"]
    m = match_entities(a, b)
    pairs = {(x.text, y.text) for x, y in m.matched}
    for left, right in ALIASES[:3]:
        assert any(left in x and right in y for x, y in pairs), (left, right, pairs)
    assert same_entity(_find(a, "Turkish"), _find(analyses["004#2"], "Türkiye"))
    us = [e for e in b.entities if e.key == "loc:US"]
    assert us and any(e.key == "loc:US" for e in a.entities)
    assert any(x.key == "org:UN" and y.key == "org:UN" for x, y in m.matched)


def test_no_false_match_between_different_people(analyses):
    for an_a, an_b in [(analyses["000"], analyses["004"]), (analyses["004"], analyses["004#2"])]:
        for x, y in match_entities(an_a, an_b).matched:
            if x.label == "PER" and y.label == "PER":  # same surname (up to spelling) for every matched person
                assert skeleton(name_tokens(x.text)[-1]) == skeleton(name_tokens(y.text)[-1]), (x.text, y.text)
    people_a = [e for e in analyses["004"].entities if e.label == "PER"]
    assert not any(same_entity(p, q) for p in people_a for q in people_a if p is not q)
