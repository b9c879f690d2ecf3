"""Which entities two articles share, with both surface forms."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Analysis, Entity
from .names import names_match, surname_key

__all__ = ["EntityIndex", "EntityMatch", "match_entities", "same_entity"]


@dataclass(frozen=True, slots=True)
class EntityMatch:
    matched: tuple[tuple[Entity, Entity], ...]
    only_a: tuple[Entity, ...]
    only_b: tuple[Entity, ...]


def same_entity(a: Entity, b: Entity) -> bool:
    """Same key; or places in the same country and city; or person/organisation names that match."""
    if a.key == b.key:
        return True
    if a.key.startswith("name:") and b.key.startswith("name:"):
        return names_match(a.text, b.text)
    return False  # resolved places and organisations match by key only


class EntityIndex:
    """One article's entities as ``match_entities`` looks them up: by key, unresolved names by surname key.
    Built once per article when it is matched against many (a stream's candidates)."""

    __slots__ = ("entities", "by_key", "by_surname", "surnames", "is_name")

    def __init__(self, an: Analysis) -> None:
        self.entities = an.entities
        self.by_key: dict[str, list[int]] = {}
        self.by_surname: dict[str | None, list[int]] = {}  # unresolved names, in the article's order
        self.surnames: list[str | None] = []
        self.is_name: list[bool] = []
        for j, e in enumerate(an.entities):
            self.by_key.setdefault(e.key, []).append(j)
            surname = None
            is_name = e.key.startswith("name:")
            if is_name:
                surname = surname_key(e.text)
                self.by_surname.setdefault(surname, []).append(j)
            self.surnames.append(surname)
            self.is_name.append(is_name)


def match_entities(a: Analysis, b: Analysis, *, indexes: tuple[EntityIndex, EntityIndex] | None = None) -> EntityMatch:
    """Greedy one-to-one matching, most-mentioned first: each of a's entities takes the first unused entity of b
    that is ``same_entity`` with it. Resolved keys are looked up; an unresolved name is compared by spelling
    only with b's names of the same key or surname key (no other name can match it). ``indexes``: the two
    articles' ``EntityIndex``, when the caller keeps them."""
    ia, ib = indexes if indexes is not None else (EntityIndex(a), EntityIndex(b))
    b_entities, by_key, by_surname = ib.entities, ib.by_key, ib.by_surname
    used: set[int] = set()
    matched = []
    only_a = []
    # written as plain loops: this runs for every candidate pair of a stream (274,665 in the 10k benchmark), and
    # most of a's entities have no candidate in b at all
    for ea, surname, is_name in zip(ia.entities, ia.surnames, ia.is_name):
        found = None
        if is_name:
            near = by_surname.get(surname)
            same = by_key.get(ea.key)  # names with a's key (those are names too)
            if near or same:
                for j in (sorted({*near, *same}) if same and near else near or same):
                    if j not in used and same_entity(ea, b_entities[j]):
                        found = j
                        break
        else:
            for j in by_key.get(ea.key, ()):
                if j not in used:
                    found = j
                    break
        if found is None:
            only_a.append(ea)
        else:
            used.add(found)
            matched.append((ea, b_entities[found]))
    only_b = tuple(eb for j, eb in enumerate(b_entities) if j not in used) if used else b_entities
    return EntityMatch(tuple(matched), tuple(only_a), tuple(only_b))
