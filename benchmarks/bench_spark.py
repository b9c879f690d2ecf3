"""Spark vs local: speed at 1 and 2 cores, and agreement.

- synthetic corpora at the analysis level (tests/_synthetic.py: the demo analyses copied, re-dated
  and nudged) of each size: stories through the local batch path, Spark local[1] and local[2];
  articles/s and the speed-up from 1 to 2 cores (analysis is excluded here: it is the same
  per-article work in both, measured by bench_scale.py);
- the demo corpus end to end (JSONL -> stories) locally and on Spark local[2];
- BCubed agreement between local and Spark stories (goal 1.0), and BCubed F1 on ECB+ dev for both.

    .venv/bin/python benchmarks/bench_spark.py [--sizes 5000,20000] [--neighbours 5] [--no-demo] [--cores 1,2]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import REPO, RESULTS, save, table  # noqa: E402

from samestory import article_from_dict, clean_one, cluster, load_settings, story_to_dict  # noqa: E402
from samestory.analysis import analyse_cached  # noqa: E402
from samestory.clustering.training import bcubed  # noqa: E402
from samestory.store import SQLiteStore  # noqa: E402
from tests._synthetic import synthetic_analyses, write_parquet  # noqa: E402


def assign(stories: dict) -> dict[str, str]:
    return {a: sid for sid, s in stories.items() for a in s["articles"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5000,20000")
    ap.add_argument("--neighbours", type=int, default=5, help="cluster.neighbours for the synthetic runs (default 5)")
    ap.add_argument("--no-demo", action="store_true")
    ap.add_argument("--base", type=int, help="build the synthetic corpora from the first N demo articles only (smoke runs)")
    ap.add_argument("--cores", default="1,2", help="Spark local[N] runs of each synthetic corpus (default 1,2: the speed-up)")
    args = ap.parse_args()
    if shutil.which("java") is None:
        print("skipped: no Java runtime, Spark cannot start")
        return
    from samestory.spark import cluster_files, spark_session, stories_from_analyses

    docs = [json.loads(l) for l in (REPO / "demo" / "ecbplus.jsonl").open(encoding="utf-8")][: args.base]
    RESULTS.mkdir(parents=True, exist_ok=True)
    with SQLiteStore(RESULTS / "train-cache.db") as store:
        base = analyse_cached([clean_one(article_from_dict(d)) for d in docs], store)
    settings = load_settings()
    syn_settings = replace(settings, cluster=replace(settings.cluster, neighbours=args.neighbours))
    rows, agree, result = [], [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            syn = synthetic_analyses(base, n)
            t0 = time.perf_counter()
            local = {s.id: story_to_dict(s) for s in cluster(syn, settings=syn_settings)}
            t_local = time.perf_counter() - t0
            print(f"{n:,} articles: local path {t_local:.0f} s ({n / t_local:.0f} articles/s)", flush=True)
            path = f"{tmp}/syn-{n}.parquet"
            write_parquet(syn, path)
            times = {}
            for cores in (int(x) for x in args.cores.split(",")):
                spark = spark_session(f"local[{cores}]")
                t0 = time.perf_counter()
                stories, _ = stories_from_analyses(spark, spark.read.parquet(path), syn_settings)
                remote = {r["story"]: json.loads(r["json"]) for r in stories.select("story", "json").collect()}
                times[cores] = time.perf_counter() - t0
                print(f"{n:,} articles: Spark local[{cores}] {times[cores]:.0f} s ({n / times[cores]:.0f} articles/s)", flush=True)
                spark.stop()
                agree.append([f"synthetic {n:,}, local[{cores}]", bcubed(assign(remote), assign(local))[2], remote == local])
            rate = {c: f"{n / times[c]:.0f}" if c in times else "-" for c in (1, 2)}
            speedup = f"{times[1] / times[2]:.2f}x" if {1, 2} <= set(times) else "-"
            rows.append([f"{n:,}", f"{n / t_local:.0f}", rate[1], rate[2], speedup, len(local)])
            result[n] = {"local_s": t_local, **{f"spark{c}_s": t for c, t in times.items()}, "stories": len(local)}
        table(f"stories from analysed articles (neighbours = {args.neighbours}), articles/s on this machine",
              ["articles", "local", "Spark local[1]", "Spark local[2]", "speed-up 1->2", "stories"], rows)
        if not args.no_demo:
            gold = {d["id"]: d["meta"]["subtopic"] for d in docs}
            dev = {d["id"] for d in docs if d["meta"]["split"] == "dev"}
            t0 = time.perf_counter()
            local = {s.id: story_to_dict(s) for s in cluster(base)}
            t_local = time.perf_counter() - t0
            spark = spark_session("local[2]")
            t0 = time.perf_counter()
            cluster_files(spark, [str(REPO / "demo" / "ecbplus.jsonl")], f"{tmp}/demo-out")
            t_spark = time.perf_counter() - t0
            spark.stop()
            remote = {}
            for part in Path(f"{tmp}/demo-out/stories.jsonl").glob("part-*"):
                for line in part.read_text().splitlines():
                    d = json.loads(line)
                    remote[d["story"]] = d
            agree.append(["demo corpus end to end, local[2]", bcubed(assign(remote), assign(local))[2], remote == local])
            for name, stories in (("local", local), ("Spark", remote)):
                a = {k: v for k, v in assign(stories).items() if k in dev}
                p, r, f = bcubed(a, {k: gold[k] for k in a})
                agree.append([f"ECB+ dev BCubed F1 ({name}; demo corpus clustered whole)", f, ""])
            print(f"\ndemo corpus (772 articles): local clustering {t_local:.0f} s (analyses given); "
                  f"Spark local[2] end to end (read, clean, analyse, cluster, write) {t_spark:.0f} s")
            result["demo"] = {"local_cluster_s": t_local, "spark_end_to_end_s": t_spark}
    table("agreement with the local path", ["run", "BCubed F1 vs local / vs gold", "identical stories"], agree)
    save("spark" if max(int(x) for x in args.sizes.split(",")) >= 20000 else "spark-smoke", {"speed": result, "agreement": agree})


if __name__ == "__main__":
    main()
