"""Pair features from two analyses. Every feature is symmetric: f(a, b) == f(b, a).

Families (for ablation): ``embedding`` (document, title, lead, chunk similarities),
``alignment`` (the sentence-similarity matrix, both ways), ``entities``, ``places``,
``time``, ``numbers``, ``surface`` (MinHash), ``meta`` (lengths, languages); and, outside the
families every scorer uses, ``opening_cos`` (the second embedder's vectors of the openings).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..analysis.matching import EntityMatch, match_entities
from ..records import Analysis

__all__ = ["pair_features", "feature_matrix", "FEATURE_NAMES", "FEATURE_NAMES_WITH_OPENING", "FAMILIES", "OPENING_FEATURES",
           "sentence_similarity"]

_DAYS_CAP = 30.0  # beyond a month apart, "apart" is all that matters (and no counts grow without bound)

FAMILIES: dict[str, list[str]] = {
    "embedding": ["doc_cos", "title_cos", "lead_cos", "title_lead_cos", "chunk_max", "chunk_mean", "chunk_min_of_max"],
    "alignment": [
        "align_mean_min", "align_mean_max", "align_median_min", "align_p80_min", "align_top1",
        "align_frac60_min", "align_frac60_max", "align_frac75_min", "align_frac75_max", "align_first_sent",
    ],
    "entities": [
        "ent_matched", "ent_jaccard", "ent_overlap", "per_jaccard", "per_overlap", "org_jaccard",
        "ent_weighted", "ent_n_min", "ent_n_max",
    ],
    "places": ["country_jaccard", "country_top_same", "city_jaccard", "country_overlap"],
    "time": ["pub_days_apart", "pub_missing", "days_jaccard", "days_min_gap"],
    "numbers": ["num_jaccard", "num_value_jaccard", "num_n_min"],
    "surface": ["minhash_jaccard"],
    "meta": ["len_min", "len_ratio", "sent_ratio", "same_language", "cross_lingual", "both_titles"],
}
FEATURE_NAMES: list[str] = [name for names in FAMILIES.values() for name in names]
#: the cosine of the two opening vectors (``analysis.opening``): the scorer that uses it needs both
OPENING_FEATURES: list[str] = ["opening_cos"]
FEATURE_NAMES_WITH_OPENING: list[str] = [*FEATURE_NAMES, *OPENING_FEATURES]


def _norm(u: np.ndarray) -> float:
    return math.sqrt(float(u @ u))


def _cos(u: np.ndarray, v: np.ndarray, nu: float | None = None, nv: float | None = None) -> float:
    """Cosine (0 against a zero vector); ``nu``, ``nv``: the norms, when known."""
    nu = _norm(u) if nu is None else nu
    nv = _norm(v) if nv is None else nv
    if nu < 1e-9 or nv < 1e-9:
        return 0.0
    return float(u @ v) / (nu * nv)


def _quantile(ordered: np.ndarray, q: float) -> float:
    """np.percentile(x, 100 q) (linear interpolation) of an already sorted x, without NumPy's per-call overhead."""
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    if lo + 1 >= len(ordered):
        return float(ordered[-1])
    x, y, t = float(ordered[lo]), float(ordered[lo + 1]), pos - lo
    return x + (y - x) * t if t < 0.5 else y - (y - x) * (1 - t)


def _mean(x: np.ndarray) -> float:
    """float(x.mean()), bit for bit (NumPy sums in the array's type and divides in float64), without its per-call overhead."""
    return float(x.dtype.type(float(x.sum()) / x.size))


