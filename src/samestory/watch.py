"""Following sources over time (``samestory watch``): feeds and news sitemaps fetched on a schedule, what is new in
them ingested and placed in stories as it arrives.

Each source is a URL kept in the store (``SQLiteStore.add_sources``) with what its fetches gave. A poll fetches
every source that is due, asking for it only if it changed since the last fetch (ETag / Last-Modified: a 304
answer costs nothing), reads its entries (RSS, Atom or JSON Feed through feedparser; a news sitemap's URLs with
their titles and dates), fetches and extracts the page of an entry that brings only a summary, and stores what is
new: an entry is known by its page's normalised URL (``readers.fetch.url_id``: the same article listed by two feeds,
or again by the next fetch, is one article) and, like any article, by its content. A source that fails (down, a
web page where the feed was, a broken feed) is retried later and later (its interval doubled per failure, at most a
day) and never stops the others. Everything a source's fetch gave is in the store, so a restarted watch goes on
where the stopped one was.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from .articles import make_article, parse_datetime
from .cleaning import clean_all
from .errors import InputError, ReadError
from .pipeline import batched, update_stories
from .readers import ReadReport
from .readers._decode import decode
from .readers.feed import parse_feed
from .readers.fetch import Fetched, Fetcher, is_url, url_id
from .readers.html import fragment_to_text, parse_html
from .records import RawDocument, Source
from .settings import Settings, load_settings
from .store import SQLiteStore

__all__ = ["PollReport", "poll", "parse_every", "seconds_to_next", "source_to_dict", "FULL_TEXT", "MAX_PAGES", "MAX_BACKOFF"]

FULL_TEXT = 600  # characters: an entry with less text than this (a summary) gets its page fetched, when it links one
MAX_PAGES = 100  # pages fetched per source and poll (a news sitemap lists up to 1,000 URLs; the newest first)
MAX_BACKOFF = 24 * 3600.0  # seconds: the longest a failing source waits before its next try
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll did: sources fetched, of which changed / unchanged / failed; articles new and updated in the
    store (``articles``: their ids); articles placed in stories."""

    sources: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    new: int = 0
    updated: int = 0
    placed: int = 0
    articles: tuple[str, ...] = ()


def parse_every(text: str) -> float:
    """``"15m"``, ``"1h"``, ``"90s"``, ``"90"`` (seconds), ``"1d"`` -> seconds (at least 1)."""
    m = _EVERY.match(str(text))
    if not m:
        raise InputError(f"--every: cannot read '{text}' as an interval (try 15m, 1h, 90s)", code="SS108")
    seconds = float(m.group(1)) * _UNIT[(m.group(2) or "").lower() or None]
    if seconds < 1:
        raise InputError(f"--every: {text} is under a second", code="SS108")
    return seconds


