"""Following feeds over time: ``samestory watch`` (``watch.poll``) over local feeds that grow while it runs, beside
the peer it replaces, ``samestory ingest FEED_URL...`` run on the same schedule (the cron recipe of the feeds guide).

A local HTTP server (loopback, in this process) serves ``--feeds`` RSS feeds; each gains an entry every
``--interval`` seconds (staggered), each entry a page of an ECB+ document (CC BY 3.0, ``demo/ecbplus.jsonl``). Half
the feeds carry each entry's full text, half only a one-line summary; a fifth of the entries are syndicated: the
same page listed by a second feed under its own guid, its link with a tracking parameter. Feeds answer 304 to a
conditional request while unchanged. Each side runs for ``--minutes`` into a store of its own, polling every
``--every`` seconds: articles stored, articles per second, duplicates (articles stored beyond one per page; goal 0),
summaries stored instead of their page's text, requests and 304s, and the process's peak memory after each side.

    .venv/bin/python benchmarks/bench_watch.py [--feeds 50] [--minutes 10] [--interval 60] [--every 30]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).parent))
from _common import REPO, peak_rss_mb, save, table  # noqa: E402

from samestory import ReadReport, ingest, load_settings, open_store  # noqa: E402
from samestory.watch import poll  # noqa: E402

_PAGE = re.compile(r"/page/(\d+)\.html")


class Site:
    """The feeds' timeline: entry j of feed f appears at ``start + (j - initial) * interval + f * interval / feeds``."""

    def __init__(self, docs: list[dict], feeds: int, interval: float, initial: int = 3) -> None:
        self.docs, self.feeds, self.interval, self.initial = docs, feeds, interval, initial
        self.start = time.monotonic()
        self.requests = self.not_modified = 0
        self.lock = threading.Lock()

    def page_of(self, f: int, j: int) -> int:
        """The ECB+ document of entry j of feed f; every fifth entry is the page of the previous feed's entry j."""
        if j % 5 == 4 and f > 0:
            return self.page_of(f - 1, j)
        return (f * 1000 + j) % len(self.docs)

    def entries(self, f: int) -> int:
        elapsed = time.monotonic() - self.start - f * self.interval / self.feeds
        return self.initial + max(0, int(elapsed // self.interval) + (1 if elapsed >= 0 else 0))

    def feed(self, base: str, f: int, n: int) -> bytes:
        items = []
        for j in range(n - 1, -1, -1):
            k = self.page_of(f, j)
            doc = self.docs[k]
            link = f"{base}/page/{k}.html" + ("?utm_source=rss" if j % 5 == 4 else "")
            body = (f"<content:encoded><![CDATA[<p>{escape(doc['text'])}</p>]]></content:encoded>" if f % 2 == 0
                    else f"<description>{escape(doc['text'][:120])}...</description>")
            items.append(f"<item><title>{escape(doc.get('title') or 'Untitled')}</title><link>{escape(link)}</link>"
                         f"<guid>feed{f}-{j}</guid>{body}</item>")
        return ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                f"<channel><title>Feed {f}</title>{''.join(items)}</channel></rss>").encode()

    def page(self, k: int) -> bytes:
        doc = self.docs[k]
        paras = "".join(f"<p>{escape(p)}</p>" for p in doc["text"].split("\n") if p.strip())
        return (f"<html><head><title>{escape(doc.get('title') or 'Untitled')}</title></head><body><article>"
                f"<h1>{escape(doc.get('title') or 'Untitled')}</h1>{paras}</article></body></html>").encode()


def serve(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            with site.lock:
                site.requests += 1
            path = self.path.split("?")[0]
            if path == "/robots.txt":
                return self._send(404)
            m = re.fullmatch(r"/feed/(\d+)\.xml", path)
            if m:
                f = int(m.group(1))
                n = site.entries(f)
                etag = f'"{f}-{n}"'
                if self.headers.get("If-None-Match") == etag:
                    with site.lock:
                        site.not_modified += 1
                    return self._send(304, headers=[("ETag", etag)])
                return self._send(200, site.feed(f"http://{self.headers['Host']}", f, n), "application/rss+xml", [("ETag", etag)])
            m = _PAGE.fullmatch(path)
            if m:
                return self._send(200, site.page(int(m.group(1))))
            return self._send(404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(store, base: str, expected: set[int]) -> dict:
    """Articles stored, pages they stand for, duplicates, summaries kept instead of a page's text."""
    pages: dict[int, int] = {}
    summaries = 0
    for a in store.iter_articles():
        m = _PAGE.search(a.url or "")
        if m:
            pages[int(m.group(1))] = pages.get(int(m.group(1)), 0) + 1
        if a.text.rstrip().endswith("..."):
            summaries += 1
    stored = sum(pages.values())
    return {"articles": store.count_articles(), "pages": len(pages), "duplicates": stored - len(pages),
            "summaries": summaries, "pages_listed": len(expected), "stories": store.count_stories()}


def listed(site: Site) -> set[int]:
    return {site.page_of(f, j) for f in range(site.feeds) for j in range(site.entries(f))}


def run_side(name: str, docs: list[dict], args, settings, db: Path) -> dict:
    site = Site(docs, args.feeds, args.interval)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}/feed/{f}.xml" for f in range(args.feeds)]
    t0 = time.perf_counter()
    rounds = 0
    with open_store(str(db), settings=settings) as store:
        if name == "watch":
            store.add_sources(urls)
        while time.perf_counter() - t0 < args.minutes * 60:
            rounds += 1
            started = time.perf_counter()
            if name == "watch":
                poll(store, settings=settings, every=args.every, report=ReadReport())
                due = [s.next_fetch for s in store.sources() if s.next_fetch]
                wait = min(1.0, max(0.0, min(due).timestamp() - time.time())) if due else 1.0
            else:  # the peer: every feed fetched and ingested again, each --every seconds
                ingest(urls, store, settings=settings, report=ReadReport())
                wait = max(0.0, args.every - (time.perf_counter() - started))
            time.sleep(min(wait, max(0.0, args.minutes * 60 - (time.perf_counter() - t0))))
        seconds = time.perf_counter() - t0
        got = measure(store, base, listed(site))
    server.shutdown()
    server.server_close()
    return {**got, "seconds": round(seconds, 1), "articles_per_s": got["articles"] / seconds, "requests": site.requests,
            "not_modified": site.not_modified, "rounds": rounds, "peak_rss_mb": round(peak_rss_mb())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=10.0, help="how long each side runs")
    ap.add_argument("--interval", type=float, default=60.0, help="seconds between two entries of one feed")
    ap.add_argument("--every", type=float, default=30.0, help="seconds between two fetches of one feed")
    args = ap.parse_args()
    docs = [json.loads(line) for line in (REPO / "demo" / "ecbplus.jsonl").open(encoding="utf-8")]
    settings = load_settings(overrides={"fetch": {"delay": 0.0, "robots": False, "retries": 0}})
    rows, result = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("watch", "ingest"):
            r = result[name] = run_side(name, docs, args, settings, Path(tmp) / f"{name}.db")
            rows.append([("samestory watch" if name == "watch" else "peer: samestory ingest FEED_URL... each round"),
                         r["seconds"], r["articles"], r["articles_per_s"], r["pages"], r["pages_listed"], r["duplicates"],
                         r["summaries"], r["requests"], r["not_modified"], r["stories"], r["peak_rss_mb"]])
    table(f"{args.feeds} local feeds growing for {args.minutes:g} minutes (an entry per feed every {args.interval:g} s; "
          f"fetched every {args.every:g} s; half summary-only; a fifth syndicated)",
          ["side", "seconds", "articles", "articles/s", "pages stored", "pages listed", "duplicates", "summaries",
           "requests", "304s", "stories", "peak MB (process)"], rows)
    save("watch" + ("-smoke" if args.minutes < 5 else ""), {"feeds": args.feeds, "minutes": args.minutes,
                                                             "interval": args.interval, "every": args.every, **result})


if __name__ == "__main__":
    main()
