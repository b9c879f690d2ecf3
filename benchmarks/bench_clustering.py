"""Story clustering on ECB+ dev (gold = sub-topic, i.e. the event) and a cross-lingual check.

- samestory batch clustering (linker and thresholds from ECB+ train only, by
  scripts/train_linker.py; the number of stories is not given), side by side with TF-IDF +
  agglomerative (distance threshold tuned on train) and embedding + KMeans given the true k;
- the incremental clusterer on the dev stream (date order, batches of 50), without repair,
  after a full repair, and repairing the stories each quarter of the stream touched (as a long ingest
  does with ``cluster.repair_every``);
- order sensitivity: BCubed agreement between runs on shuffled input and the first run;
- cross-lingual check on the SemEval dev split (pairs by pair id, never seen by the linker):
  all articles of the pairs clustered together; pairs with Overall <= 1.5 should share a story,
  pairs with Overall >= 3.5 should not: pairwise precision / recall.

The analysis flags (``--ner``, ``--sentences``, ``--ner-chars``, ``--fast``) measure the quality of the
settings a stream is run with (``benchmarks/bench_scale.py`` takes the same flags); the linker is the shipped one.

    .venv/bin/python benchmarks/bench_clustering.py [--topics N] [--semeval-pairs N] [analysis flags]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, RESULTS, add_analysis_options, analysis_overrides, need, save, table  # noqa: E402

from samestory import StoryClusterer, cluster, load_settings  # noqa: E402
from samestory.analysis import analyse_cached  # noqa: E402
from samestory.clustering.incremental import StretchRepair  # noqa: E402
from samestory.clustering.training import bcubed, load_ecb  # noqa: E402
from samestory.store import SQLiteStore  # noqa: E402


def load(split: str, store, topics: int | None = None, settings=None):
    analyses, gold, _ = load_ecb(REPO / "demo" / "ecbplus.jsonl", split, store, settings=settings, topics=topics)
    return analyses, gold


def assign(stories) -> dict[str, str]:
    return {a: s.id for s in stories for a in s.articles}


def incremental(ans, batch: int = 50, repair: bool = False, every: int = 0) -> dict[str, str]:
    """Place in batches; ``repair``: then a full repair; ``every``: repair the stories touched after each ``every``
    placed articles and at the end, as a long ``samestory ingest`` does (``cluster.repair_every``)."""
    c = StoryClusterer()
    stretch = StretchRepair(c, every=every)
    for start in range(0, len(ans), batch):
        stretch.placed(c.partial_fit(ans[start : start + batch]))  # every 0: never repairs here
    if every:
        stretch.flush()
    if repair:
        c.repair()
    return dict(c.story_of)


def by_date(ans):
    return sorted(ans, key=lambda a: (a.article.published is None, a.article.published.timestamp() if a.article.published else 0, a.id))


def cross_lingual(store, limit: int | None, settings) -> list[list]:
    from samestory.scoring.training import DEFAULT_DATA, is_dev, load_semeval_pairs

    path = DATA / "semeval2022_task8" / "derived" / DEFAULT_DATA.name
    if not path.exists():
        return []
    pairs = [p for p in load_semeval_pairs(path) if is_dev(p.pair_id) and (p.gold["overall"] <= 1.5 or p.gold["overall"] >= 3.5)]
    pairs = pairs[:limit] if limit else pairs
    arts = {a.id: a for p in pairs for a in (p.a, p.b)}
    ans = analyse_cached(list(arts.values()), store, settings=settings)
    story = assign(cluster(ans, settings=settings))
    rows = []
    for name, keep in (("cross-lingual", lambda p: p.lang_a != p.lang_b), ("same language", lambda p: p.lang_a == p.lang_b), ("all", lambda p: True)):
        sel = [p for p in pairs if keep(p)]
        tp = sum(story[p.a.id] == story[p.b.id] for p in sel if p.gold["overall"] <= 1.5)
        fn = sum(story[p.a.id] != story[p.b.id] for p in sel if p.gold["overall"] <= 1.5)
        fp = sum(story[p.a.id] == story[p.b.id] for p in sel if p.gold["overall"] >= 3.5)
        prec = tp / (tp + fp) if tp + fp else float("nan")
        rec = tp / (tp + fn) if tp + fn else float("nan")
        rows.append([name, len(sel), tp + fn, prec, rec])
    return rows


def protagonist_check(train, gold_train, topic_train, settings) -> list[list]:
    """The protagonist rule on ECB+ train, on gold groups: each gold event alone (should stay whole) and each topic's
    two look-alike events merged into one story (should come apart along the events)."""
    from samestory.clustering.protagonists import protagonist_split

    cfg = settings.cluster

    def groups_of(key):
        out = defaultdict(list)
        for a in train:
            out[key[a.id]].append(a)
        return [sorted(v, key=lambda a: a.id) for _, v in sorted(out.items())]

    def parts(arts):
        return protagonist_split(arts, min_articles=cfg.protagonist_articles, co_mention=cfg.protagonist_co_mention)

    events, topics = groups_of(gold_train), groups_of(topic_train)
    wrong = sum(len(parts(ev)) > 1 for ev in events)
    split, f_before, f_after = 0, [], []
    for arts in topics:
        got = parts(arts)
        split += len(got) > 1
        gold = {a.id: gold_train[a.id] for a in arts}
        f_before.append(bcubed({a.id: "one" for a in arts}, gold)[2])
        f_after.append(bcubed({arts[k].id: str(g) for g, part in enumerate(got) for k in part}, gold)[2])
    return [["gold events split (false splits)", len(events), wrong, "", ""],
            ["look-alike topics (both events as one story) split", len(topics), split,
             float(np.mean(f_before)), float(np.mean(f_after))]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--topics", type=int, help="only the first N topics of each split (smoke runs)")
    ap.add_argument("--semeval-pairs", type=int, help="only the first N SemEval dev pairs (smoke runs)")
    ap.add_argument("--cache", default=str(RESULTS / "train-cache.db"), help="analysis cache (shared with scripts/train_linker.py)")
    add_analysis_options(ap)
    args = ap.parse_args()
    need(DATA / "ecbplus")
    analyse = analysis_overrides(args)
    settings = load_settings(overrides={"analyse": analyse} if analyse else None)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with SQLiteStore(args.cache) as store:
        train, gold_train, topic_train = load_ecb(REPO / "demo" / "ecbplus.jsonl", "train", store, settings=settings, topics=args.topics)
        dev, gold_dev = load("dev", store, args.topics, settings)
        t0 = time.perf_counter()
        stories = cluster(dev, settings=settings)
        secs = time.perf_counter() - t0
        rows = [["samestory batch (linker-verified links, k unknown)", *bcubed(assign(stories), gold_dev), len(stories)]]
        off = load_settings(overrides={"cluster": {"protagonist_articles": 0}, **({"analyse": analyse} if analyse else {})})
        plain = cluster(dev, settings=off)
        rows.append(["samestory batch without the protagonist split", *bcubed(assign(plain), gold_dev), len(plain)])
        stream = by_date(dev)
        t0 = time.perf_counter()
        inc = incremental(stream)
        inc_secs = time.perf_counter() - t0
        rows.append(["samestory incremental (date order, batches of 50)", *bcubed(inc, gold_dev), len(set(inc.values()))])
        rep = incremental(stream, repair=True)
        rows.append(["samestory incremental + full repair", *bcubed(rep, gold_dev), len(set(rep.values()))])
        every = max(50, len(stream) // 4)  # cluster.repair_every scaled down to the dev stream: four stretches
        part = incremental(stream, every=every)
        rows.append([f"samestory incremental, repairing what each {every} articles touched", *bcubed(part, gold_dev), len(set(part.values()))])
        from sklearn.cluster import AgglomerativeClustering, KMeans
        from sklearn.feature_extraction.text import TfidfVectorizer

        def tfidf_agglo(ans, threshold):
            X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([a.article.text for a in ans]).toarray()
            labels = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average").fit_predict(X)
            return {a.id: str(l) for a, l in zip(ans, labels)}

        th = max((0.6, 0.7, 0.8, 0.9, 0.95), key=lambda t: bcubed(tfidf_agglo(train, t), gold_train)[2]) if len(train) > 2 else 0.8
        pred = tfidf_agglo(dev, th)
        rows.append([f"TF-IDF + agglomerative (threshold {th}, tuned on train)", *bcubed(pred, gold_dev), len(set(pred.values()))])
        k = len(set(gold_dev.values()))
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(np.vstack([a.doc for a in dev]))
        rows.append([f"embedding + KMeans (true k = {k})", *bcubed({a.id: str(l) for a, l in zip(dev, labels)}, gold_dev), k])
        table(f"ECB+ dev: {len(dev)} articles, {k} gold stories; BCubed", ["method", "precision", "recall", "F1", "stories"], rows)
        order = []
        first_inc = inc
        for seed in (1, 2, 3):
            shuffled = dev[:]
            random.Random(seed).shuffle(shuffled)
            order.append([seed, bcubed(assign(cluster(shuffled, settings=settings)), assign(stories))[2],
                          bcubed(incremental(shuffled), first_inc)[2], bcubed(incremental(shuffled, repair=True), rep)[2]])
        table("order sensitivity: BCubed F1 of a run on shuffled input against the run above",
              ["shuffle seed", "batch", "incremental", "incremental + repair"], order)
        check = protagonist_check(train, gold_train, topic_train, settings)
        table("protagonist split on ECB+ train gold groups (chooses nothing on dev)",
              ["groups", "count", "split", "mean BCubed F1 before", "after"], check)
        xl = cross_lingual(store, args.semeval_pairs, settings)
        if xl:
            table("cross-lingual check, SemEval dev pairs (Overall <= 1.5 should share a story, >= 3.5 should not)",
                  ["pairs", "labelled", "same-story pairs", "pairwise precision", "pairwise recall"], xl)
    print(f"\nbatch clustering {secs:.1f} s, incremental {inc_secs:.1f} s for {len(dev)} articles (analyses given)")
    save("clustering" + "".join(f"-{k}{v}" for k, v in analyse.items()) + ("-smoke" if args.topics else ""), {"analyse": analyse,
        "dev": {r[0]: {"precision": r[1], "recall": r[2], "f1": r[3], "stories": r[4]} for r in rows},
        "order": order, "cross_lingual": xl, "protagonist_train": check,
        "settings": {"link_probability": settings.cluster.link_probability, "split_probability": settings.cluster.split_probability}})


if __name__ == "__main__":
    main()
