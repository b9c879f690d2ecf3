"""Pair scoring: quality on the SemEval dev split (train on train, never on dev) and speed.

Quality: Pearson per dimension and per language pair against the zero-shot cosine, and the
ablation by feature family (``samestory train --no-save`` prints the same).
Speed: analysed pairs/s (analyses given) and raw pairs/s (analysis included), on 2 cores.

    .venv/bin/python benchmarks/bench_scoring.py [--speed-only] [--pairs N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, save, table  # noqa: E402

from samestory import analyse_all, article_from_dict, clean, compare_many, load_settings  # noqa: E402
from samestory.analysis.opening import with_openings  # noqa: E402


def speed(n_pairs: int) -> dict:
    docs = [json.loads(l) for l in (REPO / "demo" / "ecbplus.jsonl").open()][:400]
    n = min(200, max(10, n_pairs))  # articles per side: a smoke run of a few pairs analyses a few articles
    # raw pairs are drawn from other articles than the analysed ones: their opening vectors are not remembered yet
    arts = [clean(article_from_dict(d))[0] for d in docs[:n]]
    fresh = [clean(article_from_dict(d))[0] for d in docs[200 : 200 + n]]
    settings = load_settings()
    # "analysed" as compare keeps them: with the opening vectors (score.opening_embedder)
    analyses = with_openings(list(analyse_all(arts)), settings.score.opening_embedder)
    rng = random.Random(3)
    pairs = [(rng.choice(analyses), rng.choice(analyses)) for _ in range(n_pairs)]
    list(compare_many(pairs[:10]))  # load the scorer outside the timing
    t0 = time.perf_counter()
    list(compare_many(pairs, batch_size=256))
    analysed = n_pairs / (time.perf_counter() - t0)
    raw_pairs = [(fresh[k], fresh[(k * 7 + 1) % len(fresh)]) for k in range(min(200, n_pairs))]
    t0 = time.perf_counter()
    list(compare_many(raw_pairs))
    raw = len(raw_pairs) / (time.perf_counter() - t0)
    off = load_settings(overrides={"score": {"opening_embedder": ""}})
    t0 = time.perf_counter()
    list(compare_many(raw_pairs, settings=off))
    raw_base = len(raw_pairs) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    list(compare_many(pairs[:200], explanation=True))
    explained = 200 / (time.perf_counter() - t0)
    table("scoring speed (1 process, 2 cores)", ["pairs", "pairs/s"],
          [["analysed pairs (scores only)", analysed], ["analysed pairs with explanation", explained],
           ["raw pairs (analysis and openings included)", raw], ["raw pairs without the opening vectors", raw_base]])
    return {"analysed_pairs_per_s": analysed, "explained_pairs_per_s": explained, "raw_pairs_per_s": raw,
            "raw_pairs_without_opening_per_s": raw_base}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speed-only", action="store_true")
    ap.add_argument("--pairs", type=int, default=2000)
    args = ap.parse_args()
    result = {"speed": speed(args.pairs)}
    data = DATA / "semeval2022_task8" / "derived" / "hfl_sample_official_train_pairs.csv"
    if not args.speed_only and data.exists():
        from samestory.scoring.train_job import train_and_report

        train_and_report(data, save=False)
        result["quality"] = "printed above; also in src/samestory/scoring/model/meta.json for the shipped model's run"
    save("scoring" if not args.speed_only else "scoring-smoke", result)


if __name__ == "__main__":
    main()
