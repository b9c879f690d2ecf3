"""Entity matching: the indexed greedy matching equals the plain definition (first unused same_entity)."""

import random
from dataclasses import replace

from samestory import analyse_all, article_from_dict
from samestory.analysis.matching import EntityIndex, EntityMatch, match_entities, same_entity
from samestory.analysis.names import names_match, surname_key
from samestory.records import Entity

POOL = [
    Entity("Abdel Fattah el-Sisi", "PER", "name:abdel fattah el sisi"),
    Entity("Sisi", "PER", "name:sisi"),
    Entity("al-Sisi", "PER", "name:al sisi"),
    Entity("Recep Tayyip Erdogan", "PER", "name:recep tayyip erdogan"),
    Entity("Erdogan", "PER", "name:erdogan"),
    Entity("Turkey", "LOC", "loc:TR", country="TR"),
    Entity("Türkiye", "LOC", "loc:TR", country="TR"),
    Entity("Ankara", "LOC", "loc:TR:ankara", country="TR", city="ankara"),
    Entity("UN", "ORG", "org:UN"),
    Entity("United Nations", "ORG", "org:UN"),
    Entity("Fayez al-Sarraj", "PER", "name:fayez al sarraj"),
    Entity("Serraj", "PER", "name:serraj"),
    Entity("el-Sisi's", "PER", "name:sisi"),
    Entity("Mohammed Ali", "PER", "name:mohammed ali"),
    Entity("Muhammad Ali", "PER", "name:muhammad ali"),
    Entity("Ali", "PER", "name:ali"),
    Entity("President Erdoğan", "PER", "name:erdogan"),
]


def _reference(a, b) -> EntityMatch:
    used, matched, only_a = set(), [], []
    for ea in a.entities:
        j = next((j for j, eb in enumerate(b.entities) if j not in used and same_entity(ea, eb)), None)
        if j is None:
            only_a.append(ea)
        else:
            used.add(j)
            matched.append((ea, b.entities[j]))
    return EntityMatch(tuple(matched), tuple(only_a), tuple(e for j, e in enumerate(b.entities) if j not in used))


def test_indexed_matching_equals_the_definition():
    (base,) = analyse_all([article_from_dict({"id": "x", "text": "Leaders met in Ankara on Monday."})])
    rng = random.Random(3)
    for _ in range(300):
        a = replace(base, entities=tuple(rng.sample(POOL, rng.randint(0, 8))))
        b = replace(base, entities=tuple(rng.sample(POOL, rng.randint(0, 8))))
        assert match_entities(a, b) == _reference(a, b)
        assert match_entities(a, b, indexes=(EntityIndex(a), EntityIndex(b))) == _reference(a, b)


def test_matching_names_share_a_surname_key():
    names = [e.text for e in POOL if e.key.startswith("name:")] + ["Tayyip Erdogan", "Abdel Fattah al-Sisi", "Fayez Serraj", "the Sisi"]
    pairs = [(x, y) for x in names for y in names if names_match(x, y)]
    assert len(pairs) > len(names)  # not only each name with itself
    assert all(surname_key(x) == surname_key(y) for x, y in pairs)
