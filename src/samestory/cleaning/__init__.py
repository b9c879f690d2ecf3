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
from collections import Counter
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
# a repeated line is noise when it recurs close by (a template printing it twice), when it is a whole
# paragraph repeated on its own (a pull quote, a teaser), or when it belongs to a long run of lines that copies an
# earlier run (a page printed twice); short lines that recur far apart and short repeated runs (list items, an
# interview's questions, a meal plan's days) are content
_REPEAT_NEAR = 8
_REPEAT_LONG_WORDS = 20
_COPY_RUN_WORDS = 150
_OPENING_LINES = 3  # a copy of one of these is the article printed again
_REPEAT_ROUNDS = 8
_ABOVE_HEADLINE_LINES = 5  # the headline found this far down: what is above it is not the story
_HEADLINE_JACCARD = 0.5  # a line sharing this much of its words with the page title is the headline
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


#: one- or two-word lines in a row above a page's first paragraph: its site's navigation ("Home", "News", "Sport")
_NAV_RUN = 3
_NAV_CHARS = 24
_NAV_END = frozenset(".!?:;,\"”»)。！？")


def _is_nav_entry(text: str) -> bool:
    """A menu entry's shape: one or two words, letters and no digit (an ingredient's "400 grams" is none), no mark
    that ends a sentence or a label."""
    return (len(text) <= _NAV_CHARS and len(text.split()) <= 2 and text[-1:] not in _NAV_END
            and any(c.isalpha() for c in text) and not any(c.isdigit() for c in text))


def _kinds(lines: list[str]) -> list[str]:
    kinds = [classify(t) for t in lines]
    for i, t in enumerate(lines[:8]):  # date lines sit at the top of a page or a story
        if kinds[i] == "body" and is_date_line(t):
            kinds[i] = "timestamp"
    # a site's navigation: at least _NAV_RUN entries before the first line that is more (a headline, a paragraph)
    first = next((i for i, t in enumerate(lines) if kinds[i] == "body" and not _is_nav_entry(t)), len(lines))
    entries = [i for i in range(first) if kinds[i] == "body"]
    if len(entries) >= _NAV_RUN and first < len(lines):
        for i in entries:
            kinds[i] = "boilerplate"
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


def _runs(keys: list[str]) -> Iterator[tuple[int, int, int]]:
    """(start, end, source) of each run of repeated keys: consecutive keys whose latest earlier occurrences are
    consecutive too (``keys[start:end]`` repeats ``keys[source:source + end - start]``)."""
    last: dict[str, int] = {}
    prev: list[int | None] = []
    for j, key in enumerate(keys):
        prev.append(last.get(key))
        last[key] = j
    j = 0
    while j < len(keys):
        source = prev[j]
        if source is None:
            j += 1
            continue
        end = j + 1
        while end < len(keys) and prev[end] is not None and prev[end] == prev[end - 1] + 1:
            end += 1
        yield j, end, source
        j = end


def _copies(lines: list[str], keys: list[str], candidates: list[int]) -> tuple[set[int], set[int]]:
    """Of a story's body lines (``candidates``: indices into ``lines`` and their ``keys``), those that repeat
    earlier ones: (copies of the article printed again, lines of a repeated structure).

    The article printed again is a long run (``_COPY_RUN_WORDS``) that copies one of the page's opening lines or
    such a copy. Among the other lines, a repeated structure is a run of two or more lines, or a line printed
    three times or more (a menu's days, an interview's questions)."""
    body = [i for i in candidates if len(keys[i]) > 3]
    printed_again: set[int] = set()
    for j, end, source in _runs([keys[i] for i in body]):
        members = body[j:end]
        words = sum(len(lines[i].split()) for i in members)
        copied = range(source, source + end - j)
        if words >= _COPY_RUN_WORDS and any(s < _OPENING_LINES or body[s] in printed_again for s in copied):
            printed_again.update(members)
    rest = [i for i in body if i not in printed_again]
    rest_keys = [keys[i] for i in rest]
    counts = Counter(rest_keys)
    structure = {i for i, key in zip(rest, rest_keys) if counts[key] >= 3}
    for j, end, _ in _runs(rest_keys):
        if end - j > 1:
            structure.update(rest[j:end])
    return printed_again, structure


