"""Which entities two articles share, with both surface forms."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Analysis, Entity
from .names import names_match, surname_key

__all__ = ["EntityMatch", "match_entities", "same_entity"]


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


def match_entities(a: Analysis, b: Analysis) -> EntityMatch:
    """Greedy one-to-one matching, most-mentioned first: each of a's entities takes the first unused entity of b
    that is ``same_entity`` with it. Resolved keys are looked up; an unresolved name is compared by spelling
    only with b's names of the same key or surname key (no other name can match it)."""
    by_key: dict[str, list[int]] = {}
    by_surname: dict[str | None, list[int]] = {}  # b's unresolved names, in b's order
    for j, eb in enumerate(b.entities):
        by_key.setdefault(eb.key, []).append(j)
        if eb.key.startswith("name:"):
            by_surname.setdefault(surname_key(eb.text), []).append(j)
    used: set[int] = set()
    matched = []
    only_a = []
    for ea in a.entities:
        if ea.key.startswith("name:"):
            near = by_surname.get(surname_key(ea.text), [])
            same = by_key.get(ea.key)  # names with a's key (those are names too)
            names = sorted({*near, *same}) if same else near
            j = next((j for j in names if j not in used and same_entity(ea, b.entities[j])), None)
        else:
            j = next((j for j in by_key.get(ea.key, ()) if j not in used), None)
        if j is None:
            only_a.append(ea)
        else:
            used.add(j)
            matched.append((ea, b.entities[j]))
    only_b = tuple(eb for j, eb in enumerate(b.entities) if j not in used)
    return EntityMatch(tuple(matched), tuple(only_a), only_b)
