"""Cleaning speed on this machine: articles/s from text (the demo corpus) and from HTML pages, in one process; then
a folder of pages (the ~990 of trafilatura's evaluation set) read as ``samestory read`` and ``ingest`` read it
(``read_articles``: extraction and cleaning) with ``read.workers`` 1 and 2, beside trafilatura alone in one process.

    .venv/bin/python benchmarks/bench_clean_speed.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, peak_rss_mb, save, table  # noqa: E402

from samestory import article_from_dict, clean, load_settings  # noqa: E402
from samestory.errors import InputError  # noqa: E402
from samestory.pipeline import read_articles  # noqa: E402
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
    if html_dir.is_dir() and (DATA / "trafilatura_eval").is_dir():
        from bench_extraction import trafilatura_eval_html

        result["folder"] = folder(pages, list(trafilatura_eval_html(args.limit)[1].values()), settings)
    print(f"peak memory: {peak_rss_mb():.0f} MB")
    result["peak_rss_mb"] = peak_rss_mb()
    save("clean_speed" if args.limit is None else "clean_speed-smoke", result)


def folder(warm: list[str], pages: list[str], settings) -> dict:
    """``pages`` as files in a folder, read by ``read_articles`` with 1 and 2 workers, beside trafilatura's
    extraction alone in this process. Each setting first reads the ``warm`` pages (other pages: the cleaning caches
    some lines' findings), so that its processes have started and loaded their models before the timing."""
    from samestory.workers import shutdown_workers

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, group in (("warm", warm), ("timed", pages)):
            (Path(tmp) / name).mkdir()
            for n, html in enumerate(group):
                (Path(tmp) / name / f"{n:04d}.html").write_text(html, encoding="utf-8")
        t0 = time.perf_counter()
        for html in pages:
            try:
                extract_html(html)
            except InputError:  # a page too complex to read: skipped by the readers too
                pass
        out["trafilatura alone (bare_extraction), 1 process"] = len(pages) / (time.perf_counter() - t0)
        for workers in (1, 2):
            s = replace(settings, read=replace(settings.read, workers=workers))
            list(read_articles(Path(tmp) / "warm", settings=s))
            t0 = time.perf_counter()
            got = sum(1 for _ in read_articles(Path(tmp) / "timed", settings=s))
            out[f"samestory: read_articles (extraction + cleaning), read.workers {workers}"] = len(pages) / (time.perf_counter() - t0)
        shutdown_workers(wait=True)
    table(f"a folder of {len(pages)} pages (trafilatura's evaluation set) read into {got} clean articles, 2 cores",
          ["how", "pages/s"], [[k, f"{v:.1f}"] for k, v in out.items()])
    return {"pages": len(pages), "articles": got, "pages_per_s": out}


if __name__ == "__main__":
    main()