def _without_repeats(lines: list[str], keys: list[str], candidates: list[int], earlier: set[str]) -> list[int]:
    """The body lines (indices into ``lines``) left when repeats are dropped: a copy of the article printed again;
    outside a repeated structure, a line that recurs close by (a template printing it twice), a whole paragraph
    repeated (a pull quote, a teaser) and a line an earlier story of the page printed. Repeated until nothing more
    drops (a few rounds at most), so that cleaning twice gives what cleaning once gave."""
    kept = candidates
    for _ in range(_REPEAT_ROUNDS):
        printed_again, structure = _copies(lines, keys, kept)
        out: list[int] = []
        position: dict[str, int] = {}
        for i in kept:
            key = keys[i]
            near = key in position and len(out) - position[key] <= _REPEAT_NEAR  # in kept lines: idempotent
            paragraph = key in position and len(key.split()) >= _REPEAT_LONG_WORDS
            if len(key) > 3 and (i in printed_again or (i not in structure and (key in earlier or near or paragraph))):
                continue
            position[key] = len(out)
            out.append(i)
        if len(out) == len(kept):
            break
        kept = out
    return kept


def _is_title(key: str, title_key: str) -> bool:
    """Whether a line (its ``norm_key``) is the page title, or the title without the site name a page title
    carries ("... - SpaceNews.com", "... | The Beachbody Blog")."""
    return key == title_key or (title_key.startswith(key + " ") and 2 * len(key.split()) >= len(title_key.split()))


def _is_variant(key: str, title_key: str) -> bool:
    """Whether a line shares ``_HEADLINE_JACCARD`` of its words with the title ("Julian Assange: Sweden drops rape
    investigation" under the title "Sweden drops Assange rape investigation")."""
    a, b = set(key.split()), set(title_key.split())
    return len(a & b) >= _HEADLINE_JACCARD * len(a | b)


def _page_headline(lines: list[str], kinds: list[str], keys: list[str], seg: Segment, title_key: str) -> int | None:
    """Where the page's headline is printed in the text: the title (or the title without the site's name) among
    the first lines, or a variant of the title as the very first line."""
    body = [i for i in range(seg.start, min(seg.end, seg.start + _ABOVE_HEADLINE_LINES + 1)) if kinds[i] not in NOISE]
    at = next((i for i in body if _is_title(keys[i], title_key)), None)
    if at is None and body and is_headline_like(lines[body[0]]) and _is_variant(keys[body[0]], title_key):
        at = body[0]
    return at


def _above(lines: list[str], kinds: list[str], seg: Segment, at: int) -> set[int]:
    """The body lines above the page's headline when they end with another headline: a teaser of another article
    (its text and headline) or a section label the extractor took from above the story, which starts at its
    headline. A lead above a subheading that repeats the title ends with a sentence and stays. Only when they are
    fewer words than the text after the headline, so that a story is never cut to its tail."""
    above = {i for i in range(seg.start, at) if kinds[i] not in NOISE}
    if not above or not is_headline_like(lines[max(above)]):
        return set()
    words = sum(len(lines[i].split()) for i in above)
    after = sum(len(lines[i].split()) for i in range(at + 1, seg.end) if kinds[i] not in NOISE)
    return above if words < after else set()


def _boundary_embedder():
    """The embedder the boundary model was trained with (its cosines and lead model live in that space)."""
    from ..embed import get_embedder

    return get_embedder(load_boundary_model().embedder).embed


