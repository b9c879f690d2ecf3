"""The Article JSON form: the contract other tools rely on.

``{"id", "url", "source", "title", "text", "html", "language", "published", "meta"}``;
all optional but ``text`` or ``html``; ``published`` ISO 8601. Unknown keys go
to ``meta``. The newspaper3k names used by the SemEval-2022 data are accepted on
input: ``meta_lang`` (language), ``publish_date`` (published),
``meta_description`` (kept as ``meta.description``).
"""

from __future__ import annotations

import re

import logging
from collections.abc import Mapping
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError
from .records import Article, content_hash

__all__ = ["article_from_dict", "article_to_dict", "parse_datetime", "source_from_url", "make_article"]

log = logging.getLogger(__name__)

_FIELDS = ("id", "url", "source", "title", "text", "html", "language", "published", "meta")
# newspaper3k / SemEval name -> our name
_ALIASES = {"meta_lang": "language", "publish_date": "published"}


MAX_TITLE_CHARS = 1_000  # a longer title is cut (meta.title_truncated: its length)
MIN_YEAR, MAX_YEAR = 1800, 2200  # a publication date outside these years is kept as meta.published_raw


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 (or a datetime/date) -> timezone-aware datetime; None for empty.

    Raises InputError naming the accepted form when the value is not ISO 8601.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            try:  # RFC 2822, as feeds and e-mail write dates
                dt = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                dt = None
        if dt is None:
            raise InputError(
                f"published must be an ISO 8601 date such as 2020-06-11 or 2020-06-11T09:30:00Z, got {value!r}",
                code="SS104",
            ) from None
    else:
        raise InputError(f"published must be an ISO 8601 string, got {type(value).__name__}", code="SS104")
    if not MIN_YEAR <= dt.year <= MAX_YEAR:  # date arithmetic (windows, weekdays) must not overflow
        raise InputError(f"published must fall in the years {MIN_YEAR}-{MAX_YEAR}, got {value!r}", code="SS104")
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


def source_from_url(url: str | None) -> str | None:
    """The outlet's host name, without ``www.``: ``https://www.reuters.com/x`` -> ``reuters.com``."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:  # "http://[::1": not a URL one can take a host from
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _opt_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "id":
        return str(value)
    if not isinstance(value, str):
        raise InputError(f"field {key!r} must be a string, got {type(value).__name__}", code="SS103")
    value = value.strip()
    return value or None


def make_article(
    text: str,
    *,
    id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    language: str | None = None,
    published: datetime | None = None,
    html: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Article:
    """Build an Article, filling the id from the content hash and the source from the url. Lone surrogates in its
    strings become U+FFFD, and a publication date outside the years ``MIN_YEAR``-``MAX_YEAR`` is kept as
    ``meta.published_raw`` (as on every other way in)."""
    text, title, url, source, html, id = (_valid(v) for v in (text, title, url, source, html, id))
    if not (text and text.strip()) and not (html and html.strip()):
        raise InputError("article has neither text nor html; give at least one", code="SS102")
    meta = dict(meta or {})
    if published is not None and not MIN_YEAR <= published.year <= MAX_YEAR:  # a feed's "0001-01-01", a page's 9999
        meta.setdefault("published_raw", published.isoformat())
        published = None
    if title is not None and len(title) > MAX_TITLE_CHARS:  # a title is a line: 300 kB of it cost gigabytes downstream
        meta["title_truncated"] = len(title)
        title = title[:MAX_TITLE_CHARS]
    if id is None:
        id = "h" + content_hash(f"{title or ''}\n{text or html or ''}")[:16]
    return Article(
        id=id,
        text=text or "",
        title=title,
        url=url,
        source=source or source_from_url(url),
        language=language.lower() if language else None,
        published=published,
        html=html,
        meta=meta,
    )


_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MAX_DEPTH = 20  # nesting kept in meta; deeper values are cut (a JSON line nested 990 deep)


def _valid(value: Any, depth: int = 0) -> Any:
    """Strings with lone surrogates ("\\ud800", which no file can hold) replaced by U+FFFD, recursively; nesting
    deeper than ``_MAX_DEPTH`` cut to None."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if depth >= _MAX_DEPTH and isinstance(value, (Mapping, list)):
        return None
    if isinstance(value, Mapping):
        return {_valid(str(k)): _valid(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid(v, depth + 1) for v in value]
    return value


def article_from_dict(obj: Any) -> Article:
    """Parse one article in the JSON form; raises InputError on a bad one."""
    if not isinstance(obj, Mapping):
        raise InputError(f"an article must be a JSON object, got {type(obj).__name__}", code="SS101")
    obj = _valid(obj)
    description = obj.pop("meta_description", None)
    for alias in ("meta_lang", "publish_date"):
        value = obj.pop(alias, None)
        if obj.get(_ALIASES[alias]) in (None, ""):
            obj[_ALIASES[alias]] = value
    meta_in = obj.pop("meta", None)
    if meta_in is None:
        meta_in = {}
    if not isinstance(meta_in, Mapping):
        raise InputError("field 'meta' must be a JSON object", code="SS103")
    meta = dict(meta_in)
    if description:
        meta.setdefault("description", description)
    for key in [k for k in obj if k not in _FIELDS]:
        meta.setdefault(key, obj.pop(key))
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise InputError(f"field 'text' must be a string, got {type(text).__name__}", code="SS103")
    return make_article(
        text or "",
        id=_opt_str(obj, "id"),
        title=_opt_str(obj, "title"),
        url=_opt_str(obj, "url"),
        source=_opt_str(obj, "source"),
        language=_opt_str(obj, "language"),
        published=_published(obj.get("published"), meta),
        html=_opt_str(obj, "html"),
        meta=meta,
    )


_STORED_KEYS = frozenset(("id", "url", "source", "title", "text", "language", "published", "meta"))


def article_from_stored(obj: dict[str, Any]) -> Article:
    """An article as ``article_to_dict`` wrote it from an ``Article`` (the store's analysis cache), built again
    without the checks that made it valid; what does not look so (another version's form) goes through
    ``article_from_dict``. Decoding a cached analysis repeated those checks: a third of its time."""
    published = obj.get("published")
    if published is not None:
        try:
            published = datetime.fromisoformat(published)
        except (TypeError, ValueError):
            return article_from_dict(obj)
        if published.tzinfo is None:
            return article_from_dict(obj)
    meta = obj.get("meta", {})
    if not (obj.keys() <= _STORED_KEYS and isinstance(obj.get("id"), str) and isinstance(meta, dict)):
        return article_from_dict(obj)
    return Article(id=obj["id"], text=obj.get("text", ""), title=obj.get("title"), url=obj.get("url"),
                   source=obj.get("source"), language=obj.get("language"), published=published, meta=dict(meta))


def _published(value: Any, meta: dict[str, Any]) -> datetime | None:
    """Parse ``published``; an unreadable date is kept as ``meta.published_raw``, not fatal."""
    try:
        return parse_datetime(value)
    except InputError as exc:
        log.warning("%s; kept as meta.published_raw", exc)
        meta["published_raw"] = value
        return None


def article_to_dict(article: Article, *, with_html: bool = False) -> dict[str, Any]:
    """The JSON form of an article (``html`` only when asked; empty fields left out)."""
    out: dict[str, Any] = {"id": article.id}
    for key in ("url", "source", "title", "text", "language"):
        value = getattr(article, key)
        if value:
            out[key] = value
    if article.published is not None:
        out["published"] = article.published.isoformat()
    if with_html and article.html:
        out["html"] = article.html
    if article.meta:
        out["meta"] = article.meta
    return out