def poll(store: SQLiteStore, *, settings: Settings | None = None, every: float = 900.0, everything: bool = False,
         now: datetime | None = None, fetcher: Fetcher | None = None, report: ReadReport | None = None,
         stories: bool = True) -> PollReport:
    """Fetch each source that is due (``everything``: each source), store what is new, then place it in stories
    (``stories=False``: store only). A source fetched well is due again ``every`` seconds later; a failing one
    after ``every * 2 ** failures`` (at most ``MAX_BACKOFF``). Problems go to ``report``, each with its URL."""
    settings = settings or load_settings()
    report = report if report is not None else ReadReport()
    now = now or datetime.now(timezone.utc)
    due = store.sources() if everything else store.due_sources(now)
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings.fetch)
    counts = dict.fromkeys(("changed", "unchanged", "failed", "new", "updated"), 0)
    changed_ids: list[str] = []
    try:
        for source in due:
            report.files += 1
            try:
                got = fetcher.get(source.url, headers=_conditional(source))
                docs = [] if got.kind == "unchanged" else list(_entries(got, source.url, report))
            except Exception as exc:  # noqa: BLE001 - a parser library failing on one source must not stop the others
                message, code = ((exc.message, exc.code) if isinstance(exc, (ReadError, InputError))
                                 else (f"unexpected error while reading ({type(exc).__name__}: {str(exc)[:200]})", "SS119"))
                counts["failed"] += 1
                wait = min(every * 2 ** (source.failures + 1), max(MAX_BACKOFF, every))
                store.record_fetch(source.url, at=now, next_fetch=now + timedelta(seconds=wait), status="failing",
                                   message=message)
                report.skip(source.url, message, code)
                continue
            docs = list(_with_pages(docs, fetcher, store, settings, report))
            added = updated = 0
            for batch in batched(clean_all(docs, settings=settings, report=report), settings.ingest.batch_size):
                result = store.add_articles(batch)
                added, updated = added + result.added, updated + result.updated
                changed_ids += result.changed
            report.articles += len(docs)
            counts["new"] += added
            counts["updated"] += updated
            counts["changed" if got.kind != "unchanged" else "unchanged"] += 1
            status = "ok" if added or updated else "unchanged"
            message = (f"{added} new, {updated} updated of {len(docs)} items" if got.kind != "unchanged"
                       else "not modified since the last fetch (HTTP 304)")
            store.record_fetch(source.url, at=now, next_fetch=now + timedelta(seconds=every), status=status,
                               message=message, etag=got.etag, last_modified=got.last_modified, items=added)
    finally:
        if own:
            fetcher.close()
    placed = 0
    if stories and (counts["new"] or counts["updated"]):
        placed = update_stories(store, settings=settings).placed
    return PollReport(sources=len(due), placed=placed, articles=tuple(dict.fromkeys(changed_ids)), **counts)


def seconds_to_next(store: SQLiteStore, every: float) -> float:
    """Seconds until the next source is due (at least 1, at most ``every``; 1 when one was never fetched)."""
    now = datetime.now(timezone.utc)
    due = [s.next_fetch for s in store.sources()]
    if not due or any(d is None for d in due):
        return 1.0
    return min(max(1.0, (min(due) - now).total_seconds()), every)


def source_to_dict(source: Source) -> dict:
    """A followed source as JSON-ready data (times as ISO 8601 strings; the HTTP validators left out)."""
    def when(at: datetime | None) -> str | None:
        return at.isoformat() if at else None

    return {"url": source.url, "status": source.status, "message": source.message, "failures": source.failures,
            "items": source.items, "added": when(source.added), "last_fetch": when(source.last_fetch),
            "last_ok": when(source.last_ok), "next_fetch": when(source.next_fetch)}


def _conditional(source: Source) -> dict[str, str]:
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return headers


def _entries(got: Fetched, origin: str, report: ReadReport) -> Iterator[RawDocument]:
    """A fetched source's entries: a feed's (RSS, Atom), a JSON Feed's, or a news sitemap's (its pages, to fetch)."""
    if got.kind == "html":
        raise ReadError("answered with a web page, not a feed (has the feed moved?)", code="SS116")
    if got.kind == "json" or got.data[:64].lstrip().startswith(b"{"):  # JSON Feed (application/feed+json)
        yield from _json_feed(got.data, origin, report)
        return
    head = got.data[:2048].lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        yield from _sitemap(got.data, origin)
        return
    yield from parse_feed(got.data, origin, report)


def _json_feed(data: bytes, origin: str, report: ReadReport) -> Iterator[RawDocument]:
    try:
        feed = json.loads(data)
    except (ValueError, RecursionError):
        raise ReadError("malformed JSON Feed", code="SS116") from None
    if not isinstance(feed, dict) or "jsonfeed.org" not in str(feed.get("version", "")) or not isinstance(feed.get("items"), list):
        raise ReadError("JSON, but not a JSON Feed (https://jsonfeed.org)", code="SS116")
    for n, item in enumerate(feed["items"], 1):
        if not isinstance(item, dict):
            report.skip(f"{origin}#item{n}", "an item that is not an object", "SS116")
            continue
        text = item.get("content_text") or fragment_to_text(str(item.get("content_html") or "")) or str(item.get("summary") or "")
        url = item.get("url") if isinstance(item.get("url"), str) else None
        try:
            article = make_article(str(text), id=str(item.get("id") or url or "") or None, title=item.get("title") or None,
                                   url=url, published=_when(item.get("date_published")),
                                   meta={"feed": feed["title"]} if isinstance(feed.get("title"), str) else {})
        except InputError as exc:
            if url and is_url(url):  # no text of its own: its page will be fetched
                yield RawDocument(_placeholder(url, item.get("title"), None), f"{origin}#item{n}")
            else:
                report.skip(f"{origin}#item{n}", exc.message, exc.code)
            continue
        yield RawDocument(article, f"{origin}#item{n}")


