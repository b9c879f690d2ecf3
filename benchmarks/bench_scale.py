"""End-to-end throughput and memory on a synthetic stream: JSONL -> read -> clean -> store ->
analyse -> place in stories -> repair, into a fresh store.

The stream: ECB+ demo texts, perturbed (a sentence dropped, numbers changed, sentences of a
second article of the same event appended sometimes), re-dated over a year and given sources,
so that stories repeat the way news does. Each size runs in a fresh process (peak RSS is per
size). ``--ner``, ``--sentences`` and ``--ner-chars`` set the analysis (``[analyse]`` ner, max_sentences,
ner_chars); ``--fast`` is short for ``--ner rules --sentences 16``, the settings of the earlier rows of the
README, which cluster ECB+ dev below the quality goal (see the README). By default the stories are
updated as ``samestory ingest`` does it (each batch analysed, then placed); ``--stages`` analyses
everything first, to time analysis and placing apart.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1000,10000] [--fast | --ner N --sentences N --ner-chars N] [--stages]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import REPO, add_analysis_options, analysis_overrides, peak_rss_mb, save, table  # noqa: E402

_NUM = re.compile(r"\d+")


def synthetic(n: int, path: Path, seed: int = 0) -> None:
    docs = [json.loads(l) for l in (REPO / "demo" / "ecbplus.jsonl").open(encoding="utf-8")]
    by_event: dict[str, list[dict]] = {}
    for d in docs:
        by_event.setdefault(d["meta"]["subtopic"], []).append(d)
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    # each synthetic event: an ECB+ event re-dated; its articles within a few days of its date
    events = [(rng.choice(list(by_event)), start + timedelta(days=rng.uniform(0, 365))) for _ in range(max(1, n // 12))]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            ev, when = rng.choice(events)
            d = rng.choice(by_event[ev])
            paras = [p for p in d["text"].split("\n") if p.strip()]
            if len(paras) > 2:
                paras.pop(rng.randrange(1, len(paras)))
            if rng.random() < 0.3:
                other = rng.choice(by_event[ev])
                paras += [p for p in other["text"].split("\n") if p.strip()][:2]
            text = _NUM.sub(lambda m: str(int(m.group()) + rng.randint(0, 3)), "\n".join(paras))
            out.write(json.dumps({"id": f"syn{i}", "title": d.get("title"), "text": text, "source": f"outlet{rng.randrange(300)}.example",
                                  "published": (when + timedelta(hours=rng.uniform(0, 72))).isoformat()}) + "\n")


def run_one(path: str, analyse: dict, stages: bool) -> dict:
    from dataclasses import replace

    from samestory import load_settings
    from samestory.analysis import analyse_cached
    from samestory.analysis.workers import shutdown_workers, worker_count
    from samestory.pipeline import ingest, update_stories
    from samestory.store import SQLiteStore

    settings = load_settings()
    settings = replace(settings, analyse=replace(settings.analyse, **analyse))
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "s.db") as store:
        t0 = time.perf_counter()
        res = ingest(path, store, settings=settings, stories=False)
        t1 = time.perf_counter()
        peak_read = peak_rss_mb()
        if stages:
            for batch in store.unplaced(batch=settings.ingest.batch_size):  # analyse first, to time it apart
                analyse_cached(batch, store, settings=settings)
        t2 = time.perf_counter()
        peak_analyse = peak_rss_mb()
        up = update_stories(store, settings=settings)
        t3 = time.perf_counter()
    shutdown_workers(wait=True)  # so that the workers' peak memory can be read
    return {"articles": res.added, "read_clean_store_s": t1 - t0, "analyse_s": t2 - t1 if stages else None,
            "place_repair_s" if stages else "analyse_place_repair_s": t3 - t2,
            "total_s": t3 - t0, "per_s": res.added / (t3 - t0), "stories": up.stories, "peak_rss_mb": peak_rss_mb(),
            # the main process's peak by the end of each stage (a peak never falls): which stage set it
            "peak_rss_mb_by_stage": {"read_clean_store": peak_read, **({"analyse": peak_analyse} if stages else {}),
                                     "place_repair" if stages else "analyse_place_repair": peak_rss_mb()},
            "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "workers": worker_count(settings)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    add_analysis_options(ap)
    ap.add_argument("--stages", action="store_true", help="analyse everything first, to time analysis and placing apart")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    analyse = analysis_overrides(args)
    if args.one:
        print(json.dumps(run_one(args.one, analyse, args.stages)))
        return
    rows, results = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            path = Path(tmp) / f"stream-{n}.jsonl"
            synthetic(n, path)
            cmd = [sys.executable, __file__, *sys.argv[1:], "--one", str(path)]  # the same flags, one size
            r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            results[n] = r
            stage = [f"{r['analyse_s']:.0f}", f"{r['place_repair_s']:.0f}"] if args.stages else [f"{r['analyse_place_repair_s']:.0f}"]
            rows.append([f"{n:,}", f"{r['total_s']:.0f}", f"{r['per_s']:.1f}", f"{r['read_clean_store_s']:.0f}", *stage,
                         r["stories"], f"{r['peak_rss_mb']:.0f}", " / ".join(f"{v:.0f}" for v in r["peak_rss_mb_by_stage"].values()),
                         f"{r['workers']} x {r['worker_peak_rss_mb']:.0f}"])
    mode = (", ".join(f"{k} {v}" for k, v in analyse.items()) or "default settings") + ("; stages timed apart" if args.stages else "")
    table(f"end to end from JSONL, 2 cores ({mode})",
          ["articles", "seconds", "articles/s", "read+clean+store s",
           *(["analyse s", "place+repair s"] if args.stages else ["analyse+place+repair s"]), "stories", "peak MB",
           "peak MB by the end of each stage", "analysis workers x peak MB"], rows)
    name = "scale" + "".join(f"-{k}{v}" for k, v in analyse.items()) + ("-stages" if args.stages else "") + ("-smoke" if max(results) < 1000 else "")
    save(name, {"analyse": analyse, "results": results})


if __name__ == "__main__":
    main()
