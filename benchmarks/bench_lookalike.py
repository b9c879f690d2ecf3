"""Look-alike events close in time: the gun-violence dev stream, and the calibration of P(same story).

Data: ``../shared/data/gun_violence`` (US local news, 2013-2017, each article labelled with its Gun Violence
Archive incident; many shootings a day). Dev split by incident and by time
(``clustering.training.split_by_time``): the incidents first reported in the last twelve weeks of the data, with
all their articles; the linker and the IDF table were built from the weeks before only. Stories of the dev stream,
BCubed against the incidents, side by side in one run with:

- one story per article;
- TF-IDF (sublinear tf, English stop words) + average-linkage agglomerative clustering, the cosine-distance
  threshold chosen on the train side's last 3,000 articles;
- samestory batch clustering (``cluster``) and the incremental clusterer in date order (batches of 50, then repair).

Then the candidates' recall (gold same-incident pairs that candidate generation offers the linker; beside it, the
recall of candidates by document vector alone, the rule before search vectors), and the
calibration of the linker's probability on the dev candidate pairs of the gun-violence and ECB+ dev streams:
Brier score and a reliability table (mean predicted against observed share of same-story pairs per bin).

    .venv/bin/python benchmarks/bench_lookalike.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, RESULTS, need, save, table  # noqa: E402

from samestory import StoryClusterer, cluster, load_settings  # noqa: E402
from samestory.clustering.batch import score_pairs  # noqa: E402
from samestory.clustering.candidates import candidate_pairs  # noqa: E402
from samestory.clustering.search import search_vectors  # noqa: E402
from samestory.clustering.training import bcubed, load_ecb, load_gun_violence, split_by_time  # noqa: E402
from samestory.store import SQLiteStore  # noqa: E402


def by_date(ans):
    return sorted(ans, key=lambda a: (a.article.published is None, a.article.published.timestamp() if a.article.published else 0, a.id))


def tfidf_distances(ans) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([f"{a.article.title or ''}\n{a.article.text}" for a in ans])
    return np.clip(1.0 - (X @ X.T).toarray(), 0.0, 2.0)


def tfidf_agglo(ans, threshold: float, distances: np.ndarray | None = None) -> dict[str, str]:
    from sklearn.cluster import AgglomerativeClustering

    D = tfidf_distances(ans) if distances is None else distances
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="precomputed", linkage="average").fit_predict(D)
    return {a.id: str(label) for a, label in zip(ans, labels)}


def incremental(ans, settings) -> dict[str, str]:
    c = StoryClusterer(settings=settings)
    for start in range(0, len(ans), 50):
        c.partial_fit(ans[start : start + 50])
    c.repair()
    return dict(c.story_of)


def candidate_probabilities(ans, gold, settings):
    """The linker's probability and the gold label of every candidate pair, and the candidates' recall."""
    ans = sorted(ans, key=lambda a: a.id)
    cfg = settings.cluster
    cands = candidate_pairs(search_vectors(ans), [a.article.published for a in ans],
                            neighbours=cfg.neighbours, min_cosine=cfg.min_cosine, window_days=cfg.window_days)
    probs = score_pairs(ans, sorted(cands))
    p = np.array([probs[k] for k in sorted(cands)])
    y = np.array([gold[ans[i].id] == gold[ans[j].id] for i, j in sorted(cands)], dtype=float)
    sizes: dict[str, int] = {}
    for a in ans:
        sizes[gold[a.id]] = sizes.get(gold[a.id], 0) + 1
    gold_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    # the peer: candidates by document vector alone (the rule before search vectors, at its min_cosine 0.3)
    by_doc = candidate_pairs(np.vstack([a.doc for a in ans]), [a.article.published for a in ans],
                             neighbours=cfg.neighbours, min_cosine=0.3, window_days=cfg.window_days)
    doc_hits = sum(gold[ans[i].id] == gold[ans[j].id] for i, j in by_doc)
    return p, y, (y.sum() / gold_pairs if gold_pairs else float("nan")), (doc_hits / gold_pairs if gold_pairs else float("nan"))


def reliability(p: np.ndarray, y: np.ndarray) -> list[list]:
    rows = []
    edges = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001]
    for lo, hi in zip(edges, edges[1:]):
        sel = (p >= lo) & (p < hi)
        if sel.any():
            rows.append([f"{lo:.1f}-{min(hi, 1.0):.1f}", int(sel.sum()), float(p[sel].mean()), float(y[sel].mean())])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="only the first N dev incidents' articles (smoke runs)")
    ap.add_argument("--cache", default=str(RESULTS / "gv-cache.db"), help="analysis cache of the gun-violence articles")
    args = ap.parse_args()
    need(DATA / "gun_violence")
    settings = load_settings()
    RESULTS.mkdir(parents=True, exist_ok=True)
    with SQLiteStore(args.cache) as store:
        analyses, gold = load_gun_violence(DATA / "gun_violence" / "gva_articles.jsonl", store, settings=settings)
    train, dev = split_by_time(analyses, gold)
    if args.limit:
        keep = sorted({gold[a.id] for a in dev})[: args.limit]
        dev = [a for a in dev if gold[a.id] in keep]
        train = train[-3 * len(dev):]
    dev = by_date(dev)
    gold_dev = {a.id: gold[a.id] for a in dev}
    incidents = len(set(gold_dev.values()))
    days = sorted({a.article.published.date() for a in dev if a.article.published})
    rows = [["one story per article", *bcubed({a.id: a.id for a in dev}, gold_dev), len(dev)]]
    tune = train[-3000:]  # the train side's last 3,000 articles (the whole side's distances would take 200 MB and minutes)
    gold_tune, D = {a.id: gold[a.id] for a in tune}, tfidf_distances(tune)
    th = max((0.5, 0.6, 0.7, 0.8, 0.9), key=lambda t: bcubed(tfidf_agglo(tune, t, D), gold_tune)[2])
    pred = tfidf_agglo(dev, th)
    rows.append([f"TF-IDF + average linkage (threshold {th}, chosen on train)", *bcubed(pred, gold_dev), len(set(pred.values()))])
    t0 = time.perf_counter()
    stories = cluster(dev, settings=settings)
    secs = time.perf_counter() - t0
    batch = {a: s.id for s in stories for a in s.articles}
    rows.append(["samestory batch", *bcubed(batch, gold_dev), len(stories)])
    inc = incremental(dev, settings)
    rows.append(["samestory incremental (date order, batches of 50) + repair", *bcubed(inc, gold_dev), len(set(inc.values()))])
    table(f"gun-violence dev stream: {len(dev)} articles, {incidents} incidents, {len(days)} days "
          f"({days[0]} .. {days[-1]}); BCubed against the incidents",
          ["method", "precision", "recall", "F1", "stories"], rows)
    calib = {"gun-violence dev": candidate_probabilities(dev, gold_dev, settings)}
    need(DATA / "ecbplus")
    with SQLiteStore(RESULTS / "train-cache.db") as store:
        ecb_dev, ecb_gold, _ = load_ecb(REPO / "demo" / "ecbplus.jsonl", "dev", store, settings=settings)
    calib["ECB+ dev"] = candidate_probabilities(ecb_dev, ecb_gold, settings)
    cal_rows, rel = [], {}
    for name, (p, y, recall, doc_recall) in calib.items():
        cal_rows.append([name, len(p), int(y.sum()), recall, doc_recall, float(np.mean((p - y) ** 2)), float(np.mean((y.mean() - y) ** 2))])
        rel[name] = reliability(p, y)
        table(f"reliability of P(same story), {name} candidate pairs", ["predicted", "pairs", "mean predicted", "observed"], rel[name])
    table("P(same story) on candidate pairs", ["stream", "pairs", "same-story pairs", "candidate recall",
                                               "... by document vector alone", "Brier", "Brier of the base rate"], cal_rows)
    print(f"\nbatch clustering of the dev stream: {secs:.1f} s (analyses given)")
    save("lookalike" + ("-smoke" if args.limit else ""), {
        "dev": {"articles": len(dev), "incidents": incidents, "first_day": str(days[0]), "last_day": str(days[-1])},
        "bcubed": {r[0]: {"precision": r[1], "recall": r[2], "f1": r[3], "stories": r[4]} for r in rows},
        "calibration": {r[0]: {"pairs": r[1], "positives": r[2], "candidate_recall": r[3], "candidate_recall_by_document": r[4],
                                  "brier": r[5], "brier_base_rate": r[6]} for r in cal_rows},
        "reliability": rel})


if __name__ == "__main__":
    main()
