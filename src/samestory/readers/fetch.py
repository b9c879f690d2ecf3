"""Pages and feeds over HTTP(S), with httpx: then the same extraction and cleaning as files.

A fetch is polite and bounded: a clear User-Agent, robots.txt obeyed (RFC 9309: a 4xx robots.txt allows
everything, an unreachable one allows nothing), at least ``fetch.delay`` seconds between two requests to one host,
``fetch.timeout`` per request, ``fetch.retries`` retries of a refused or failed request with backoff (a 429's
Retry-After obeyed up to a minute), at most ``fetch.max_redirects`` redirects (a loop is named), at most
``fetch.max_bytes`` read of one response, gzip and brotli decoded. What goes wrong with one URL is a ReadError
naming it; the caller reports it and goes on with the next.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from .. import __version__
from ..errors import ReadError
from ..settings import FetchSettings

__all__ = ["Fetcher", "Fetched", "is_url", "url_id", "normal_url"]

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 60.0
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
               "application/feed+json")
_JSON_TYPES = ("application/json", "application/x-ndjson", "application/jsonl")


def is_url(source: object) -> bool:
    return isinstance(source, str) and source[:8].lower().startswith(("http://", "https://"))


def normal_url(url: str) -> str:
    """The URL without its fragment, normalised (courlan: case, default port, tracking parameters): the same page
    however it was written."""
    from courlan import normalize_url

    parts = urlsplit(url.strip())
    bare = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
    try:
        return normalize_url(bare, strict=True)
    except (ValueError, TypeError):  # courlan refuses some odd URLs: keep them as written, less the fragment
        return bare


def url_id(url: str) -> str:
    """An article id for a fetched page: the same for every way of writing its URL."""
    return "u" + hashlib.sha1(normal_url(url).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    kind: str  # "html", "feed", "json" or "text"; "unchanged" for a 304 answer to a conditional request
    data: bytes
    charset: str | None
    etag: str | None = None  # the validators a later conditional request sends back (If-None-Match, If-Modified-Since)
    last_modified: str | None = None


class Fetcher:
    """One HTTP client for a run (connections kept), with each host's last request time and robots.txt."""

    def __init__(self, settings: FetchSettings | None = None, *, backoff: float = 1.0) -> None:
        self.settings = settings or FetchSettings()
        self.backoff = backoff  # seconds before the first retry, doubled each time
        self.user_agent = self.settings.user_agent or f"samestory/{__version__} (+https://pypi.org/project/samestory/)"
        self._client = None
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | None] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self):
        if self._client is None:
            import httpx

            self._client = httpx.Client(timeout=self.settings.timeout, follow_redirects=False,
                                        headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate, br"})
        return self._client

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Fetched:
        """The body of ``url`` after redirects; ReadError (with the reason) when it cannot be had."""
        seen = {url}
        for _ in range(self.settings.max_redirects + 1):
            if not is_url(url):
                raise ReadError(f"not an http(s) URL: {url[:200]}", code="SS130")
            if self.settings.robots and not self._allowed(url):
                raise ReadError("robots.txt of the site disallows fetching it", code="SS131")
            status, response_headers, data, final = self._request(url, headers or {})
            if status in (301, 302, 303, 307, 308):
                location = response_headers.get("location")
                if not location:
                    raise ReadError(f"HTTP {status} redirect without a Location", code="SS132")
                url = urljoin(final, location)
                if url in seen:
                    raise ReadError(f"redirect loop back to {url[:200]}", code="SS132")
                seen.add(url)
                continue
            etag, modified = response_headers.get("etag"), response_headers.get("last-modified")
            if status == 304:
                return Fetched(final, "unchanged", b"", None, etag, modified)
            if status >= 400:
                raise ReadError(f"HTTP {status}", code="SS133")
            return Fetched(final, _kind(response_headers.get("content-type", ""), data), data,
                           _charset(response_headers.get("content-type", "")), etag, modified)
        raise ReadError(f"more than {self.settings.max_redirects} redirects (fetch.max_redirects)", code="SS132")

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes, str]:
        import httpx

        attempt = 0
        while True:
            self._wait_turn(url)
            try:
                status, got, data = self._read(url, headers)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                raise ReadError(f"not a valid URL: {str(exc)[:200]}", code="SS130") from None
            except httpx.TimeoutException:
                problem = f"no answer within {self.settings.timeout:g} s (fetch.timeout)"
                status, got, data = None, {}, b""
            except httpx.TransportError as exc:
                problem = f"cannot connect: {type(exc).__name__}: {str(exc)[:200] or 'connection failed'}"
                status, got, data = None, {}, b""
            if status is not None and status not in _RETRY_STATUS:
                return status, got, data, url
            if attempt >= self.settings.retries:
                if status is not None:
                    return status, got, data, url
                raise ReadError(problem, code="SS134")
            pause = self.backoff * 2 ** attempt
            if status == 429 and got.get("retry-after", "").strip().isdigit():
                pause = min(float(got["retry-after"]), _MAX_RETRY_AFTER)
            time.sleep(pause)
            attempt += 1

    def _read(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """One request, its body read up to fetch.max_bytes (a larger one is refused, not cut)."""
        cap = self.settings.max_bytes
        with self.client.stream("GET", url, headers=headers) as response:
            got = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code >= 300:
                return response.status_code, got, b""
            declared = got.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise ReadError(f"response of {int(declared):,} bytes, over fetch.max_bytes ({cap:,})", code="SS135")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise ReadError(f"response over fetch.max_bytes ({cap:,} bytes); not read further", code="SS135")
                chunks.append(chunk)
            return response.status_code, got, b"".join(chunks)

    def _wait_turn(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        last = self._last.get(host)
        if last is not None:
            pause = last + self.settings.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            self._robots[root] = self._robots_of(root)
        rules = self._robots[root]
        return True if rules is None else rules.can_fetch(self.user_agent, url)

    def _robots_of(self, root: str) -> RobotFileParser | None:
        """The site's robots.txt (None: no rules, everything allowed)."""
        import httpx

        rules = RobotFileParser()
        try:
            status, _, data, _ = self._request(f"{root}/robots.txt", {})
        except ReadError as exc:
            if exc.code == "SS134":  # the host cannot be reached: its pages cannot either
                raise
            status, data = 503, b""
        except httpx.HTTPError:
            status, data = 503, b""
        if status in (401, 403) or status >= 500:  # RFC 9309: unreachable rules forbid, missing ones allow
            rules.disallow_all = True
            return rules
        if status >= 300:
            return None
        rules.parse(data.decode("utf-8", "replace").splitlines())
        return rules


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _kind(content_type: str, data: bytes) -> str:
    """What the response is, by its Content-Type, else by its first bytes; ReadError when it is none of ours."""
    ctype = content_type.split(";")[0].strip().lower()
    head = data[:512].lstrip().lower()
    if ctype in _HTML_TYPES:
        return "html"
    if ctype in _FEED_TYPES or ctype.endswith(("+xml", "/xml")):
        # a feed URL that now answers with a web page (an error page, a moved site) is read as one
        return "html" if head.startswith((b"<!doctype html", b"<html")) else "feed"
    if ctype in _JSON_TYPES:
        return "json"
    if ctype == "text/plain":
        return "text"
    if not ctype or ctype == "application/octet-stream":
        if head.startswith((b"<!doctype html", b"<html")):
            return "html"
        if head.startswith((b"<?xml", b"<rss", b"<feed")):
            return "feed"
    raise ReadError(f"not a page, feed or text (content type {ctype or 'none'})", code="SS136")
