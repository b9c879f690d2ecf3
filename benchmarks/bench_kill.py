"""The kill loop: `samestory ingest` killed with SIGKILL at random moments, then run again to its end; each time,
is anything lost and are the stories those of a run never interrupted?

Input: the first N demo (ECB+) articles as one JSONL file. First an uninterrupted ingest into its own store gives
the reference stories, and its duration. Then, K times: a fresh store; `samestory -q ingest` in its own process
group, killed (SIGKILL) after a random share of that duration (reading, analysing, placing or repairing); no process
of its group may be left a second later (the analysis workers die with their parent); then the same ingest again,
to its end. Counted: articles lost (in the input, missing from the store), stores not whole (``SQLiteStore.check``:
SQLite's integrity check, each article in exactly one story record, no story without articles), runs whose stories
differ from the reference, processes left behind; goals 0, 0, 0, 0. Beside it, in the same run, the uninterrupted
ingest run again on a fresh store: whether two runs never interrupted agree (the peer the killed runs are held to).

    .venv/bin/python benchmarks/bench_kill.py [--kills 100] [--docs 200] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import REPO, save, table  # noqa: E402


def ingest(exe: str, src: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([exe, "-q", "ingest", str(src), "--db", str(db)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def stories_of(db: Path) -> tuple[set[frozenset[str]], list[str], int]:
    """The store's stories (as sets of article ids), what ``check`` finds wrong, and how many articles it holds."""
    from samestory.store import SQLiteStore

    with SQLiteStore(db) as store:
        total, stories = store.list_stories(limit=1_000_000)
        return {frozenset(s.articles) for s in stories}, store.check(), store.count_articles()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--docs", type=int, default=200, help="demo articles ingested (at most one placing batch: 500)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "samestory")
    rng = random.Random(args.seed)
    docs = [json.loads(line) for line in (REPO / "demo" / "ecbplus.jsonl").open(encoding="utf-8")][: args.docs]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(d) + "\n" for d in docs))
        t0 = time.perf_counter()
        ref = ingest(exe, src, Path(tmp) / "ref.db")
        assert ref.wait() == 0, ref.stderr.read().decode()[-2000:]
        duration = time.perf_counter() - t0
        reference, ref_problems, n_articles = stories_of(Path(tmp) / "ref.db")
        again = ingest(exe, src, Path(tmp) / "again.db")
        assert again.wait() == 0
        peer_same = stories_of(Path(tmp) / "again.db")[0] == reference
        lost = not_whole = differ = left = 0
        moments: list[float] = []
        examples: list[str] = []
        for k in range(args.kills):
            db = Path(tmp) / f"k{k}.db"
            at = rng.uniform(0.05, 1.0) * duration
            moments.append(at)
            proc = ingest(exe, src, db)
            try:
                proc.wait(timeout=at)  # it may finish first: then nothing was killed
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
            time.sleep(1.0)
            if group_alive(proc.pid):
                left += 1
                os.killpg(proc.pid, signal.SIGKILL)
            rerun = ingest(exe, src, db)
            code = rerun.wait()
            if code != 0:
                examples.append(f"kill {k} at {at:.1f} s: the next ingest exited {code}: {rerun.stderr.read().decode()[-300:]}")
            got, problems, count = stories_of(db)
            lost += max(0, n_articles - count)
            not_whole += bool(problems)
            differ += got != reference
            if problems or got != reference:
                examples.append(f"kill {k} at {at:.1f} s: {len(got)} stories against {len(reference)}; {problems[:2]}")
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    rows = [
        ["kills", args.kills, ""],
        ["articles lost", lost, 0],
        ["stores not whole after the next ingest", not_whole, 0],
        ["runs whose stories differ from the uninterrupted run's", differ, 0],
        ["runs that left a process behind", left, 0],
        ["peer: a second uninterrupted run gives the same stories", peer_same, True],
    ]
    table(f"the kill loop: {n_articles} articles, {len(reference)} stories; uninterrupted ingest {duration:.1f} s; "
          f"killed after {min(moments, default=0):.1f} .. {max(moments, default=0):.1f} s", ["measure", "value", "goal"], rows)
    for line in examples[:10]:
        print("  ", line)
    save("kill" if args.kills >= 100 else "kill-smoke", {
        "kills": args.kills, "articles": n_articles, "stories": len(reference), "uninterrupted_s": duration,
        "articles_lost": lost, "not_whole": not_whole, "stories_differ": differ, "processes_left": left,
        "peer_same": peer_same, "reference_problems": ref_problems, "examples": examples[:20]})


if __name__ == "__main__":
    main()
