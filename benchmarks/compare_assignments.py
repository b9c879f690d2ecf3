"""How far apart two runs' stories are: BCubed precision, recall and F1 of one against the other.

    .venv/bin/python benchmarks/compare_assignments.py A.json B.json

Each file maps article id -> story id (``bench_memory.py --assignments``); B is scored as if A were the gold, over
the articles both placed. F1 1.0: the same stories.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import table  # noqa: E402

from samestory.clustering.training import bcubed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    args = ap.parse_args()
    a, b = json.loads(args.a.read_text()), json.loads(args.b.read_text())
    both = sorted(set(a) & set(b))
    p, r, f = bcubed({i: b[i] for i in both}, {i: a[i] for i in both})
    table(f"{args.b.name} against {args.a.name} ({len(both):,} articles)", ["stories in A", "stories in B", "BCubed P", "R", "F1"],
          [[len({a[i] for i in both}), len({b[i] for i in both}), p, r, f]])


if __name__ == "__main__":
    main()
