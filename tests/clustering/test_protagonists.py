"""Step 5 of the batch rule: a story whose articles centre on two people who do not name each other splits."""

from dataclasses import replace

import numpy as np
import pytest

from samestory import analyse_all, article_from_dict, load_settings
from samestory.clustering.batch import by_protagonist
from samestory.clustering.protagonists import people, protagonist_split
from samestory.records import Entity


@pytest.fixture(scope="module")
def base():
    (an,) = analyse_all([article_from_dict({"id": "base", "text": "Vincent Jackson was arrested on Tuesday in San Diego."})])
    return an


def _article(base, k, **people_mentions):
    """An analysis whose persons are ``people_mentions`` (full name with underscores -> mentions)."""
    entities = tuple(Entity(name.replace("_", " "), "PER", f"name:{name.lower()}", mentions=n) for name, n in people_mentions.items())
    doc = np.zeros(base.doc.shape, np.float32)
    doc[k % 7] = 1.0
    return replace(base, article=replace(base.article, id=f"a{k:02d}"), entities=entities, doc=doc)


def _look_alikes(base, *, earlier_names_later=False):
    """Four articles on Jackson's arrest, then four on Williams's, which recall Jackson's."""
    jackson = [_article(base, k, Vincent_Jackson=3, **({"Jamal_Williams": 1} if earlier_names_later else {})) for k in range(4)]
    williams = [_article(base, k, Jamal_Williams=3, Jackson=1) for k in range(4, 8)]
    return jackson + williams


def test_two_protagonists_who_do_not_name_each_other_split(base):
    arts = _look_alikes(base)
    assert protagonist_split(arts, min_articles=3, co_mention=0.1) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    # an article led by someone else goes where its mentions of the two point
    coach = _article(base, 8, Norv_Turner=4, Jamal_Williams=2, Jackson=1)
    assert protagonist_split([*arts, coach], min_articles=3, co_mention=0.1) == [[0, 1, 2, 3], [4, 5, 6, 7, 8]]


def test_people_of_one_event_name_each_other(base):
    arts = _look_alikes(base, earlier_names_later=True)
    assert protagonist_split(arts, min_articles=3, co_mention=0.1) == [list(range(8))]


def test_too_few_articles_or_turned_off(base):
    arts = _look_alikes(base)
    assert protagonist_split(arts[:6], min_articles=3, co_mention=0.1) == [list(range(6))]  # Williams leads only 2
    assert protagonist_split(arts, min_articles=0, co_mention=0.1) == [list(range(8))]


def test_a_tie_is_no_protagonist(base):
    arts = _look_alikes(base)
    tied = [replace(a, entities=(*a.entities, Entity("Jamal Williams", "PER", "name:jamal williams", mentions=3))) for a in arts[:4]]
    assert protagonist_split(tied + arts[4:], min_articles=3, co_mention=0.1) == [list(range(8))]
    assert people(arts[0]) and max(people(arts[0]).values()) == 3


def test_by_protagonist_maps_groups_back(base):
    arts = _look_alikes(base)
    settings = load_settings()
    pool = [arts[0], _article(base, 20, Someone_Else=1), *arts[1:]]  # index 1 is another story
    groups = by_protagonist([[1], [0, 2, 3, 4, 5, 6, 7, 8]], lambda g: [pool[i] for i in g], settings)
    assert groups == [[1], [0, 2, 3, 4], [5, 6, 7, 8]]
    off = load_settings(overrides={"cluster": {"protagonist_articles": 0}})
    assert by_protagonist([[0, 2, 3, 4, 5, 6, 7, 8]], lambda g: [pool[i] for i in g], off) == [[0, 2, 3, 4, 5, 6, 7, 8]]
