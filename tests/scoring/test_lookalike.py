"""One meaning of "same story": look-alike events (two quakes in one country 17 days apart, quakes on two
continents in one week) are told apart, the same quake from four agencies in three languages and its follow-up are
one story; compare and cluster agree. Fixtures: tests/fixtures/quakes.jsonl (written for these tests)."""

import json
from itertools import combinations

import pytest

from samestory import analyse_all, article_from_dict, cluster, compare, load_settings
from samestory.cleaning import clean_one
from tests._data import REPO

SETTINGS = load_settings()
SAME = ["quake1-wire-en", "quake1-agency-en", "quake1-agency-de", "quake1-agency-es"]


@pytest.fixture(scope="module")
def quakes():
    docs = [json.loads(line) for line in (REPO / "tests" / "fixtures" / "quakes.jsonl").read_text().splitlines()]
    arts = [clean_one(article_from_dict(d)) for d in docs]
    return {an.id: an for an in analyse_all(arts, settings=SETTINGS)}


def test_two_quakes_in_one_country_17_days_apart_are_different_stories(quakes):
    score = compare(quakes["quake1-wire-en"], quakes["quake2-wire-en"], settings=SETTINGS)
    assert score.probability < 0.2 and not score.same_story
    assert any(e.startswith("different places") for e in score.explanation.evidence)
    assert "incident days 17 days apart" in score.explanation.evidence


def test_quakes_on_two_continents_in_one_week_are_different_stories(quakes):
    score = compare(quakes["quake1-wire-en"], quakes["quake3-wire-en"], settings=SETTINGS)
    assert score.probability < 0.2 and not score.same_story


@pytest.mark.parametrize(("a", "b"), list(combinations(SAME, 2)))
def test_one_quake_from_four_agencies_in_three_languages_is_one_story(quakes, a, b):
    score = compare(quakes[a], quakes[b], settings=SETTINGS)
    assert score.probability > 0.8 and score.same_story


def test_a_rising_death_toll_the_next_day_is_the_same_story(quakes):
    score = compare(quakes["quake1-wire-en"], quakes["quake1-toll-en"], settings=SETTINGS)
    assert score.same_story
    assert "death toll updated 12 \u2192 15" in score.explanation.evidence


def test_cluster_agrees_with_compare(quakes):
    stories = cluster(list(quakes.values()), settings=SETTINGS)
    groups = {frozenset(s.articles) for s in stories}
    assert frozenset([*SAME, "quake1-toll-en"]) in groups
    assert frozenset(["quake2-wire-en"]) in groups and frozenset(["quake3-wire-en"]) in groups


def test_identical_texts_score_one_and_an_empty_text_is_a_clear_error(quakes):
    from samestory.errors import InputError

    a = quakes["quake1-wire-en"]
    assert compare(a, a, settings=SETTINGS).probability == 1.0
    with pytest.raises(InputError, match="neither text nor html"):
        compare(a, article_from_dict({"id": "empty", "text": " ", "language": "en"}), settings=SETTINGS)
