"""Pair evidence from two event signatures (``analysis.signature``): do the incidents agree?

Features for the story linker (symmetric, like every pair feature) and the same comparisons in plain
words for explanations ("different places: Malatya / Kahramanmaraş; incident days 17 days apart;
magnitudes 6.1 / 5.6"). Numbers are compared as a reader would: a count that only rises in the later
report is an update (a death toll climbing from 12 to 15), one that differs otherwise a conflict.
"""

from __future__ import annotations

import math

from ..records import Analysis, EventSignature

__all__ = ["EVIDENCE_FEATURES", "Signed", "contradicted", "evidence_features", "evidence_words"]

EVIDENCE_FEATURES = ["ev_day_gap", "ev_days_known", "ev_place_shared", "ev_place", "ev_street", "ev_age",
                     "ev_killed", "ev_injured", "ev_magnitude", "ev_terms_cos", "ev_terms_shared"]
_DAYS_CAP = 30.0
_UNKNOWN, _AGREE, _UPDATE, _CONFLICT = 0.0, 1.0, 2.0, 3.0
_MAGNITUDE_TOLERANCE = 0.15


def _day_gap(x: EventSignature, y: EventSignature) -> int | None:
    return min((abs((d - e).days) for d in x.days for e in y.days), default=None)


def _shared_or_conflict(x: set, y: set) -> float:
    """1 when the two share a value, 0 when both have values and share none, -1 when a side has none."""
    if not x or not y:
        return -1.0
    return 1.0 if x & y else 0.0


def _count_relation(a: Analysis, b: Analysis, x: tuple[float, ...], y: tuple[float, ...]) -> float:
    """Agree, update (the later report's largest count is larger), conflict, or unknown."""
    if not x or not y:
        return _UNKNOWN
    if max(x) == max(y) or set(x) & set(y):
        return _AGREE
    order = _in_order(a, b, x, y)
    return _UPDATE if order is not None and max(order[1]) > max(order[0]) else _CONFLICT


def _in_order(a: Analysis, b: Analysis, x: tuple, y: tuple) -> tuple[tuple, tuple] | None:
    """(a's values, b's values) as (earlier report's, later report's); None where the order is unknown."""
    pa, pb = a.article.published, b.article.published
    if pa is None or pb is None or pa == pb:
        return None
    return (x, y) if pa < pb else (y, x)


def _magnitude(x: EventSignature, y: EventSignature) -> float:
    if not x.magnitudes or not y.magnitudes:
        return _UNKNOWN
    close = any(abs(m - n) <= _MAGNITUDE_TOLERANCE for m in x.magnitudes for n in y.magnitudes)
    return _AGREE if close else _CONFLICT


class Signed:
    """What the evidence reads of one article's signature, computed once however many pairs it is in."""

    __slots__ = ("sig", "terms", "norm", "places", "streets", "towns", "ages")

    def __init__(self, an: Analysis) -> None:
        self.sig = sig = an.signature
        self.terms = dict(sig.terms)
        self.norm = math.sqrt(sum(w * w for w in self.terms.values())) or 1.0
        self.places = set(sig.places)
        self.streets = {p for p in sig.places if p.startswith("street:")}
        self.towns = {p for p in sig.places if p.startswith("city:")}
        self.ages = set(sig.ages)


def _terms_cos(x: Signed, y: Signed) -> tuple[float, int]:
    shared = x.terms.keys() & y.terms.keys()
    # fsum: the same last bit in any order (a set's order changes from one process to the next) and either way round
    return math.fsum(x.terms[t] * y.terms[t] for t in shared) / (x.norm * y.norm), len(shared)


