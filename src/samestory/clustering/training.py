"""Train the story linker (``scripts/train_linker.py``).

Rows: the candidate pairs of ECB+ train (``demo/ecbplus.jsonl``, split "train"; label: same
gold sub-topic, i.e. the same event) plus the SemEval train split's pairs (label: Overall <= 2),
so that cross-lingual pairs are seen too. Thresholds are chosen by topic-grouped
cross-validation on ECB+ train (BCubed F1 of the held-out topics); ECB+ dev is never used.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np

from ..records import Analysis
from ..scoring.training import PARAMS as SCORER_PARAMS
from ..settings import Settings
from .batch import groups_from_links
from .candidates import candidate_pairs
from .search import search_vectors
from .linker import LINK_FEATURES, LINKER_DIR, link_features

__all__ = ["PARAMS", "ROUNDS", "bcubed", "candidate_rows", "fit_linker", "load_ecb", "load_gun_violence", "save_linker",
           "source_weights", "split_by_time", "dev_incidents", "tune_thresholds"]

# the scorer's LightGBM settings, as a classifier with its own learning rate and seed
PARAMS = {**SCORER_PARAMS, "objective": "binary", "learning_rate": 0.05, "seed": 11}
ROUNDS = 300


def load_ecb(path: str | Path, split: str, store, *, settings: Settings | None = None, topics: int | None = None):
    """ECB+ articles of one split of the demo corpus (``demo/ecbplus.jsonl``), cleaned and analysed through the
    store's cache, in file order; with their gold event (sub-topic) and topic by id. ``topics``: the first N only."""
    from ..analysis import analyse_cached
    from ..articles import article_from_dict
    from ..cleaning import clean_one

    docs = [json.loads(line) for line in Path(path).open(encoding="utf-8")]
    docs = [d for d in docs if d["meta"]["split"] == split]
    if topics:
        keep = sorted({d["meta"]["topic"] for d in docs})[:topics]
        docs = [d for d in docs if d["meta"]["topic"] in keep]
    analyses = analyse_cached([clean_one(article_from_dict(d)) for d in docs], store, settings=settings)
    return analyses, {d["id"]: d["meta"]["subtopic"] for d in docs}, {d["id"]: d["meta"]["topic"] for d in docs}


def load_gun_violence(path: str | Path, store, *, settings: Settings | None = None):
    """The gun-violence articles (``../shared/data/gun_violence/gva_articles.jsonl``: US local news labelled with
    Gun Violence Archive incidents), cleaned and analysed through the store's cache, in file order; with their gold
    incident by id. Articles the scrape left without text are left out."""
    from ..analysis import analyse_cached
    from ..articles import article_from_dict
    from ..cleaning import clean_one

    docs = [d for d in map(json.loads, Path(path).open(encoding="utf-8")) if d.get("text", "").strip()]
    gold = {d["id"]: str(d["incident"]) for d in docs}
    arts = [clean_one(article_from_dict({k: v for k, v in d.items() if k not in ("incident", "archived_url")}), settings=settings)
            for d in docs]
    return analyse_cached(arts, store, settings=settings), gold


def split_by_time(analyses: Sequence[Analysis], gold: dict[str, str], *, dev_weeks: int = 12) -> tuple[list[Analysis], list[Analysis]]:
    """(train, dev) by incident and by time: dev holds every article of the incidents first reported in the last
    ``dev_weeks`` weeks of the data, train the incidents first reported before (so look-alike incidents of the
    same days fall on one side); undated articles go with their incident, incidents with no date at all nowhere."""
    dev_inc = dev_incidents([(gold[an.id], an.article.published) for an in analyses], dev_weeks=dev_weeks)
    dated = {gold[an.id] for an in analyses if an.article.published is not None}
    train = [an for an in analyses if gold[an.id] not in dev_inc and gold[an.id] in dated]
    dev = [an for an in analyses if gold[an.id] in dev_inc]
    return train, dev


def dev_incidents(rows: Sequence[tuple[str, object]], *, dev_weeks: int = 12) -> set[str]:
    """The incidents of (incident, published) rows first reported in the last ``dev_weeks`` weeks of the rows."""
    first: dict[str, object] = {}
    for inc, day in rows:
        if day is not None:
            first[inc] = min(first.get(inc, day), day)
    cutoff = max(first.values()) - timedelta(weeks=dev_weeks)
    return {inc for inc, day in first.items() if day >= cutoff}


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering (item -> cluster) against gold (item -> class)."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item, c in pred.items():
        by_pred[c].add(item)
    for item, c in gold.items():
        by_gold[c].add(item)
    p = r = 0.0
    for item in gold:
        same_pred, same_gold = by_pred[pred[item]], by_gold[gold[item]]
        both = len(same_pred & same_gold)
        p += both / len(same_pred)
        r += both / len(same_gold)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def candidate_rows(ans: Sequence[Analysis], settings: Settings, *, min_cosine: float = 0.2) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Candidate pairs of id-sorted analyses (a little wider than at run time) and their link features."""
    cfg = settings.cluster
    cands = candidate_pairs(search_vectors(ans), [a.article.published for a in ans],
                            neighbours=cfg.neighbours, min_cosine=min(min_cosine, cfg.min_cosine), window_days=cfg.window_days)
    pairs = sorted(cands)
    return pairs, link_features([(ans[i], ans[j]) for i, j in pairs])


def fit_linker(X: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None):
    import lightgbm as lgb

    return lgb.train(PARAMS, lgb.Dataset(X, label=y, weight=weight, feature_name=LINK_FEATURES), num_boost_round=ROUNDS)


def source_weights(*sizes_and_shares: tuple[int, float]) -> np.ndarray:
    """Row weights giving each source (its number of rows, its share of the total weight) that share, whatever
    its size: 74,000 gun-violence pairs would otherwise drown 7,000 ECB+ pairs."""
    total = sum(n for n, _ in sizes_and_shares)
    return np.concatenate([np.full(n, share * total / n) for n, share in sizes_and_shares if n])


def tune_thresholds(folds: list[tuple[list[str], dict[tuple[int, int], float], dict[str, str]]], settings: Settings) -> tuple[float, float, float]:
    """(link, split, mean F1): the thresholds with the best mean BCubed F1 over held-out folds.

    Each fold: article ids (id order), out-of-fold probabilities of its candidate pairs, gold.
    """
    best = (settings.cluster.link_probability, settings.cluster.split_probability, -1.0)
    for lp in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for sp in (0.2, 0.3, 0.4, 0.5, 0.6):
            s = replace(settings, cluster=replace(settings.cluster, link_probability=lp, split_probability=sp))
            f1s = []
            for ids, prob, gold in folds:
                groups = groups_from_links(len(ids), prob, s)
                pred = {ids[i]: str(k) for k, g in enumerate(groups) for i in g}
                f1s.append(bcubed(pred, gold)[2])
            if np.mean(f1s) > best[2]:
                best = (lp, sp, float(np.mean(f1s)))
    return best


def save_linker(booster, meta: dict, directory: Path = LINKER_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "linker.txt").write_text(booster.model_to_string())
    (directory / "linker.json").write_text(json.dumps({**meta, "features": LINK_FEATURES}, indent=2))
