"""The story linker's own features: who each article is about."""

import numpy as np

from samestory import analyse_all, article_from_dict
from samestory.analysis.matching import match_entities
from samestory.clustering.linker import (
    ACTOR_FEATURES,
    LINK_FEATURES,
    actor_features,
    link_features,
)

JACKSON = ("San Diego Chargers receiver Vincent Jackson was arrested on suspicion of drunk driving early Monday, "
           "police said. Jackson was stopped in Poway. The Chargers said they were aware of Jackson's arrest.")
JACKSON_2 = ("Vincent Jackson, a wide receiver for the San Diego Chargers, was booked for driving under the influence. "
             "Jackson was released on bail. Chargers coach Norv Turner declined to comment on Jackson.")
WILLIAMS = ("San Diego Chargers defensive tackle Jamal Williams was arrested on suspicion of drunk driving, police said. "
            "Williams was stopped in San Diego. The Chargers said they were aware of Williams's arrest.")


def _analyses():
    return analyse_all([article_from_dict({"id": str(k), "text": t}) for k, t in enumerate((JACKSON, JACKSON_2, WILLIAMS))])


def test_main_person_matched_or_not_and_symmetric():
    a, b, c = _analyses()
    main = ACTOR_FEATURES.index("main_per_matched")
    same, other = actor_features(a, b, match_entities(a, b)), actor_features(a, c, match_entities(a, c))
    assert same[main] == 1.0 and other[main] == 0.0
    assert actor_features(c, a, match_entities(c, a)) == other


def test_link_features_have_the_linker_columns():
    a, b, c = _analyses()
    X = link_features([(a, b), (a, c)])
    assert X.shape == (2, len(LINK_FEATURES)) and np.isfinite(X).all()
    assert link_features([]).shape == (0, len(LINK_FEATURES))


def test_link_features_of_a_batch_are_those_of_each_pair_alone():
    # a batch indexes, ranks and summarises each article once: rows must not depend on the other pairs
    a, b, c = _analyses()
    pairs = [(a, b), (a, c), (c, b), (b, a)]
    X = link_features(pairs)
    own = [k for k, name in enumerate(LINK_FEATURES) if not name.startswith("scorer_")]
    for row, pair in zip(X, pairs):
        alone = link_features([pair])[0]
        assert np.array_equal(row[own], alone[own])
        assert np.allclose(row, alone, rtol=0, atol=1e-12)  # the scorer's ridge: a matrix product, not bit-stable by batch
