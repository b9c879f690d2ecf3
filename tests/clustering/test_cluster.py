import random

import pytest

from samestory import analyse_all, article_from_dict, clean, cluster
from tests._data import demo_docs


@pytest.fixture(scope="module")
def topic_analyses():
    """Two ECB+ topics, four events: Lohan/Reid rehab (topic 1) and the Greek bank fire/austerity (topic 8)."""
    docs = [d for d in demo_docs().values() if d["meta"]["topic"] in (1, 8)]
    return list(analyse_all([clean(article_from_dict(d))[0] for d in docs])), {d["id"]: d["meta"]["subtopic"] for d in docs}


def test_every_article_in_exactly_one_story(topic_analyses):
    analyses, gold = topic_analyses
    stories = cluster(analyses)
    ids = [a for s in stories for a in s.articles]
    assert sorted(ids) == sorted(gold) and len(ids) == len(set(ids))


def test_topics_are_not_mixed(topic_analyses):
    analyses, gold = topic_analyses
    for s in cluster(analyses):
        assert len({gold[a].split("_")[0] for a in s.articles}) == 1, s.title


def test_input_order_does_not_matter(topic_analyses):
    analyses, _ = topic_analyses
    first = {(s.id, s.articles) for s in cluster(analyses)}
    shuffled = analyses[:]
    random.Random(1).shuffle(shuffled)
    assert {(s.id, s.articles) for s in cluster(shuffled)} == first


def test_empty_and_single():
    assert cluster([]) == []
    (an,) = analyse_all([article_from_dict({"id": "x", "text": "Lindsay Lohan checked into rehab on Thursday."})])
    (story,) = cluster([an])
    assert story.articles == ("x",)
