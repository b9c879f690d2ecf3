"""Cleaning speed on this machine: articles/s from text (the demo corpus) and from HTML pages.

    .venv/bin/python benchmarks/bench_clean_speed.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, peak_rss_mb, save, table  # noqa: E402

from samestory import article_from_dict, clean, load_settings  # noqa: E402
from samestory.readers.html import extract_html  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    settings = load_settings()
    docs = [article_from_dict(json.loads(l)) for l in (REPO / "demo" / "ecbplus.jsonl").open()][: args.limit]
    clean(docs[0], settings=settings)  # load models once, outside the timing
    t0 = time.perf_counter()
    out = sum(len(clean(d, settings=settings)) for d in docs)
    text_s = time.perf_counter() - t0
    rows = [["text (ECB+ demo corpus)", len(docs), out, len(docs) / text_s]]
    result = {"text": {"articles": len(docs), "per_s": len(docs) / text_s}}
    html_dir = DATA / "scrapinghub_article_extraction_benchmark" / "html"
    if html_dir.is_dir():
        pages = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in sorted(html_dir.glob("*.gz"))][: args.limit]
        t0 = time.perf_counter()
        n = 0
        for html in pages:
            found = extract_html(html)
            if found:
                n += len(clean(article_from_dict({"text": found["text"], "title": found["title"]}), settings=settings))
        html_s = time.perf_counter() - t0
        rows.append(["HTML (ScrapingHub pages, extraction + cleaning)", len(pages), n, len(pages) / html_s])
        result["html"] = {"pages": len(pages), "per_s": len(pages) / html_s}
    table("cleaning speed (1 process)", ["input", "documents", "articles out", "documents/s"], rows)
    print(f"peak memory: {peak_rss_mb():.0f} MB")
    result["peak_rss_mb"] = peak_rss_mb()
    save("clean_speed" if args.limit is None else "clean_speed-smoke", result)


if __name__ == "__main__":
    main()