def _sitemap(data: bytes, origin: str) -> Iterator[RawDocument]:
    """A news sitemap's pages (newest first, at most ``MAX_PAGES``): URL, and the news title and date it gives."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ReadError(f"malformed sitemap: {exc}", code="SS116") from None
    if root.tag == f"{_SITEMAP}sitemapindex":
        raise ReadError("a sitemap index: watch its news sitemaps themselves", code="SS116")
    pages = []
    for n, url in enumerate(root.iter(f"{_SITEMAP}url"), 1):
        loc = (url.findtext(f"{_SITEMAP}loc") or "").strip()
        if not is_url(loc):
            continue
        title = url.findtext(f"{_NEWS}news/{_NEWS}title")
        when = url.findtext(f"{_NEWS}news/{_NEWS}publication_date") or url.findtext(f"{_SITEMAP}lastmod")
        pages.append((when or "", n, loc, title))
    pages.sort(key=lambda p: (p[0], -p[1]), reverse=True)
    for when, n, loc, title in pages[:MAX_PAGES]:
        yield RawDocument(_placeholder(loc, title, when or None), f"{origin}#url{n}")


def _when(value: object) -> datetime | None:
    """A feed's or sitemap's date, or None where it is not one (the page's own date may still come)."""
    try:
        return parse_datetime(value) if isinstance(value, str) else None
    except InputError:
        return None


def _placeholder(url: str, title: object, published: str | None):
    """An entry that has no text of its own: its page is fetched (``_with_pages``) before anything is stored."""
    return make_article("(page to fetch)", id=url_id(url), title=title if isinstance(title, str) and title else None,
                        url=url, published=_when(published), meta={"page_to_fetch": True})


def _with_pages(docs: Sequence[RawDocument], fetcher: Fetcher, store: SQLiteStore, settings: Settings,
                report: ReadReport) -> Iterator[RawDocument]:
    """Each entry known by its page's normalised URL: one already stored is left out (the first version of an
    article stays; a corrected text comes in through ``samestory ingest URL``); an entry with only a summary (or
    none) replaced by its page, fetched and extracted. The feed's title and date fill what the page lacks."""
    fetched, seen = 0, set()
    for doc in docs:
        a = doc.article
        if not a.url or not is_url(a.url):
            yield doc
            continue
        key = url_id(a.url)
        if key in seen or store.get_article(key) is not None:  # stored by an earlier poll, or listed by another source
            continue
        seen.add(key)
        if not (a.meta.get("page_to_fetch") or len(a.text) < FULL_TEXT):
            yield replace(doc, article=replace(a, id=key))
            continue
        if fetched >= MAX_PAGES:
            continue
        fetched += 1
        try:
            got = fetcher.get(a.url)
            if got.kind != "html":
                raise ReadError(f"the entry's link is not a web page ({got.kind})", code="SS136")
            text, _ = decode(got.data, a.url, encoding=got.charset or "")
            page = parse_html(text, a.url, key, keep_html=settings.store.keep_html).article
        except Exception as exc:  # noqa: BLE001 - one page that cannot be read must not stop the source
            message, code = ((exc.message, exc.code) if isinstance(exc, (ReadError, InputError))
                             else (f"unexpected error while reading ({type(exc).__name__}: {str(exc)[:200]})", "SS119"))
            if a.meta.get("page_to_fetch"):
                report.skip(a.url, message, code)
            else:  # the summary is what there is
                report.skip(a.url, f"{message}; the feed's summary kept", code)
                yield replace(doc, article=replace(a, id=key))
            continue
        meta = {k: v for k, v in {**a.meta, **page.meta}.items() if k != "page_to_fetch"}
        yield RawDocument(replace(page, id=key, url=page.url or a.url, title=page.title or a.title,
                                  published=page.published or a.published, meta=meta), doc.origin)
