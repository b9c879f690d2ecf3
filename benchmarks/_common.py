"""Shared helpers for the benchmarks: where the data is, and how results are printed and saved."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SAMESTORY_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"
RESULTS = REPO / "benchmarks" / "results"


def need(path: Path) -> Path:
    """Exit cleanly (code 0, with a reason) when the shared data is absent."""
    if not path.exists():
        print(f"skipped: {path} is absent (the shared evaluation data is not beside this clone)")
        sys.exit(0)
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print a plain table (rows of str/float)."""
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


def save(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    result = {"benchmark": name, "when": time.strftime("%Y-%m-%dT%H:%M:%S"), **result}
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nwrote {path.relative_to(REPO)}")
    return path


def add_analysis_options(ap: argparse.ArgumentParser) -> None:
    """Flags that set the analysis of a run (the ``[analyse]`` settings that trade quality for speed)."""
    ap.add_argument("--fast", action="store_true", help="short for --ner rules --sentences 16")
    ap.add_argument("--ner", choices=("models", "rules"), help="[analyse] ner (default: the packaged setting)")
    ap.add_argument("--sentences", type=int, help="[analyse] max_sentences")
    ap.add_argument("--ner-chars", type=int, help="[analyse] ner_chars")


def analysis_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The ``[analyse]`` settings the flags of ``add_analysis_options`` ask for ({} for the packaged ones)."""
    out: dict[str, Any] = {"ner": "rules", "max_sentences": 16} if args.fast else {}
    out.update({k: v for k, v in (("ner", args.ner), ("max_sentences", args.sentences), ("ner_chars", args.ner_chars)) if v})
    return out
