"""Where the place + repair stage of a stream holds its memory: peak RSS of the main process by phase.

The synthetic stream of ``bench_scale.py`` is read, cleaned, stored and analysed (``--ner``, ``--sentences``,
``--ner-chars`` as there; ``--fast`` by default here, since the phases measured do not depend on the analysis
settings beyond the number of sentence vectors), then ``update_stories`` runs as ``samestory ingest`` runs it
while a thread samples the process's resident memory every 0.1 s and files each sample under the phase running
then: placing a batch, the final repair and its candidate search, pair scoring, linkage and protagonist split,
story records, saving. A phase's figure is the highest RSS seen while it ran (memory a phase frees stays with the
process, so a later phase's figure includes what earlier ones left). A spike shorter than a sample's interval is
not seen that way, so the process's high-water mark (``ru_maxrss``, the peak ``bench_scale.py`` reports) is read with each
sample and as each phase ends: a phase in which it rose gets the mark it rose to.

    .venv/bin/python benchmarks/bench_memory.py [--size 10000] [--fast | --ner N --sentences N --ner-chars N]

To compare clustering settings on one analysed stream, ``--analysed DIR`` keeps the analysed store there: the
first run analyses the stream, saves the store and stops; each later run places a copy of it (so each starts
from the same state, in a process that has not analysed anything). ``--whole-index`` sets ``cluster.index_articles``
and ``cluster.repair_every`` to 0: every placed article in the index, one repair at the end (the code before those
settings); ``--repair-every N`` sets the latter alone. ``--assignments FILE`` writes each article's story, so that two runs' stories can be compared
(``benchmarks/compare_assignments.py``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import add_analysis_options, analysis_overrides, peak_rss_mb, save, table  # noqa: E402
from bench_scale import synthetic  # noqa: E402

PHASES = [  # (where, attribute, label): each wrapped so that the sampler knows what runs
    ("clusterer", "partial_fit", "place a batch"),
    ("clusterer", "_neighbours", "index search"),
    ("clusterer", "_trim", "index trim (letting go of old articles)"),
    ("incremental", "link_probabilities", "pair scoring"),
    ("clusterer", "repair", "repair (fetching the region)"),
    ("incremental", "candidate_arrays", "repair: candidate search"),
    ("incremental", "groups_from_scored", "repair: links and average linkage"),
    ("incremental", "by_protagonist", "repair: protagonist split"),
    ("clusterer", "stories", "story records"),
    ("store", "save_clustering", "saving"),
]
BETWEEN = "between the phases below (reading batches and cached analyses)"


def _rss_mb() -> float:
    """The process's resident memory now (VmRSS), in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--analysed", type=Path, help="a folder that keeps the analysed store between runs")
    ap.add_argument("--whole-index", action="store_true", help="cluster.index_articles = repair_every = 0")
    ap.add_argument("--repair-every", type=int, help="cluster.repair_every (0: one repair at the end)")
    ap.add_argument("--assignments", type=Path, help="write each article's story here (JSON), to compare two runs")
    add_analysis_options(ap)
    args = ap.parse_args()
    analyse = analysis_overrides(args) or {"ner": "rules", "max_sentences": 16}

    from samestory import load_settings, pipeline
    from samestory.analysis import analyse_cached
    from samestory.analysis.workers import shutdown_workers
    from samestory.clustering import incremental
    from samestory.store import SQLiteStore

    settings = load_settings()
    settings = replace(settings, analyse=replace(settings.analyse, **analyse))
    if args.whole_index:
        settings = replace(settings, cluster=replace(settings.cluster, index_articles=0, repair_every=0))
    if args.repair_every is not None:
        settings = replace(settings, cluster=replace(settings.cluster, repair_every=args.repair_every))
    stem = "-".join(f"{k}{v}" for k, v in sorted(analyse.items()))  # a store analysed at other settings is not reused
    kept = args.analysed / f"analysed-{args.size}-{stem}.db" if args.analysed else None
    phase, peaks, marks = ["before placing"], {}, {}  # the phase running; sampled peak and high-water mark by phase
    lock = threading.Lock()
    high = [0.0]

    def note() -> None:
        """File the memory now under the phase running, and the high-water mark if it rose."""
        with lock:
            rss, hwm = _rss_mb(), peak_rss_mb()
            peaks[phase[0]] = max(peaks.get(phase[0], 0.0), rss)
            if hwm > high[0]:
                high[0] = marks[phase[0]] = hwm

    owners = {"clusterer": incremental.StoryClusterer, "incremental": incremental, "store": SQLiteStore}

    def wrap(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def run(*a, **k):
            note()
            outer, phase[0] = phase[0], label
            try:
                return inner(*a, **k)
            finally:
                note()
                phase[0] = outer

        setattr(owner, name, run)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        if kept is None or not kept.exists():
            path = Path(tmp) / "stream.jsonl"
            synthetic(args.size, path)
            with SQLiteStore(db) as store:
                pipeline.ingest(path, store, settings=settings, stories=False)
                for batch in store.unplaced(batch=settings.ingest.batch_size):
                    analyse_cached(batch, store, settings=settings)
            shutdown_workers(wait=True)
            if kept is not None:
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(db, kept)
                print(f"analysed store saved as {kept}; run again to place a copy of it")
                return
        else:
            shutil.copyfile(kept, db)
        with SQLiteStore(db) as store:
            for where, name, label in PHASES:
                wrap(owners[where], name, label)
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    note()
                    time.sleep(0.1)

            sampler = threading.Thread(target=sample, daemon=True)
            note()
            phase[0] = BETWEEN
            sampler.start()
            t0 = time.perf_counter()
            up = pipeline.update_stories(store, settings=settings)
            seconds = time.perf_counter() - t0
            done.set()
            sampler.join()
            note()
            if args.assignments:
                args.assignments.write_text(json.dumps({article: story for article, story, *_ in store.placements()}))
    rows = [[label, f"{peaks[label]:.0f}", f"{marks[label]:.0f}" if label in marks else ""]
            for label in ["before placing", BETWEEN, *(p[2] for p in PHASES)] if label in peaks]
    c = settings.cluster
    mode = ", ".join(f"{k} {v}" for k, v in analyse.items()) + f"; index_articles {c.index_articles}, repair_every {c.repair_every}"
    table(f"place + repair of a {args.size:,}-article stream ({mode}): {seconds:.0f} s, {up.stories} stories; "
          f"resident memory of the main process by phase (high-water mark at the end: {high[0]:.0f} MB)",
          ["phase", "peak MB, sampled every 0.1 s", "high-water mark reached in it, MB"], rows)
    save("memory" + ("-smoke" if args.size < 1000 else ""), {"size": args.size, "analyse": analyse, "seconds": seconds,
                                                             "index_articles": c.index_articles, "repair_every": c.repair_every,
                                                             "reused_store": kept is not None,
                                                             "stories": up.stories, "peak_mb_by_phase": peaks,
                                                             "high_water_mb_by_phase": marks, "high_water_mb": high[0]})


if __name__ == "__main__":
    main()
