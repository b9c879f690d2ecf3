"""Step 5 of the batch definition: a story whose articles centre on two different people is two stories.

ECB+ pairs each event with a look-alike of the same topic (two Chargers players arrested for drunk driving,
two coaches fired by one team), and the pair linker, which sees two articles at a time, links them: same team,
same charge, same kind of sentence. The story as a whole shows what a pair hides. Each article's *protagonist*
is the person it mentions most (names matched by surname key, so "Vincent Jackson" and "Jackson" are one; none
where two people tie). When the two people who lead the most articles each lead at least
``cluster.protagonist_articles`` (and no third leads as many as the second) and the articles of one of them
(nearly) never name the other (share <= ``cluster.protagonist_co_mention``), the story splits in two: the later
event's coverage recalls the earlier one, the earlier event's cannot name the later one, while the people of a
single event name each other. Articles led by someone else go where their mentions of the two point, or, on a
tie, to the nearer group by document vector.

On ECB+ train gold groups (``benchmarks/bench_clustering.py`` prints it): none of the 50 gold events is split,
and 11 of the 25 topics (both events merged into one story) come apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..analysis.names import surname_key
from ..records import Analysis

__all__ = ["may_split", "people", "protagonist_split"]


def may_split(size: int, min_articles: int) -> bool:
    """Whether a story of ``size`` articles can split: the rule is on and each side could have ``min_articles``."""
    return min_articles > 0 and size >= 2 * min_articles


def people(an: Analysis) -> Counter:
    """Mentions of each person in the article, by surname key."""
    counts: Counter = Counter()
    for e in an.entities:
        if e.label == "PER":
            counts[surname_key(e.text) or e.key] += e.mentions
    return counts


def _protagonist(counts: Counter) -> str | None:
    """The person mentioned most; None where none is, or two or more are mentioned most."""
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[1][1] == top[0][1]):
        return None
    return top[0][0]


def protagonist_split(analyses: Sequence[Analysis], *, min_articles: int, co_mention: float) -> list[list[int]]:
    """Groups of indices into ``analyses`` (one story's articles, in id order): one group, or the story split by
    protagonist (each group sorted, listed by smallest member). ``min_articles`` 0 turns the rule off."""
    members = list(range(len(analyses)))
    if not may_split(len(analyses), min_articles):
        return [members]
    counts = [people(an) for an in analyses]
    lead = {i: _protagonist(counts[i]) for i in members}
    led = Counter(p for p in lead.values() if p is not None)
    top = sorted(led, key=lambda p: (-led[p], p))[:3]
    if len(top) < 2 or led[top[1]] < min_articles or (len(top) == 3 and led[top[2]] == led[top[1]]):
        return [members]  # fewer than two protagonists, or no clear second one
    p1, p2 = top[:2]
    a = [i for i in members if lead[i] == p1]
    b = [i for i in members if lead[i] == p2]
    names_other = min(sum(p2 in counts[i] for i in a) / len(a), sum(p1 in counts[i] for i in b) / len(b))
    if names_other > co_mention:
        return [members]
    centre_a = np.mean([analyses[i].doc for i in a], axis=0)
    centre_b = np.mean([analyses[i].doc for i in b], axis=0)
    for i in members:
        if lead[i] in (p1, p2):
            continue
        m1, m2 = counts[i].get(p1, 0), counts[i].get(p2, 0)
        if m1 == m2:
            m1, m2 = float(analyses[i].doc @ centre_a), float(analyses[i].doc @ centre_b)
        (a if m1 >= m2 else b).append(i)
    return sorted([sorted(a), sorted(b)], key=lambda g: g[0])
