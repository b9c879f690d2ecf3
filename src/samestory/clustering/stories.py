"""Story records from groups of analysed articles: title, timeline, copies, what it is about,
and per-source coverage (what each source reports that the others don't)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache

import numpy as np

from ..analysis.vectors import MINHASH_PERM, shingles_of
from ..records import Analysis, Coverage, Story, StoryArticle

__all__ = ["make_story", "copy_groups", "coverage", "story_id", "story_to_dict", "story_from_dict", "publication_order"]

COPY_LSH_THRESHOLD = 0.5  # MinHash LSH candidates...
COPY_CONTAINMENT = 0.8  # ...verified: this share of the shorter text's 5-shingles is in the longer one
_ONLY_HERE = 0.6  # a sentence with no counterpart this similar in another source is "only here"
_LISTED = 6


def story_id(founder: str) -> str:
    """A story's id, from its founding article's id: stable while the story grows."""
    return "s" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:12]


def publication_order(an: Analysis) -> tuple:
    return order_key(an.article.published, an.id)


def order_key(published: datetime | None, article: str) -> tuple:
    """Earliest first, undated last, then by id."""
    return (published is None, published.timestamp() if published else 0.0, article)


@lru_cache(maxsize=1)
def _lsh_params() -> tuple[int, int]:
    """Bands and rows for the copy threshold (datasketch optimises them by integration: once, not per story)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=COPY_LSH_THRESHOLD, num_perm=MINHASH_PERM)
    return lsh.b, lsh.r


def copy_groups(analyses: Sequence[Analysis]) -> list[list[str]]:
    """Groups (of two or more) of near-duplicate articles, earliest (the original) first.

    Candidates come from MinHash LSH over the analyses' MinHash signatures; each candidate pair
    is verified on the texts' shingles (containment of the shorter in the longer).
    """
    if len(analyses) < 2:
        return []
    from datasketch import LeanMinHash, MinHashLSH

    ans = sorted(analyses, key=publication_order)
    lsh = MinHashLSH(num_perm=MINHASH_PERM, params=_lsh_params())
    shingles: dict[str, set[bytes]] = {}
    parent = {a.id: a.id for a in ans}
    rank = {a.id: k for k, a in enumerate(ans)}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    texts = {a.id: a.article.text for a in ans}

    def shingled(x: str) -> set[bytes]:  # only articles with a candidate are shingled, each once
        if x not in shingles:
            shingles[x] = shingles_of(texts[x])
        return shingles[x]

    for an in ans:
        mh = LeanMinHash(seed=1, hashvalues=an.minhash, scheme="affine32")  # LSH reads the values only: no permutations built
        for other in sorted(lsh.query(mh), key=rank.__getitem__):
            a, b = shingled(an.id), shingled(other)
            if a and b and len(a & b) / min(len(a), len(b)) >= COPY_CONTAINMENT:
                ra, rb = find(an.id), find(other)
                if ra != rb:
                    parent[max(ra, rb, key=rank.__getitem__)] = min(ra, rb, key=rank.__getitem__)
        lsh.insert(an.id, mh)
    groups: dict[str, list[str]] = defaultdict(list)
    for an in ans:
        groups[find(an.id)].append(an.id)
    return [g for g in groups.values() if len(g) > 1]


def _most_common(counts: Counter, n: int) -> tuple:
    return tuple(k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:n])


def make_story(members: Sequence[Analysis], *, sid: str | None = None) -> Story:
    """The story record of a group of analysed articles (``sid``: keep this id; default: from the earliest article)."""
    ans = sorted(members, key=publication_order)
    V = np.vstack([a.doc for a in ans]).astype(np.float64)
    central = ans[int(np.round(V @ V.T, 6).sum(axis=1).argmax())]
    dated = [a.article.published for a in ans if a.article.published]
    copies = copy_groups(ans)
    copy_of = {c: g[0] for g in copies for c in g[1:]}
    entities: Counter = Counter()
    surface: dict[str, Counter] = defaultdict(Counter)
    countries: Counter = Counter()
    days: Counter = Counter()
    for a in ans:
        for e in a.entities:
            if e.label in ("PER", "ORG", "MISC") or (e.label == "LOC" and not e.country):
                entities[e.key] += 1
                surface[e.key][e.text] += e.mentions
        for c in a.countries[:3]:
            countries[c] += 1
        for d in a.days:
            days[d] += 1
    return Story(
        id=sid or story_id(ans[0].id),
        title=central.article.title or (central.sentences[0] if central.sentences else central.id),
        articles=tuple(a.id for a in ans),
        first_seen=min(dated) if dated else None,
        last_seen=max(dated) if dated else None,
        sources=tuple(sorted({a.article.source for a in ans if a.article.source})),
        countries=_most_common(countries, 5),
        copies=tuple(tuple(g) for g in copies),
        entities=tuple(_most_common(surface[k], 1)[0] for k in _most_common(entities, 8)),
        days=tuple(sorted(_most_common(Counter({d: n for d, n in days.items() if n > 1 or len(ans) == 1}), 5))),
        timeline=tuple(
            StoryArticle(a.id, a.article.source, a.article.published, a.article.title, a.article.url, copy_of.get(a.id))
            for a in ans
        ),
    )


