"""WARC.gz (CC-NEWS and the like): each HTML response a page; other records passed over; a truncated one reported."""

import base64
import gzip
import hashlib
import uuid

import pytest

from samestory import ReadReport, read

BODY = " ".join(["Firefighters contained a warehouse fire in the port of Antwerp on Tuesday night, officials said."] * 5)


def _page(title, date=None):
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (f"<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1><p>{BODY}</p></article>"
            "</body></html>").encode()


def _record(kind, url, block, content_type):
    """One WARC record as its own gzip member (as CC-NEWS writes them), with the payload digest of a response."""
    head = [f"WARC-Type: {kind}", f"WARC-Target-URI: {url}", "WARC-Date: 2024-03-06T01:02:03Z",
            f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>", f"Content-Type: {content_type}", f"Content-Length: {len(block)}"]
    if kind == "response":
        payload = block.split(b"\r\n\r\n", 1)[1]
        head.append("WARC-Payload-Digest: sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode())
    return gzip.compress(("WARC/1.0\r\n" + "\r\n".join(head) + "\r\n\r\n").encode() + block + b"\r\n\r\n")


def _response(url, body, status="200 OK", ctype="text/html; charset=utf-8", extra=""):
    block = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n{extra}Content-Length: {len(body)}\r\n\r\n".encode() + body
    return _record("response", url, block, "application/http; msgtype=response")


@pytest.fixture()
def warc(tmp_path):
    data = b"".join([
        _record("request", "http://a.example/fire", b"GET /fire HTTP/1.1\r\n\r\n", "application/http; msgtype=request"),
        _response("http://a.example/fire", _page("Port fire contained", "2024-03-05T22:10:00+01:00")),
        _response("http://a.example/old", b"", status="301 Moved Permanently", extra="Location: http://a.example/fire\r\n"),
        _response("http://a.example/logo.png", b"\x89PNG....", ctype="image/png"),
        _response("http://b.example/fire", _page("Antwerp warehouse blaze")),
    ])
    path = tmp_path / "news.warc.gz"
    path.write_bytes(data)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data + data[: len(data) // 3])  # a second copy cut short: its records are truncated
    return path, cut


def test_each_html_response_is_a_page_with_its_url_and_time(warc):
    docs = list(read(warc[0]))
    assert [d.article.url for d in docs] == ["http://a.example/fire", "http://b.example/fire"]
    first, second = (d.article for d in docs)
    assert first.title == "Port fire contained" and first.published.isoformat() == "2024-03-05T22:10:00+01:00"
    assert first.meta["warc"]["record"] == 1 and "published_from" not in first.meta
    assert second.meta["published_from"] == "crawl" and second.published is not None  # no date on the page
    assert docs[0].origin.endswith("news.warc.gz#record1")


def test_a_truncated_record_is_reported_and_those_before_it_are_read(warc):
    report = ReadReport()
    docs = list(read(warc[1], report=report))
    assert len(docs) >= 2 and [d.article.url for d in docs[:2]] == ["http://a.example/fire", "http://b.example/fire"]
    assert report.problems and all(p.code == "SS114" for p in report.problems)
