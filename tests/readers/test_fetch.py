"""URLs: pages and feeds fetched over HTTP from a local server (loopback only), politely and within bounds; each
failure reported with its URL, the rest read."""

import gzip
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from samestory import ReadReport, load_settings, read
from samestory.cli import main
from samestory.readers.fetch import Fetcher, normal_url, url_id

BODY = " ".join(["A storm hit the coast of Brittany on Monday, cutting power to thousands of homes and closing schools."] * 6)
PAGE = (f'<html><head><title>Storm hits Brittany</title><meta property="article:published_time" content="2024-03-04T03:40:00Z">'
        f'</head><body><article><h1>Storm hits Brittany</h1><p>{BODY}</p></article></body></html>').encode()
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Coast news</title>
<item><title>Ferry cancelled</title><link>http://example.org/ferry</link><description>The morning ferry to Belle-Ile was
cancelled because of the storm, the operator said.</description><pubDate>Mon, 04 Mar 2024 08:15:00 +0100</pubDate></item>
<item><title>Schools shut</title><link>http://example.org/schools</link><description>All schools in Finistere stay shut on
Tuesday after the storm.</description></item></channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    agents: list[str] = []

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        if not any(k.lower() == "content-length" for k, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (a timeout): nothing to tell it
            pass

    def do_GET(self):
        path = self.path
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        Handler.agents.append(self.headers.get("User-Agent", ""))
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path in ("/article.html", "/private/article.html"):
            return self._send(200, PAGE)
        if path == "/feed.xml":
            return self._send(200, FEED, "application/rss+xml")
        if path == "/flaky":
            return self._send(500, b"busy") if Handler.hits[path] == 1 else self._send(200, PAGE)
        if path == "/slow":
            time.sleep(3)
            return self._send(200, PAGE)
        if path == "/huge":
            return self._send(200, b"", headers=[("Content-Length", str(2 * 1024 ** 3))])
        if path == "/endless":  # no length, more than the cap
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
            except OSError:
                pass
            return None
        if path == "/loop":
            return self._send(302, headers=[("Location", "/loop2")])
        if path == "/loop2":
            return self._send(302, headers=[("Location", "/loop")])
        if path == "/moved":
            return self._send(301, headers=[("Location", "/article.html")])
        if path == "/image.png":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
        if path == "/gz":
            return self._send(200, gzip.compress(PAGE), headers=[("Content-Encoding", "gzip")])
        if path == "/feed-now-html":
            return self._send(200, PAGE, "application/rss+xml")
        return self._send(404, b"not here")


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


SETTINGS = load_settings(overrides={"fetch": {"delay": 0.0, "retries": 1, "timeout": 1.0, "max_bytes": 200_000}})


def test_a_page_is_fetched_extracted_and_keeps_its_time(site):
    [doc] = read(f"{site}/article.html", settings=SETTINGS)
    a = doc.article
    assert a.title == "Storm hits Brittany" and "Brittany" in a.text
    assert a.published == datetime(2024, 3, 4, 3, 40, tzinfo=timezone.utc)  # not cut to midnight
    assert a.url == f"{site}/article.html" and a.id == url_id(f"{site}/article.html")
    assert Handler.agents[-1].startswith("samestory/")


def test_a_feed_url_gives_one_article_per_entry(site):
    docs = list(read(f"{site}/feed.xml", settings=SETTINGS))
    assert [d.article.title for d in docs] == ["Ferry cancelled", "Schools shut"]


def test_each_failure_is_reported_with_its_url_and_the_rest_is_read(site):
    report = ReadReport()
    urls = [f"{site}/{p}" for p in ("flaky", "slow", "huge", "endless", "loop", "private/article.html", "image.png",
                                    "gone", "moved", "gz", "feed-now-html")]
    urls.append("http://127.0.0.1:9/closed")  # nothing listens there
    docs = list(read(urls, settings=SETTINGS, report=report))
    assert len(docs) == 4 and {d.origin for d in docs} == {f"{site}/{p}" for p in ("flaky", "moved", "gz", "feed-now-html")}
    codes = {p.origin.rsplit("/", 1)[-1]: p.code for p in report.problems}
    assert codes == {"slow": "SS134", "huge": "SS135", "endless": "SS135", "loop": "SS132", "article.html": "SS131",
                     "image.png": "SS136", "gone": "SS133", "closed": "SS134"}
    assert Handler.hits["/flaky"] == 2  # retried once after the 500
    assert "robots.txt" in next(p.reason for p in report.problems if p.code == "SS131")


def test_politeness_delay_between_requests_to_one_host(site):
    settings = load_settings(overrides={"fetch": {"delay": 0.3}})
    with Fetcher(settings.fetch) as fetcher:
        fetcher.get(f"{site}/article.html")
        t0 = time.monotonic()
        fetcher.get(f"{site}/article.html")
        assert time.monotonic() - t0 >= 0.29


def test_urls_of_one_page_share_an_id():
    assert normal_url("HTTP://Example.com:80/a?utm_source=x#top") == normal_url("http://example.com/a")
    assert url_id("http://example.com/a#x") == url_id("http://example.com/a")


def test_ingest_urls_from_a_list(site, tmp_path, capsys):
    (tmp_path / "urls.txt").write_text(f"# coast\n{site}/article.html\n{site}/gone\n")
    db = str(tmp_path / "s.db")
    assert main(["--config", str(_config(tmp_path)), "ingest", "--urls", str(tmp_path / "urls.txt"), "--db", db]) == 0
    err = capsys.readouterr().err
    assert "stored 1 new" in err and "/gone: HTTP 404" in err
    assert main(["ingest", "--db", db]) == 2  # no sources at all: said
    assert "no sources given" in capsys.readouterr().err


def _config(tmp_path):
    path = tmp_path / "fetch.toml"
    path.write_text("[fetch]\ndelay = 0.0\nretries = 0\ntimeout = 2.0\n")
    return path
