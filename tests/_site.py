"""A local HTTP server (loopback only) for the tests that fetch: pages, a feed, and every way a fetch goes wrong."""

import gzip
import json
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


TOWNS = ["Brest", "Quimper", "Lorient", "Vannes", "Rennes", "Nantes", "Saint-Malo", "Morlaix"]


def watch_page(k: int) -> bytes:
    """Article page ``k`` of the watched site: a story of its own (another town, another event each)."""
    town = TOWNS[k % len(TOWNS)]
    body = (f"The council of {town} voted on measure number {k} on Tuesday evening after a debate of {k + 2} hours. "
            f"The mayor of {town} said the {k * 3 + 1} new homes would be built by the harbour within two years. "
            f"Residents of {town} had asked for the vote since the flood of {1990 + k}, which destroyed {k + 40} houses. "
            f"Opponents in {town} said the plan for measure {k} ignored the fishermen, who use the quay every morning.")
    return (f"<html><head><title>{town} votes on measure {k}</title>"
            f'<meta property="article:published_time" content="2024-03-{k % 27 + 1:02d}T09:00:00Z"></head>'
            f"<body><article><h1>{town} votes on measure {k}</h1><p>{body}</p></article></body></html>").encode()


def watch_feed(base: str, items: int) -> bytes:
    """An RSS feed of ``items`` entries, each only a summary linking to its page (newest first)."""
    entries = "".join(f"<item><title>Measure {k}</title><link>{base}/watch/page/{k}.html</link>"
                      f"<guid>feed-{k}</guid><description>Vote on measure {k}.</description></item>"
                      for k in range(items, 0, -1))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Council news</title>{entries}</channel></rss>'.encode()


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    agents: list[str] = []
    feed_items = 2  # entries the watched feed holds now (a test adds some between polls)

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
        if path.startswith("/watch/"):
            return self._watch(path)
        return self._send(404, b"not here")


    def _watch(self, path):
        base = f"http://{self.headers.get('Host')}"
        if path == "/watch/feed.xml":  # conditional GET: 304 while the entries are the same
            etag = f'"items-{Handler.feed_items}"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, headers=[("ETag", etag)])
            return self._send(200, watch_feed(base, Handler.feed_items), "application/rss+xml", [("ETag", etag)])
        if path.startswith("/watch/page/") and path.endswith(".html"):
            return self._send(200, watch_page(int(path.rsplit("/", 1)[1].split(".")[0])))
        if path == "/watch/full.xml":  # full text in the feed; its first entry is the summary feed's page 1 again
            text = watch_page(1).decode().split("<p>")[1].split("</p>")[0]
            feed = (f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                    f"<title>Wire</title><item><title>Measure 1</title><link>{base}/watch/page/1.html?utm_source=rss</link>"
                    f"<guid>wire-1</guid><content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item></channel></rss>")
            return self._send(200, feed.encode(), "application/rss+xml")
        if path == "/watch/sitemap.xml":  # a news sitemap: pages with their titles and dates
            urls = "".join(f"<url><loc>{base}/watch/page/{k}.html</loc><news:news><news:publication_date>2024-03-0{k}T10:00:00Z"
                           f"</news:publication_date><news:title>Measure {k}</news:title></news:news></url>" for k in (1, 5))
            sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                       f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')
            return self._send(200, sitemap.encode(), "application/xml")
        if path == "/watch/feed.json":
            text = watch_page(6).decode().split("<p>")[1].split("</p>")[0]
            feed = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON news",
                    "items": [{"id": "j6", "url": f"{base}/watch/page/6.html", "title": "Measure 6", "content_text": text,
                               "date_published": "2024-03-07T09:00:00Z"}]}
            return self._send(200, json.dumps(feed).encode(), "application/feed+json")
        if path == "/watch/down.xml":
            return self._send(500, b"down")
        if path == "/watch/now-a-page.xml":
            return self._send(200, PAGE, "text/html; charset=utf-8")
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