def _story(
    base: Article,
    lines: list[str],
    kinds: list[str],
    keys: list[str],
    seg: Segment,
    seen: set[str],
    first: bool,
    split: bool = False,
) -> Article | None:
    """One story's article from its lines (id and ``meta.segment`` are set by ``clean`` once all are known);
    ``keys`` are the lines' ``norm_key``s, ``seen`` the keys of the body lines kept by the page's earlier stories
    (this story's are added); ``split``: the page holds several stories."""
    removed: list[dict[str, str]] = []
    captions: list[str] = []
    credits: list[str] = []
    bylines: list[str] = []
    date_lines: list[str] = []
    body: list[str] = []
    title = lines[seg.headline] if seg.headline is not None else (base.title if first else None)
    if title is None:  # a story that starts with its headline
        opening = next((i for i in range(seg.start, seg.end) if kinds[i] not in NOISE), seg.end)
        if opening + 1 < seg.end and is_headline_like(lines[opening]):
            title = lines[opening]
    title_key = norm_key(title) if title else None
    headlines = {i for i in range(seg.start, seg.end) if keys[i] == title_key}
    above: set[int] = set()
    if first and seg.headline is None and title_key:
        at = _page_headline(lines, kinds, keys, seg, title_key)
        if at is not None:
            headlines.add(at)
            above = _above(lines, kinds, seg, at)
            if title_key.startswith(keys[at] + " "):  # the page title is the headline and the site's name
                title = lines[at]
        if split:  # a page of several stories ("World briefs"): a headline right below its title heads the first
            opening = next((i for i in range(seg.start, seg.end) if kinds[i] not in NOISE and i not in headlines), seg.end)
            if opening + 1 < seg.end and is_headline_like(lines[opening]) and not is_headline_like(lines[opening + 1]):
                headlines.add(opening)
                base = replace(base, meta={**base.meta, "page_title": title})
                title = lines[opening]
    candidates = [i for i in range(seg.start, seg.end) if kinds[i] not in NOISE and i not in headlines and i not in above]
    kept = set(_without_repeats(lines, keys, candidates, seen))
    for i in range(seg.start, seg.end):
        text, kind = lines[i], kinds[i]
        if kind in NOISE:
            removed.append({"text": text, "reason": kind})
            bucket = {"caption": captions, "credit": credits, "byline": bylines, "timestamp": date_lines}.get(kind)
            if bucket is not None and text not in bucket:
                bucket.append(text)
        elif i in kept:
            body.append(text)
        elif i in above:
            removed.append({"text": text, "reason": "above headline"})
        else:
            removed.append({"text": text, "reason": "headline" if i in headlines else "repeated"})
    seen.update(keys[i] for i in kept)
    if not body:
        return None
    meta: dict[str, Any] = dict(base.meta)
    dateline, after = split_dateline(body[0])
    if dateline is not None and after.strip():
        body[0] = after
        meta["dateline"] = dateline
    if removed:
        meta["removed"] = removed
    if captions:
        meta["captions"] = captions
    if credits:
        meta["credits"] = credits
    if bylines:
        meta["byline"] = bylines[0]
    published = base.published  # the page's date: each story of a page was published with it
    language = base.language or detect_language(f"{title or ''}\n" + "\n".join(body))
    if published is None and date_lines:
        published = parse_date_line(date_lines[0])
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
    keys = [norm_key(t) for t in lines]
    if settings.clean.segment and sum(k not in NOISE for k in kinds) > 2:
        segments = segment(lines, kinds, embed=_boundary_embedder(), threshold=settings.clean.boundary_probability, keys=keys)
    else:
        segments = [Segment(0, len(lines), None, "start")]
    base = article if not truncated else replace(article, meta={**article.meta, "truncated": settings.clean.max_chars})
    seen: set[str] = set()
    stories = [(seg, _story(base, lines, kinds, keys, seg, seen, k == 0, len(segments) > 1)) for k, seg in enumerate(segments)]
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


