"""Which entities two articles share, with both surface forms."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Analysis, Entity
from .names import names_match

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
    """Greedy one-to-one matching, most-mentioned first."""
    used: set[int] = set()
    matched = []
    only_a = []
    for ea in a.entities:
        j = next((j for j, eb in enumerate(b.entities) if j not in used and same_entity(ea, eb)), None)
        if j is None:
            only_a.append(ea)
        else:
            used.add(j)
            matched.append((ea, b.entities[j]))
    only_b = tuple(eb for j, eb in enumerate(b.entities) if j not in used)
    return EntityMatch(tuple(matched), tuple(only_a), only_b)
