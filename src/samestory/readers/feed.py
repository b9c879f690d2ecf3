"""RSS and Atom feeds -> one article per entry, via feedparser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from ..articles import make_article
from ..errors import InputError, ReadError
from ..records import RawDocument
from .html import fragment_to_text
from .report import ReadReport

__all__ = ["parse_feed"]


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return fragment_to_text(best if len(best) >= len(summary) else summary)


def _entry_date(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc)


def parse_feed(data: bytes, origin: str, report: ReadReport) -> Iterator[RawDocument]:
    """Each entry's content (or summary) becomes an article; its link the url."""
    import feedparser

    feed = feedparser.parse(data)
    entries = feed.get("entries") or []
    if not entries:
        why = "not a feed" if not feed.get("version") else "feed with no entries"
        raise ReadError(f"{why}; nothing to read", code="SS116")
    feed_title = feed.get("feed", {}).get("title")
    for n, entry in enumerate(entries, 1):
        where = f"{origin}#entry{n}"
        meta: dict[str, Any] = {}
        if feed_title:
            meta["feed"] = feed_title
        if entry.get("author"):
            meta["author"] = entry["author"]
        try:
            article = make_article(
                _entry_text(entry),
                id=entry.get("id") or entry.get("link") or None,
                title=entry.get("title") or None,
                url=entry.get("link") or None,
                published=_entry_date(entry),
                meta=meta,
            )
        except InputError as exc:
            report.skip(where, exc.message, exc.code)
            continue
        yield RawDocument(article, where)