def evidence_features(a: Analysis, b: Analysis, sides: tuple[Signed, Signed] | None = None) -> list[float]:
    """EVIDENCE_FEATURES of one pair, in order; ``sides``: the two articles' ``Signed``, when the caller keeps them."""
    sx, sy = sides if sides is not None else (Signed(a), Signed(b))
    x, y = sx.sig, sy.sig
    gap = _day_gap(x, y)
    px, py = sx.places, sy.places
    cos, shared_terms = _terms_cos(sx, sy)
    return [
        -1.0 if gap is None else math.log1p(min(gap, _DAYS_CAP)),
        float(bool(x.days)) + float(bool(y.days)),
        math.log1p(len(px & py)),
        _shared_or_conflict(px, py),
        _shared_or_conflict(sx.streets, sy.streets),
        _shared_or_conflict(sx.ages, sy.ages),
        _count_relation(a, b, x.killed, y.killed),
        _count_relation(a, b, x.injured, y.injured),
        _magnitude(x, y),
        cos,
        math.log1p(shared_terms),
    ]


_FAR_DAYS = 7  # incident days at least this far apart, in towns that share nothing: not one incident


def contradicted(a: Analysis, b: Analysis, sides: tuple[Signed, Signed] | None = None) -> bool:
    """Whether the two signatures contradict each other as no two reports of one event do: different magnitudes,
    or incident days ``_FAR_DAYS`` or more apart in different towns, no place of any level shared (a follow-up
    names the place it follows).
    The linker caps such a pair's probability (``clustering.linker``): it learnt from shootings, which state no
    magnitude, and from look-alike events years apart, and so weighs these too little on its own."""
    sx, sy = sides if sides is not None else (Signed(a), Signed(b))
    if _magnitude(sx.sig, sy.sig) == _CONFLICT:
        return True
    gap = _day_gap(sx.sig, sy.sig)
    if gap is None or gap < _FAR_DAYS or sx.places & sy.places:
        return False
    return bool(sx.towns) and bool(sy.towns)


def _place_name(key: str) -> str:
    return key.split(":")[-1].title()


def _numbers(values: tuple[float, ...]) -> str:
    return ", ".join(f"{v:g}" for v in values)


def evidence_words(a: Analysis, b: Analysis) -> tuple[str, ...]:
    """The signature comparisons in plain words, decisive ones first: conflicts, then agreements, then what is
    missing (weaker evidence)."""
    x, y = a.signature, b.signature
    conflicts, agreements, missing = [], [], []
    px, py = set(x.places), set(y.places)
    if px and py:
        if px & py:
            agreements.append("same place: " + ", ".join(sorted(_place_name(p) for p in px & py)[:3]))
        else:
            conflicts.append(f"different places: {', '.join(sorted(_place_name(p) for p in px)[:3])} / "
                             f"{', '.join(sorted(_place_name(p) for p in py)[:3])}")
    else:
        missing.append("no town or street named on " + ("both sides" if not px and not py else "one side"))
    gap = _day_gap(x, y)
    if gap is None:
        missing.append("no incident day stated on " + ("both sides" if not x.days and not y.days else "one side"))
    elif gap == 0:
        agreements.append("same incident day")
    elif gap <= 1:
        agreements.append("incident days one day apart")
    else:
        conflicts.append(f"incident days {gap} days apart")
    for name, rel, xv, yv in (("death toll", _count_relation(a, b, x.killed, y.killed), x.killed, y.killed),
                              ("injured", _count_relation(a, b, x.injured, y.injured), x.injured, y.injured)):
        if rel == _AGREE:
            agreements.append(f"same {name}: {_numbers(xv)}")
        elif rel == _UPDATE:
            first, then = _in_order(a, b, xv, yv)
            agreements.append(f"{name} updated {max(first):g} \u2192 {max(then):g}")
        elif rel == _CONFLICT:
            conflicts.append(f"{name} {_numbers(xv)} / {_numbers(yv)}")
    mag = _magnitude(x, y)
    if mag == _AGREE:
        agreements.append(f"same magnitude: {_numbers(x.magnitudes)}")
    elif mag == _CONFLICT:
        conflicts.append(f"magnitudes {_numbers(x.magnitudes)} / {_numbers(y.magnitudes)}")
    ages = _shared_or_conflict(set(x.ages), set(y.ages))
    if ages == 1.0:
        agreements.append("same ages: " + ", ".join(str(v) for v in sorted(set(x.ages) & set(y.ages))))
    elif ages == 0.0:
        conflicts.append(f"ages {', '.join(map(str, x.ages))} / {', '.join(map(str, y.ages))}")
    return tuple(conflicts + agreements + missing)
