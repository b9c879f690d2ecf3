"""HTML pages -> article text and metadata, via trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ..articles import make_article, parse_datetime
from ..errors import InputError, ReadError
from ..records import RawDocument

__all__ = ["Page", "extract_html", "fragment_to_text", "parse_html"]

_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|tr|section|article)\s*>")
_BLANKS = re.compile(r"\n\s*\n+")
#: fewer words than this is site furniture (a menu, a cookie notice), not an article
MIN_ARTICLE_WORDS = 10
#: a body split by adverts is re-extracted whole when that gives this many times the words (ScrapingHub: a Wired
#: story 584 -> 1,296 words; the other 15 pages with several body containers gain under 1.15x and keep theirs)
_SPLIT_BODY_GAIN = 1.5


def fragment_to_text(fragment: str) -> str:
    """A short HTML fragment (a feed entry's content) -> text, one line per block."""
    import lxml.html

    if "<" not in fragment:
        return fragment.strip()
    marked = _BLOCK_END.sub("\n\n", fragment)
    try:
        text = lxml.html.fromstring(f"<div>{marked}</div>").text_content()
    except Exception:  # lxml raises several types on junk; fall back to tag stripping
        text = re.sub(r"<[^>]+>", " ", marked)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


#: a page with more attributes than this is refused before parsing: an 889 kB page with 100,000 attributes on one
#: element took trafilatura 450 s (real news pages carry a few thousand)
MAX_ATTRIBUTES = 50_000
#: ...and one element with more than this (the cost grows with the square of one element's attributes: 60,000 took
#: 39 s; no real element has a hundred)
MAX_ELEMENT_ATTRIBUTES = 1_000
_ATTRIBUTE = re.compile(r"""\s[\w:-]+\s*=\s*(?:["']|[^\s"'=<>`]+)""")  # quoted or not
_LONG_TAG = re.compile(r"<[a-zA-Z][^>]{4000,}>")  # a tag long enough to hold that many


def _check_size(html: str) -> None:
    # every attribute has its "=": a page with fewer of them needs no count
    count = sum(1 for _ in _ATTRIBUTE.finditer(html)) if html.count("=") > MAX_ATTRIBUTES else 0
    if count > MAX_ATTRIBUTES:
        raise ReadError(f"HTML with {count:,} attributes, over the {MAX_ATTRIBUTES:,} a page is read with; skipped", code="SS121")
    for tag in _LONG_TAG.finditer(html):
        one = sum(1 for _ in _ATTRIBUTE.finditer(tag.group(0)))
        if one > MAX_ELEMENT_ATTRIBUTES:
            raise ReadError(f"HTML element with {one:,} attributes, over the {MAX_ELEMENT_ATTRIBUTES:,} an element is read "
                            "with; skipped", code="SS121")


# the page's publication time with its clock time and zone (htmldate, through trafilatura; its defaults otherwise)
_DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": True}


def _date(value: str | None) -> str | None:
    """htmldate's time, or the day alone where the page gave no time (it writes midnight without a zone then)."""
    if not value:
        return None
    return value[:10] if value.endswith("T00:00:00") else value


def extract_html(html: str, url: str | None = None) -> dict[str, Any] | None:
    """Main text and metadata of a page (trafilatura); None when the page has no article text.

    Keys: text, title, author, sitename, date (ISO: the time and its zone where the page gives them, else the day),
    url (canonical when given).
    """
    import trafilatura

    _check_size(html)
    # tables kept: they are article content more often than furniture (ScrapingHub F1 after cleaning 0.961 -> 0.965,
    # trafilatura-eval must-keep 0.923 -> 0.933 at must-drop 0.916 -> 0.914; benchmarks/bench_extraction.py)
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=True,
                                      date_extraction_params=_DATE_PARAMS)
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    text = _whole_body(html, text) or text
    if len(text.split()) < MIN_ARTICLE_WORDS:
        return None
    return {
        "text": text,
        "title": data.get("title") or None,
        "author": data.get("author") or None,
        "sitename": data.get("sitename") or None,
        "date": _date(data.get("date")),
        "url": data.get("url") or url,
    }


def _whole_body(html: str, text: str) -> str | None:
    """The article's text when its body is split into several containers of one class (a page template that puts
    adverts between parts of the body) and trafilatura took only the first: the containers extracted together, when
    that gives at least ``_SPLIT_BODY_GAIN`` times the words (else None: the first extraction stands)."""
    import lxml.html
    import trafilatura

    lines = [line for line in text.split("\n") if len(line.split()) >= 8]
    if not lines:
        return None
    probe = " ".join(lines[-1].split())[:60]
    try:
        page = lxml.html.fromstring(html)
    except Exception:  # lxml raises several types on junk; trafilatura read the page, keep its text
        return None
    holder = next((p.getparent() for p in page.iter("p") if probe in " ".join(p.text_content().split())), None)
    if holder is None or not holder.get("class"):
        return None
    parts = [e for e in page.iter(holder.tag) if e.get("class") == holder.get("class")]
    if len(parts) < 2:
        return None
    merged = "".join(lxml.html.tostring(part, encoding="unicode") for part in parts)
    whole = trafilatura.extract(f"<html><body><article>{merged}</article></body></html>", include_comments=False, include_tables=True)
    if not whole or len(whole.split()) < _SPLIT_BODY_GAIN * len(text.split()):
        return None
    return whole.strip()


def parse_html(html: str, origin: str, doc_id: str, *, keep_html: bool = True) -> RawDocument:
    """One page -> one raw document (the cleaner may still split it)."""
    found = extract_html(html)
    if found is None:
        raise ReadError("HTML page with no article text; skipped", code="SS115")
    meta = {k: found[k] for k in ("author", "sitename") if found[k]}
    meta["extracted_by"] = "trafilatura"
    try:
        published = parse_datetime(found["date"])
    except InputError:
        published = None
    article = make_article(
        found["text"],
        id=doc_id,
        title=found["title"],
        url=found["url"],
        source=found["sitename"],
        published=published,
        html=html if keep_html else None,
        meta=meta,
    )
    return RawDocument(article, origin)


@dataclass(frozen=True, slots=True)
class Page:
    """An HTML page read but not yet extracted: what the readers hand on, so that the extraction (most of a page's
    cost) can run in a worker process. ``document()`` extracts it.

    ``url`` is the address it was read from, kept where the page names no canonical one; ``crawled`` (a WARC
    record's time) becomes the publication time of a page that gives none (``meta.published_from``: ``crawl``);
    ``meta`` is added to the article's.
    """

    html: str
    origin: str
    doc_id: str
    keep_html: bool = False
    url: str | None = None
    crawled: datetime | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def document(self) -> RawDocument:
        """The page's article (``ReadError`` SS115/SS121 where it has none or is too complex to read)."""
        doc = parse_html(self.html, self.origin, self.doc_id, keep_html=self.keep_html)
        article = doc.article
        meta = {**article.meta, **self.meta}
        changes: dict[str, Any] = {}
        if article.url is None and self.url:
            changes["url"] = self.url
        if article.published is None and self.crawled is not None:
            changes["published"] = self.crawled
            meta["published_from"] = "crawl"
        if meta != article.meta:
            changes["meta"] = meta
        return replace(doc, article=replace(article, **changes)) if changes else doc
