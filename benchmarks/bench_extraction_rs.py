"""rs-trafilatura beside trafilatura, extraction speed and F1 on the ScrapingHub pages, in one process.

rs-trafilatura (the Rust port, on PyPI) ships wheels for CPython 3.12 only, and samestory runs on 3.11: this script
needs only the two extractors, so it runs under any Python that has both (``pip install rs-trafilatura trafilatura``
in a 3.12 virtual environment). Its F1 under samestory's cleaning is in ``bench_extraction.py`` (over the
benchmark's stored rs-trafilatura output).

    python3.12 benchmarks/bench_extraction_rs.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path

WORD = re.compile(r"\w+", re.UNICODE)


def f1(golds: list[str], preds: list[str]) -> float:
    """Word 4-gram shingle F1 as the ScrapingHub benchmark computes it (bench_extraction.prf)."""
    ps, rs = [], []
    for gold, pred in zip(golds, preds):
        g, p = (Counter(tuple(t[i:i + 4]) for i in range(max(0, len(t) - 3))) for t in (WORD.findall(gold), WORD.findall(pred)))
        tp = sum((g & p).values())
        total = tp + (sum(p.values()) - tp) + (sum(g.values()) - tp)
        if total == 0:
            ps.append(1.0), rs.append(1.0)
            continue
        if sum(p.values()):
            ps.append(tp / sum(p.values()))
        if sum(g.values()):
            rs.append(tp / sum(g.values()))
    pr, rc = sum(ps) / len(ps), sum(rs) / len(rs)
    return 2 * pr * rc / (pr + rc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    args = ap.parse_args()
    try:
        import rs_trafilatura
        import trafilatura
    except ImportError as exc:  # samestory's own environment (Python 3.11) has no rs-trafilatura wheel
        print(f"skipped: {exc.name} is not installed here; run this script under Python 3.12 with "
              "'pip install rs-trafilatura trafilatura'")
        return

    root = Path(args.shared) / "data" / "scrapinghub_article_extraction_benchmark"
    gold = json.loads((root / "ground-truth.json").read_text())
    ids = sorted(gold)
    pages = [gzip.decompress((root / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8", "replace") for i in ids]
    golds = [gold[i]["articleBody"] for i in ids]

    def with_trafilatura(html: str, url: str | None) -> str:
        return trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""

    def with_rs(html: str, url: str | None) -> str:
        found = rs_trafilatura.extract(html, url=url)
        return (getattr(found, "main_content", None) or getattr(found, "text", None) or "") if found is not None else ""

    print(f"ScrapingHub pages: {len(ids)}; one process, best of 3 passes")
    print(f"{'extractor':<16} {'pages/s':>8} {'F1':>6}")
    for name, run in (("trafilatura", with_trafilatura), ("rs-trafilatura", with_rs)):
        best, texts = float("inf"), []
        for _ in range(3):
            t0 = time.perf_counter()
            texts = [run(h, gold[i].get("url")) for h, i in zip(pages, ids)]
            best = min(best, time.perf_counter() - t0)
        print(f"{name:<16} {len(ids) / best:>8.1f} {f1(golds, texts):>6.3f}")


if __name__ == "__main__":
    main()
