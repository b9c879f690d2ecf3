"""WARC and WARC.gz files (such as Common Crawl's CC-NEWS): each HTML response is a page, extracted as an HTML file
is, with the record's URL and crawl time kept. Read with fastwarc, a record at a time (the file is never loaded
whole); chosen over warcio by ``benchmarks/bench_warc.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError, ReadError
from ._decode import decode
from .fetch import url_id
from .html import Page
from .report import ReadReport

__all__ = ["read_warc"]

_HTML = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, origin: str, report: ReadReport, *, max_record_bytes: int, keep_html: bool,
              encoding: str = "") -> Iterator[Page]:
    """One page per HTML response (extracted later, as an HTML file's is: ``Page.document``); a record that is
    truncated (its payload digest does not match), too large or not decodable is reported as ``file#record N``
    and the next one is read. A page without a date of its own takes the crawl time (``meta.published_from``:
    ``crawl``)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with open(path, "rb") as fh:
        for n, record in enumerate(ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=True), 1):
            where = f"{origin}#record{n}"
            url = record.headers.get("WARC-Target-URI") or ""
            try:
                http = record.http_headers
                if http is None and not record.headers.get("Content-Type", "").startswith(("text/dns", "application/warc-fields")):
                    raise ReadError("truncated or corrupt record (no HTTP answer in it)", code="SS114")
                ctype = (http.get("Content-Type") or "").split(";")[0].strip().lower() if http is not None else ""
                if http is None or http.status_code != 200 or ctype not in _HTML:
                    continue  # redirects, errors, images, scripts: not articles, and no fault of the file
                if record.content_length > max_record_bytes:
                    raise ReadError(f"record of {record.content_length:,} bytes, over read.max_file_bytes", code="SS118")
                if record.headers.get("WARC-Payload-Digest") and not record.verify_payload_digest(consume=False):
                    raise ReadError("truncated or corrupt record (its payload digest does not match)", code="SS114")
                text, _ = decode(record.reader.read(), where, encoding=encoding or record.http_charset or "")
            except (ReadError, InputError) as exc:
                report.skip(where, exc.message, exc.code)
                continue
            crawled = record.record_date
            yield Page(text, where, url_id(url) if url else f"{path.stem}#{n}", keep_html=keep_html, url=url or None,
                       crawled=crawled, meta={"warc": {"file": path.name, "record": n,
                                                      "crawled": crawled.isoformat() if crawled else None}})