def coverage(members: Sequence[Analysis]) -> list[Coverage]:
    """Per source, the sentences (and names) no other source in the story reports; sources by name.

    Articles without a source are grouped under their own id. A sentence is "only here" when
    no sentence of another source is at least 0.6 similar (the scorer's explanation rule).
    """
    by_source: dict[str, list[Analysis]] = defaultdict(list)
    for a in sorted(members, key=publication_order):
        by_source[a.article.source or a.id].append(a)
    if len(by_source) < 2:
        return []
    vecs = {s: np.vstack([a.sentence_vectors for a in arts if len(a.sentence_vectors)] or [np.zeros((0, 1))])
            for s, arts in by_source.items()}
    keys = {s: {e.key for a in arts for e in a.entities} for s, arts in by_source.items()}
    out = []
    for src, arts in by_source.items():
        others = [vecs[o] for o in by_source if o != src and len(vecs[o]) and vecs[o].shape[1] > 1]
        other_keys = set().union(*(keys[o] for o in by_source if o != src))
        mine = [(s, v) for a in arts for s, v in zip(a.sentences, a.sentence_vectors)]
        only: list[str] = []
        if others and mine:
            O = np.vstack(others).astype(np.float32)
            best = (np.vstack([v for _, v in mine]).astype(np.float32) @ O.T).max(axis=1)
            only = [s for (s, _), b in zip(mine, best) if b < _ONLY_HERE]
        names = []
        for a in arts:
            for e in a.entities:
                if e.key not in other_keys and e.text not in names:
                    names.append(e.text)
        out.append(Coverage(src, tuple(a.id for a in arts), tuple(dict.fromkeys(only))[:_LISTED], tuple(names[:_LISTED])))
    return out


def _iso(d: datetime | date | None) -> str | None:
    return d.isoformat() if d is not None else None


def story_to_dict(s: Story) -> dict:
    """The JSON form of a story (what ``samestory cluster`` writes, the store keeps and the API returns)."""
    return {
        "story": s.id,
        "title": s.title,
        "articles": list(s.articles),
        "copies": [list(g) for g in s.copies],
        "first_seen": _iso(s.first_seen),
        "last_seen": _iso(s.last_seen),
        "sources": list(s.sources),
        "countries": list(s.countries),
        "entities": list(s.entities),
        "days": [_iso(d) for d in s.days],
        "timeline": [
            {"id": t.id, "source": t.source, "published": _iso(t.published), "title": t.title, "url": t.url, "copy_of": t.copy_of}
            for t in s.timeline
        ],
    }


def story_from_dict(d: dict) -> Story:
    dt = lambda v: datetime.fromisoformat(v) if v else None  # noqa: E731
    return Story(
        id=d["story"],
        title=d["title"],
        articles=tuple(d["articles"]),
        first_seen=dt(d.get("first_seen")),
        last_seen=dt(d.get("last_seen")),
        sources=tuple(d.get("sources", ())),
        countries=tuple(d.get("countries", ())),
        copies=tuple(tuple(g) for g in d.get("copies", ())),
        entities=tuple(d.get("entities", ())),
        days=tuple(date.fromisoformat(x) for x in d.get("days", ())),
        timeline=tuple(
            StoryArticle(t["id"], t.get("source"), dt(t.get("published")), t.get("title"), t.get("url"), t.get("copy_of"))
            for t in d.get("timeline", ())
        ),
    )
