"""clean(raw) -> list[Article]: scraped noise out, one article per story.

Removed from the body and kept under ``meta`` (so a user can audit it):
captions and photo credits, reporter/editor credits, bylines, timestamps, subscribe /
cookie / related lines, site markers, lines repeated within the page, and the
headline repeated inside the body (``meta.removed`` lists each with its reason;
``meta.captions``, ``meta.credits``, ``meta.byline``, ``meta.dateline`` keep what is
useful). The dateline ("ANKARA (Reuters) -") leaves the first sentence and becomes
``meta.dateline``. A page that holds several stories is split (see ``segment``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from ..errors import InputError
from ..readers.html import extract_html
from ..readers.report import ReadReport
from ..records import Article, RawDocument
from ..settings import Settings, load_settings
from .dates import is_date_line, parse_date_line
from .language import SUPPORTED_LANGUAGES, detect_language
from .lines import (
    NOISE,
    classify,
    is_headline_like,
    is_list_item,
    norm_key,
    opens_link_list,
    split_dateline,
)
from .segmenter import Segment, load_boundary_model, segment

__all__ = ["clean", "clean_all", "clean_one", "detect_language", "SUPPORTED_LANGUAGES"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_LONG_LINE = 20_000  # one giant line (no line breaks) is cut into sentence-sized paragraphs
# a repeated line is noise when it recurs close by (a template printing it twice) or is a whole
# paragraph; short lines that recur far apart (list items, an interview's questions) are content
_REPEAT_NEAR = 8
_REPEAT_LONG_WORDS = 20
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")


def _normalise(text: str, max_chars: int) -> tuple[str, bool]:
    truncated = len(text) > max_chars
    text = unicodedata.normalize("NFC", text[:max_chars])
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n"))
    return text, truncated


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if len(line) <= _LONG_LINE:
            out.append(line)
            continue
        # a page without line breaks: paragraphs of a few sentences each, so that every rule stays bounded
        chunk: list[str] = []
        size = 0
        for sentence in _SENTENCE_END.split(line):
            chunk.append(sentence)
            size += len(sentence)
            if size > 1000:
                out.append(" ".join(chunk))
                chunk, size = [], 0
        if chunk:
            out.append(" ".join(chunk))
    return out


def _kinds(lines: list[str]) -> list[str]:
    kinds = [classify(t) for t in lines]
    for i, t in enumerate(lines[:8]):  # date lines sit at the top of a page or a story
        if kinds[i] == "body" and is_date_line(t):
            kinds[i] = "timestamp"
    # the links under a "Related" / "You may also like" heading are furniture too, up to the next paragraph
    in_list = False
    for i, t in enumerate(lines):
        if kinds[i] == "boilerplate":
            in_list = opens_link_list(t)
        elif in_list and kinds[i] == "body" and (is_list_item(t) or is_headline_like(t)):
            kinds[i] = "boilerplate"
        else:
            in_list = False
    return kinds


def _boundary_embedder():
    """The embedder the boundary model was trained with (its cosines and lead model live in that space)."""
    from ..embed import get_embedder

    return get_embedder(load_boundary_model().embedder).embed


def _story(
    base: Article,
    lines: list[str],
    kinds: list[str],
    seg: Segment,
    seen: dict[str, int],
    first: bool,
) -> Article | None:
    """One story's article from its lines (id and ``meta.segment`` are set by ``clean`` once all are known);
    ``seen`` maps the keys of lines kept so far on the page to their body position."""
    removed: list[dict[str, str]] = []
    captions: list[str] = []
    credits: list[str] = []
    bylines: list[str] = []
    date_lines: list[str] = []
    body: list[str] = []
    title = lines[seg.headline] if seg.headline is not None else (base.title if first else None)
    title_key = norm_key(title) if title else None
    for i in range(seg.start, seg.end):
        text, kind, key = lines[i], kinds[i], norm_key(lines[i])
        if kind in NOISE:
            removed.append({"text": text, "reason": kind})
            bucket = {"caption": captions, "credit": credits, "byline": bylines, "timestamp": date_lines}.get(kind)
            if bucket is not None and text not in bucket:
                bucket.append(text)
            continue
        if title_key and key == title_key:
            removed.append({"text": text, "reason": "headline"})
            continue
        # distance in kept body lines, so that cleaning twice gives what cleaning once gave
        if key in seen and len(key) > 3 and (len(body) - seen[key] <= _REPEAT_NEAR or len(key.split()) >= _REPEAT_LONG_WORDS):
            removed.append({"text": text, "reason": "repeated"})
            continue
        if title is None and not body and is_headline_like(text) and i + 1 < seg.end:
            title, title_key = text, key  # a story that starts with its headline
            removed.append({"text": text, "reason": "headline"})
            continue
        seen[key] = len(body)
        body.append(text)
    if not body:
        return None
    meta: dict[str, Any] = dict(base.meta)
    dateline, first = split_dateline(body[0])
    if dateline is not None and first.strip():
        body[0] = first
        meta["dateline"] = dateline
    if removed:
        meta["removed"] = removed
    if captions:
        meta["captions"] = captions
    if credits:
        meta["credits"] = credits
    if bylines:
        meta["byline"] = bylines[0]
    published = base.published if first or seg.headline is None else None
    language = base.language or detect_language(f"{title or ''}\n" + "\n".join(body))
    if published is None and date_lines:
        published = parse_date_line(date_lines[0], [language] if language in SUPPORTED_LANGUAGES else None)
        if published is not None:
            meta["published_from"] = "date line"
    if seg.headline is not None:
        meta["title_from"] = "headline line"
    if language is None:
        meta["language_note"] = "language could not be detected"
    elif language not in SUPPORTED_LANGUAGES:
        meta["language_note"] = f"{language} is not among the supported languages; analysis falls back"
    return replace(
        base,
        title=title,
        text="\n\n".join(body),
        language=language,
        published=published,
        meta=meta,
    )


def clean(doc: RawDocument | Article, *, settings: Settings | None = None) -> list[Article]:
    """Clean one document into one article per story it holds.

    Raises InputError (SS120) when nothing but noise is left.
    """
    settings = settings or load_settings()
    article = doc.article if isinstance(doc, RawDocument) else doc
    text = article.text
    if not text.strip() and article.html:
        found = extract_html(article.html, article.url)
        text = found["text"] if found else ""
    text, truncated = _normalise(text, settings.clean.max_chars)
    lines = _lines(text)
    kinds = _kinds(lines)
    if settings.clean.segment and sum(k not in NOISE for k in kinds) > 2:
        embed = _boundary_embedder()
        segments = segment(
            lines,
            kinds,
            embed=embed,
            threshold=settings.clean.boundary_probability,
        )
    else:
        segments = [Segment(0, len(lines), None, "start")]
    base = article if not truncated else replace(article, meta={**article.meta, "truncated": settings.clean.max_chars})
    seen: dict[str, int] = {}
    stories = [(seg, _story(base, lines, kinds, seg, seen, k == 0)) for k, seg in enumerate(segments)]
    kept = [(seg, story) for seg, story in stories if story is not None]  # a segment of pure noise drops out
    if not kept:
        raise InputError(
            "nothing left after cleaning: the text is only captions, credits, markers or boilerplate", code="SS120"
        )
    if len(kept) == 1:
        return [kept[0][1]]
    out = []
    for k, (seg, story) in enumerate(kept):
        info: dict[str, Any] = {"index": k + 1, "of": len(kept), "page": article.id, "evidence": seg.evidence}
        if seg.similarity is not None:
            info["similarity"] = round(seg.similarity, 3)
        out.append(replace(story, id=article.id if k == 0 else f"{article.id}#{k + 1}", meta={**story.meta, "segment": info}))
    return out


def clean_one(article: Article, *, settings: Settings | None = None) -> Article:
    """The first story of a cleaned article; the article as it is when it cleans to nothing (score it, don't lose it)."""
    try:
        return clean(article, settings=settings)[0]
    except InputError:
        return article


def clean_all(
    docs: Iterable[RawDocument], *, settings: Settings | None = None, report: ReadReport | None = None
) -> Iterator[Article]:
    """Clean a stream; a document that cleans to nothing is reported and skipped."""
    settings = settings or load_settings()
    for doc in docs:
        try:
            yield from clean(doc, settings=settings)
        except InputError as exc:
            if report is None:
                raise
            report.skip(doc.origin, exc.message, exc.code)


