"""A local HTTP server (loopback only) for the tests that fetch: pages, a feed, and every way a fetch goes wrong."""

import gzip
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


@contextmanager
def serving():
    """The server's base URL while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