def _median(ordered: np.ndarray) -> float:
    n = len(ordered)
    return float(ordered[n // 2]) if n % 2 else (float(ordered[n // 2 - 1]) + float(ordered[n // 2])) / 2


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _overlap(a: set, b: set) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def sentence_similarity(a: Analysis, b: Analysis) -> np.ndarray:
    """Cosine matrix of a's sentences (rows) against b's (columns)."""
    return _similarity(np.asarray(a.sentence_vectors, dtype=np.float32), np.asarray(b.sentence_vectors, dtype=np.float32))


def _similarity(va: np.ndarray, vb: np.ndarray) -> np.ndarray:
    return va @ vb.T if len(va) and len(vb) else np.zeros((len(va), len(vb)), np.float32)


def _two_way(x: float, y: float) -> tuple[float, float]:
    return min(x, y), max(x, y)


class _Side:
    """What the features read of one article, computed once however many pairs it is in."""

    __slots__ = ("an", "sv", "doc_n", "title_n", "lead_n", "n_ent", "n_label", "mentions", "countries", "cities",
                 "days", "nums", "values", "text_len", "n_sent")

    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.sv = np.asarray(an.sentence_vectors, dtype=np.float32)
        self.doc_n, self.title_n, self.lead_n = (_norm(v) for v in (an.doc, an.title, an.lead))
        self.n_ent = len(an.entities)
        self.n_label = {label: sum(e.label == label for e in an.entities) for label in ("PER", "ORG")}
        self.mentions = sum(e.mentions for e in an.entities) or 1
        self.countries = set(an.countries)
        self.cities = {e.key for e in an.entities if e.city}
        self.days = set(an.days)
        self.nums = {(n.value, n.unit) for n in an.numbers}
        self.values = {v for v, _ in self.nums}
        self.text_len = len(an.article.text)
        self.n_sent = len(an.sentences)


def pair_features(
    a: Analysis, b: Analysis, *, match: EntityMatch | None = None, sim: np.ndarray | None = None
) -> dict[str, float]:
    """The features of one pair; ``match`` and ``sim`` may be given when the caller has them already."""
    return _features(_Side(a), _Side(b), match, sim)


def _features(sa: _Side, sb: _Side, m: EntityMatch | None, sim: np.ndarray | None) -> dict[str, float]:
    a, b = sa.an, sb.an
    f: dict[str, float] = {}
    # embedding
    f["doc_cos"] = _cos(a.doc, b.doc, sa.doc_n, sb.doc_n)
    f["title_cos"] = _cos(a.title, b.title, sa.title_n, sb.title_n)
    f["lead_cos"] = _cos(a.lead, b.lead, sa.lead_n, sb.lead_n)
    f["title_lead_cos"] = max(_cos(a.title, b.lead, sa.title_n, sb.lead_n), _cos(a.lead, b.title, sa.lead_n, sb.title_n))
    if len(a.chunks) and len(b.chunks):
        cm = a.chunks @ b.chunks.T
        f["chunk_max"], f["chunk_mean"] = float(cm.max()), _mean(cm)
        f["chunk_min_of_max"] = min(_mean(cm.max(axis=1)), _mean(cm.max(axis=0)))
    else:
        f["chunk_max"] = f["chunk_mean"] = f["chunk_min_of_max"] = 0.0
    # alignment
    sim = _similarity(sa.sv, sb.sv) if sim is None else sim
    if sim.size:
        # best match of each sentence in the other article, sorted
        ra, rb = np.sort(sim.max(axis=1)), np.sort(sim.max(axis=0))
        f["align_mean_min"], f["align_mean_max"] = _two_way(_mean(ra), _mean(rb))
        f["align_median_min"] = min(_median(ra), _median(rb))
        f["align_p80_min"] = min(_quantile(ra, 0.8), _quantile(rb, 0.8))
        f["align_top1"] = float(ra[-1])
        fa, fb = (np.count_nonzero(ra >= 0.6) / len(ra), np.count_nonzero(rb >= 0.6) / len(rb))
        f["align_frac60_min"], f["align_frac60_max"] = _two_way(fa, fb)
        fa, fb = (np.count_nonzero(ra >= 0.75) / len(ra), np.count_nonzero(rb >= 0.75) / len(rb))
        f["align_frac75_min"], f["align_frac75_max"] = _two_way(fa, fb)
        f["align_first_sent"] = float(sim[0, 0])
    else:
        for name in FAMILIES["alignment"]:
            f[name] = 0.0
    # entities
    m = match_entities(a, b) if m is None else m
    na, nb = sa.n_ent, sb.n_ent
    k = len(m.matched)
    f["ent_matched"] = math.log1p(k)
    f["ent_jaccard"] = k / (na + nb - k) if na + nb - k else 0.0
    f["ent_overlap"] = k / min(na, nb) if na and nb else 0.0
    for label, name in (("PER", "per"), ("ORG", "org")):
        la, lb = sa.n_label[label], sb.n_label[label]
        lk = sum(x.label == label or y.label == label for x, y in m.matched)
        f[f"{name}_jaccard"] = lk / (la + lb - lk) if la + lb - lk > 0 else 0.0
        if name == "per":
            f["per_overlap"] = lk / min(la, lb) if la and lb else 0.0
    f["ent_weighted"] = min(sum(x.mentions for x, _ in m.matched) / sa.mentions, sum(y.mentions for _, y in m.matched) / sb.mentions)
    f["ent_n_min"], f["ent_n_max"] = math.log1p(min(na, nb)), math.log1p(max(na, nb))
    # places
    f["country_jaccard"] = _jaccard(sa.countries, sb.countries)
    f["country_overlap"] = _overlap(sa.countries, sb.countries)
    f["country_top_same"] = float(bool(a.countries and b.countries and a.countries[0] == b.countries[0]))
    f["city_jaccard"] = _jaccard(sa.cities, sb.cities)
    # time
    pa, pb = a.article.published, b.article.published
    if pa and pb:
        f["pub_days_apart"] = math.log1p(min(abs((pa - pb).total_seconds()) / 86400, _DAYS_CAP))
        f["pub_missing"] = 0.0
    else:
        f["pub_days_apart"] = -1.0
        f["pub_missing"] = 1.0 if (pa is None) != (pb is None) else 2.0
    f["days_jaccard"] = _jaccard(sa.days, sb.days)
    gap = min((abs((x - y).days) for x in sa.days for y in sb.days), default=None)
    f["days_min_gap"] = -1.0 if gap is None else math.log1p(min(gap, _DAYS_CAP))
    # numbers
    f["num_jaccard"] = _jaccard(sa.nums, sb.nums)
    f["num_value_jaccard"] = _jaccard(sa.values, sb.values)
    f["num_n_min"] = math.log1p(min(len(sa.nums), len(sb.nums)))
    # surface
    same = len(a.minhash) == len(b.minhash) and len(a.minhash)
    f["minhash_jaccard"] = np.count_nonzero(a.minhash == b.minhash) / len(a.minhash) if same else 0.0
    # meta
    la_, lb_ = sa.text_len, sb.text_len
    f["len_min"] = math.log1p(min(la_, lb_))
    f["len_ratio"] = min(la_, lb_) / max(la_, lb_) if max(la_, lb_) else 0.0
    sn, sm = sa.n_sent, sb.n_sent
    f["sent_ratio"] = min(sn, sm) / max(sn, sm) if max(sn, sm) else 0.0
    f["same_language"] = float(a.language == b.language)
    f["cross_lingual"] = float(a.language != b.language and a.language is not None and b.language is not None)
    f["both_titles"] = float(bool(a.article.title) and bool(b.article.title))
    # opening (0 where a side has no opening vector: only the scorer trained with it reads it)
    f["opening_cos"] = _cos(a.opening, b.opening) if a.opening is not None and b.opening is not None else 0.0
    return f


def feature_matrix(pairs, contexts=None, names: Sequence[str] = FEATURE_NAMES) -> np.ndarray:
    """Rows of features in the order of ``names``, one per (a, b) pair; ``contexts``: (match, sim) per pair, if known."""
    sides: dict[int, _Side] = {}  # an article in many pairs (a stream's candidates) is read once

    def side(an: Analysis) -> _Side:
        got = sides.get(id(an))
        if got is None:
            got = sides[id(an)] = _Side(an)
        return got

    rows = []
    for k, (a, b) in enumerate(pairs):
        match, sim = contexts[k] if contexts is not None else (None, None)
        f = _features(side(a), side(b), match, sim)
        rows.append([f[name] for name in names])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(names))
