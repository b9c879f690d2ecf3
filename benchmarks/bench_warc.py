"""WARC reading: fastwarc beside warcio on the same file, and samestory's reader (extraction included).

A WARC.gz of N HTML responses (the demo's ECB+ texts as pages, CC BY 3.0) and N/4 other records (a request per page,
a redirect) is written with warcio, then read: records/s of each library iterating the responses and reading their
payloads, and pages/s of ``samestory read`` (trafilatura extraction of each page included).

    .venv/bin/python benchmarks/bench_warc.py [--pages N]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import REPO, save, table  # noqa: E402

from samestory import ReadReport, read  # noqa: E402


def write_warc(path: Path, pages: int) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    docs = [json.loads(line) for line in (REPO / "demo" / "ecbplus.jsonl").open()]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for k in range(pages):
            d = docs[k % len(docs)]
            paras = "".join(f"<p>{html.escape(p)}</p>" for p in d["text"].split("\n") if p.strip())
            body = (f"<html><head><title>{html.escape(d.get('title') or '')}</title></head><body><nav>Home | World</nav>"
                    f"<article><h1>{html.escape(d.get('title') or '')}</h1>{paras}</article><footer>(c) 2024</footer></body></html>")
            url = f"http://news.example/{k}"
            if k % 4 == 0:
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()), http_headers=headers))
    return pages


def fastwarc_pass(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = 0
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=True):
            record.verify_payload_digest(consume=False)
            n += bool(record.reader.read())
    return n


def warcio_pass(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                n += bool(record.content_stream().read())
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=3000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "news.warc.gz"
        write_warc(path, args.pages)
        rows, result = [], {"pages": args.pages, "bytes": path.stat().st_size}
        for name, run in (("fastwarc (shipped)", fastwarc_pass), ("warcio", warcio_pass)):
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                got = run(path)
                best = min(best, time.perf_counter() - t0)
            assert got == args.pages, (name, got)
            rows.append([name, got / best])
            result[name.split()[0]] = {"records_per_s": got / best}
        report = ReadReport()
        t0 = time.perf_counter()
        n = sum(1 for _ in read(path, report=report))
        took = time.perf_counter() - t0
        rows.append(["samestory read (extraction included)", n / took])
        result["samestory_read"] = {"pages_per_s": n / took, "pages": n, "skipped": report.skipped}
        table(f"WARC.gz of {args.pages} HTML responses ({path.stat().st_size / 1e6:.1f} MB), 1 process", ["reader", "records/s"], rows)
        save("warc", result)


if __name__ == "__main__":
    main()
