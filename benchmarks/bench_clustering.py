"""Story clustering on ECB+ (gold = sub-topic, i.e. the event): BCubed P/R/F1 and cluster counts.

samestory's batch clustering (thresholds tuned on the train split only; the number of
stories is not given) side by side with TF-IDF + agglomerative clustering (distance
threshold tuned on train) and embedding + KMeans given the true number of stories, in the
same script; then order sensitivity (shuffled input, BCubed agreement with the first run).

    .venv/bin/python benchmarks/bench_clustering.py [--no-tune]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, need, save, table  # noqa: E402

from samestory import analyse_all, article_from_dict, clean, load_settings  # noqa: E402
from samestory.clustering import cluster  # noqa: E402


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
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
    return p, r, 2 * p * r / (p + r)


def load(split: str, topics: int | None = None) -> tuple[list, dict[str, str]]:
    need(DATA / "ecbplus")
    docs = [json.loads(l) for l in (REPO / "demo" / "ecbplus.jsonl").open()]
    docs = [d for d in docs if d["meta"]["split"] == split]
    if topics:
        keep = sorted({d["meta"]["topic"] for d in docs})[:topics]
        docs = [d for d in docs if d["meta"]["topic"] in keep]
    arts = [clean(article_from_dict(d))[0] for d in docs]
    return list(analyse_all(arts)), {d["id"]: d["meta"]["subtopic"] for d in docs}


def assign(stories) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.articles}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-tune", action="store_true")
    ap.add_argument("--topics", type=int, help="only the first N topics of each split (smoke runs)")
    args = ap.parse_args()
    base = load_settings()
    train, gold_train = load("train", args.topics)
    dev, gold_dev = load("dev", args.topics)
    best = base.cluster
    if not args.no_tune:
        grid = []
        for lp in (0.3, 0.5, 0.7):
            for sp in (0.3, 0.4, 0.5, 0.6):
                cfg = replace(base.cluster, link_probability=lp, min_cosine=0.2, split_probability=sp)
                f = bcubed(assign(cluster(train, settings=replace(base, cluster=cfg))), gold_train)[2]
                grid.append((f, cfg))
        best = max(grid, key=lambda g: g[0])[1]
        print(f"tuned on train: link_probability={best.link_probability}, split_probability={best.split_probability} "
              f"(train BCubed F1 {max(g[0] for g in grid):.3f})")
    settings = replace(base, cluster=best)
    t0 = time.perf_counter()
    stories = cluster(dev, settings=settings)
    secs = time.perf_counter() - t0
    rows = [["samestory (scorer-verified links, k unknown)", *bcubed(assign(stories), gold_dev), len(stories)]]
    # baselines
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    def tfidf_agglo(ans, threshold):
        X = TfidfVectorizer(sublinear_tf=True, min_df=1, stop_words="english").fit_transform([a.article.text for a in ans]).toarray()
        labels = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average").fit_predict(X)
        return {a.id: str(l) for a, l in zip(ans, labels)}

    th = max((0.6, 0.7, 0.8, 0.9, 0.95), key=lambda t: bcubed(tfidf_agglo(train, t), gold_train)[2]) if len(train) > 2 else 0.8
    pred = tfidf_agglo(dev, th)
    rows.append([f"TF-IDF + agglomerative (threshold {th}, tuned on train)", *bcubed(pred, gold_dev), len(set(pred.values()))])
    k = len(set(gold_dev.values()))
    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(np.vstack([a.doc for a in dev]))
    rows.append([f"embedding + KMeans (true k = {k})", *bcubed({a.id: str(l) for a, l in zip(dev, labels)}, gold_dev), k])
    table(f"ECB+ dev: {len(dev)} articles, {k} gold stories; BCubed", ["method", "precision", "recall", "F1", "clusters"], rows)
    # order sensitivity
    shuffled = dev[:]
    random.Random(5).shuffle(shuffled)
    agree = bcubed(assign(cluster(shuffled, settings=settings)), assign(stories))[2]
    print(f"order sensitivity: BCubed F1 between the run on shuffled input and the first run: {agree:.3f}")
    print(f"clustering time (scoring included, analyses given): {secs:.1f} s for {len(dev)} articles")
    save("clustering" if not args.topics else "clustering-smoke", {"dev": {r[0]: {"precision": r[1], "recall": r[2], "f1": r[3], "clusters": r[4]} for r in rows},
                        "settings": {"link_probability": best.link_probability, "split_probability": best.split_probability,
                                     "min_cosine": best.min_cosine},
                        "order_agreement_f1": agree})


if __name__ == "__main__":
    main()
