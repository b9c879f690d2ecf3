"""Story segmentation: where does a page that holds several stories change story?

Candidate boundaries:

1. a headline-like line, after body text, that the page repeats within the next
   few lines (a page template printing each story's headline twice; without
   embeddings, structure only, this alone splits);
2. a headline-like line right above captions or a marker, or above a paragraph that opens
   with a dateline ("ROTTERDAM, Netherlands (Courier) — ", whose mark counts as a marker),
   after body text (in 1 and 2, no date line and no line opening with a dash, "- CUMBRIA
   POLICE": such lines end a story, and the captions after one are the candidate);
3. a block of noise lines holding captions or a lettered marker (a time stamp or an
   "Advertisement" may stand beside them) between body text, with or without a
   headline after it.

A candidate needs body text before it: a paragraph of at least eight words (a brief:
a photo right after a story's first paragraph is common, and the model weighs how many
paragraphs the story has so far), or, where that one paragraph does not end as a
sentence does (a long title set as body text), a headline of rule 1 or 2 after it (not a
headline-like line after its captions: a photo, then bullet points). All candidates are
decided by a learned boundary model (``BoundaryModel``: a LightGBM classifier over the
evidence at the candidate, shipped in ``cleaning/model/boundary.txt`` and ``.json`` and
rebuilt by ``scripts/train_segmenter.py`` on ECB+ train pages and on real pages of one
article each): how similar the text
before and after is, how much better the headline and captions describe the text after
than the text before (by the mean of each side and by the best-fitting line) and how
well they fit a line the current story has already told (a photo of this story), whether
the names change and how many of the names after the story has already given, whether
years appear that it has not given, how well the current story's lead fits the text
after, how many paragraphs it has so far, whether short list-like lines precede, whether
a headline, a site marker or a date line is there, and how much the first paragraph
after reads like a story's first paragraph (``LeadModel``, a logistic regression over its
sentence embedding, trained on the first and later paragraphs of ECB+ train documents).
False splits are worse than missed ones: the threshold (``clean.boundary_probability``)
is chosen on held-out pages (train topics, and real pages) for at most 1% falsely split
pages of each kind.

Similarities are cosines of sentence embeddings of up to six body lines on each side
(and up to forty of the current story), computed only at candidates, so a page without
any costs nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .lines import NOISE, is_headline_like, norm_key, split_dateline

__all__ = ["BOUNDARY_FEATURES", "BOUNDARY_MODEL", "SIDE_CHARS", "BoundaryModel", "Candidate", "LeadModel", "Segment", "embed_once",
           "load_boundary_model", "model_decision", "segment"]

_MIN_BODY_WORDS = 25  # body text before a boundary: at least two real paragraphs...
_MIN_BODY_LINES = 2  # ...not just a long title set as body text
_MIN_BRIEF_WORDS = 8  # a one-paragraph story (a brief)
_SENTENCE_END = set(".!?\"”’'»…")
_REPEAT_WINDOW = 8
_SIDE_LINES = 6
#: characters of a line the boundary evidence embeds (the training script cuts its texts the same way)
SIDE_CHARS = 400
_MIN_SIDE_WORDS = 8
_LEAD_LINES = 3
_STORY_LINES = 40  # lines of the current story a header is compared with
_SHORT_WORDS = 8
_MAX_CANDIDATES = 200  # bound the work on huge pages
BOUNDARY_MODEL = Path(__file__).parent / "model" / "boundary.json"
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DATE_LINE_WORDS = 12
_NAME = re.compile(r"(?<=[\w,;:] )[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃÓĘĄÇĞİŞÜА-Я][\w'’-]+")  # a capitalised word inside a sentence

BOUNDARY_FEATURES = ["headline", "repeated", "marker", "captions", "similarity", "affinity", "best_affinity", "caption_after", "names_jaccard",
                     "lead_after", "short_before", "lead_next", "dated", "caption_story", "names_story", "years_new", "story_lines",
                     "places_new"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """The evidence at a possible story boundary."""

    headline: bool  # a headline-like line starts the next story
    repeated: bool  # ...and the page prints it again within a few lines
    marker: bool  # a site marker line ("TT", "AP") is in the block, or a dateline opens the text after a headline
    captions: int  # caption lines in the block
    similarity: float  # cosine of the mean embeddings of the text before and after
    affinity: float  # how much better the header fits the text after than before (mean embeddings)
    best_affinity: float  # the same with each side's best-fitting line
    caption_after: float  # the header's best fit among the lines after
    names_jaccard: float  # overlap of the capitalised names before and after
    lead_after: float  # similarity of the current story's lead and the text after
    short_before: float  # share of short lines among the three before (a list or table, not a story's end)
    lead_next: float  # how much the first paragraph after reads like a story's first paragraph (LeadModel's log-odds)
    dated: bool  # a date line (a time stamp, or a short line with a year) in the block or right above the text after
    caption_story: float  # the header's best fit among the current story's lines so far (a photo of this story)
    names_story: float  # share of the names after that the current story has named (-1: no names after)
    years_new: float  # share of the years after that the current story has not given (-1: no years after)
    story_lines: int  # body lines of the current story so far (up to _STORY_LINES)
    places_new: float = -1.0  # share of the places after (gazetteer towns and countries, a dateline's) the story has not named (-1: none)

    def vector(self) -> list[float]:
        return [float(self.headline), float(self.repeated), float(self.marker), math.log1p(self.captions), self.similarity, self.affinity,
                self.best_affinity, self.caption_after, self.names_jaccard, self.lead_after,
                self.short_before, self.lead_next, float(self.dated), self.caption_story, self.names_story, self.years_new,
                math.log1p(self.story_lines), self.places_new]


@dataclass(frozen=True, slots=True)
class LeadModel:
    """How much a paragraph reads like a story's first one (a lead): a logistic regression over its unit sentence
    embedding. A lead introduces its people and places in full, says what happened, where and when; a later
    paragraph goes on from them ("He said...", a surname alone)."""

    coef: tuple[float, ...]
    intercept: float

    def log_odds(self, unit: np.ndarray) -> float:
        return float(unit @ np.asarray(self.coef, dtype=unit.dtype)) + self.intercept


@dataclass(frozen=True, slots=True)
class BoundaryModel:
    """P(a candidate is a story boundary): a LightGBM classifier over ``Candidate.vector()``; ``lead`` measures
    the ``lead_next`` evidence, in the space of ``embedder`` (a registry name)."""

    booster: Any  # lightgbm.Booster
    lead: LeadModel
    embedder: str

    def probability(self, c: Candidate) -> float:
        return float(self.booster.predict(np.asarray([c.vector()], dtype=np.float64), num_threads=1)[0])

    def meta(self) -> dict:
        """What goes beside the booster's text model (``save``)."""
        return {"features": BOUNDARY_FEATURES, "embedder": self.embedder,
                "lead": {"coef": list(self.lead.coef), "intercept": self.lead.intercept}}

    def save(self, path: Path, **extra) -> None:
        """The booster as LightGBM text (``path`` with .txt) and the rest as JSON (``path``): no pickle."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".txt").write_text(self.booster.model_to_string())
        path.write_text(json.dumps({**self.meta(), **extra}, indent=2) + "\n")


@lru_cache(maxsize=4)
def load_boundary_model(path: str | None = None) -> BoundaryModel:
    """The shipped boundary model (``cleaning/model/boundary.json`` and ``.txt``), or one saved at ``path``."""
    import lightgbm as lgb

    where = Path(path) if path else BOUNDARY_MODEL
    try:
        d = json.loads(where.read_text())
        if d.get("features") != BOUNDARY_FEATURES:
            raise ValueError("it was trained on other features")
        lead = LeadModel(tuple(map(float, d["lead"]["coef"])), float(d["lead"]["intercept"]))
        booster = lgb.Booster(model_str=where.with_suffix(".txt").read_text())
        return BoundaryModel(booster, lead, str(d["embedder"]))
    except (OSError, ValueError, KeyError, TypeError, lgb.basic.LightGBMError) as exc:
        raise ModelError(f"cannot load the boundary model from '{where}': {exc}; rebuild it with scripts/train_segmenter.py",
                         code="SS406") from None


Decide = Callable[[int, Candidate], tuple[bool, float]]  # (split?, probability) for a candidate at a line


@dataclass(frozen=True, slots=True)
class Segment:
    start: int  # index of the first line
    end: int  # one past the last line
    headline: int | None  # index of the line that is this story's headline, if any
    evidence: str  # why it starts here ("start", "repeated headline", ...)
    similarity: float | None = None  # similarity across the boundary, when measured


def _is_body(kind: str) -> bool:
    return kind not in NOISE


def model_decision(threshold: float, model: BoundaryModel | None = None) -> Decide:
    """The shipped boundary model's decision at ``threshold``."""
    m = model or load_boundary_model()

    def decide(_: int, c: Candidate) -> tuple[bool, float]:
        p = m.probability(c)
        return p >= threshold, p

    return decide


@dataclass(frozen=True, slots=True)
class _Page:
    """One page being segmented: its lines, their kinds and keys, and how candidates are measured and judged."""

    lines: Sequence[str]
    kinds: Sequence[str]
    keys: Sequence[str]
    embed: Callable[[list[str]], np.ndarray] | None
    decide: Decide | None
    lead: LeadModel | None


def segment(
    lines: Sequence[str],
    kinds: Sequence[str],
    *,
    embed: Callable[[list[str]], np.ndarray] | None,
    decide: Decide | None = None,
    threshold: float = 0.5,
    lead: LeadModel | None = None,
    keys: Sequence[str] | None = None,
) -> list[Segment]:
    """Split line indices into stories; ``embed`` None means structure-only (rule 1 alone). Candidates are
    measured (``lead``: default the shipped model's) and go to ``decide`` (default: the shipped boundary model at
    ``threshold``). ``keys``: the lines' ``norm_key``s, when the caller has them."""
    n = len(lines)
    if embed is not None and decide is None:
        decide = model_decision(threshold)
    if embed is not None and lead is None:
        lead = load_boundary_model().lead
    page = _Page(lines, kinds, keys if keys is not None else [norm_key(t) for t in lines],
                 embed_once(embed) if embed is not None else None, decide, lead)
    starts: list[Segment] = [Segment(0, n, None, "start")]
    body_words = body_lines = 0  # body text since the current story started
    sentence_end = False  # whether its last paragraph ends as a sentence does
    seen: set[str] = set()
    candidates = 0
    first_headline = None  # the page's own headline: a headline-like line above its first paragraph
    for k in range(n):
        if _is_body(kinds[k]):
            if is_headline_like(lines[k]):
                first_headline = k
            break
    headline_keys = {page.keys[first_headline]} if first_headline is not None else set()
    i = 0
    while i < n:
        kind, text = kinds[i], lines[i]
        if _is_body(kind) and is_headline_like(text) and page.keys[i] in headline_keys:
            i += 1  # the current story's own headline, repeated
            continue
        full = body_words >= _MIN_BODY_WORDS and body_lines >= _MIN_BODY_LINES
        brief = not full and body_lines >= 1 and body_words >= _MIN_BRIEF_WORDS
        if (full or brief) and candidates < _MAX_CANDIDATES:
            # one paragraph that is no sentence is a long title set as body text: only a headline line (rules 1 and 2) ends it
            found = _boundary(page, i, starts[-1].start, headline_only=brief and not sentence_end)
            if found is not None:
                candidates += 1
                if found.evidence:
                    starts.append(found)
                    body_words = body_lines = 0
                    sentence_end = False
                    seen = set()
                    headline_keys = {page.keys[found.headline]} if found.headline is not None else set()
                    i = found.start + 1
                    continue
        if _is_body(kind) and not is_headline_like(text) and page.keys[i] not in seen:
            body_words += len(text.split())
            body_lines += 1
            sentence_end = text.rstrip()[-1:] in _SENTENCE_END
            seen.add(page.keys[i])  # a paragraph printed twice counts once
        i += 1
    return [
        Segment(s.start, starts[k + 1].start if k + 1 < len(starts) else n, s.headline, s.evidence, s.similarity)
        for k, s in enumerate(starts)
    ]


def _boundary(page: _Page, i: int, story: int, headline_only: bool = False) -> Segment | None:
    """A candidate at line i (the current story starts at line ``story``): None if it is no candidate (or,
    ``headline_only``, one that is not a headline line of rules 1 and 2); evidence "" if rejected."""
    lines, kinds, keys = page.lines, page.kinds, page.keys
    n = len(lines)
    if _is_body(kinds[i]) and is_headline_like(lines[i]) and _may_be_headline(page, i):
        after = range(i + 1, min(n, i + 1 + _REPEAT_WINDOW))
        again = next((j for j in after if keys[j] == keys[i]), None)
        if again is not None:  # a template printing each story's headline twice (or a list repeating an item)
            if page.embed is None:
                return Segment(i, n, i, "repeated headline")  # structure only: the repeat is all the evidence
            start = _next_body(again + 1, lines, kinds)
            return _judge(page, story, i, start, i, range(i + 1, start), "repeated headline", repeated=True)
        # captions or a marker right below (a headline-like line above another one is a list item or a source line)
        if i + 1 < n and kinds[i + 1] in ("caption", "marker"):
            start = _next_body(i + 1, lines, kinds)
            return _judge(page, story, i, start, i, range(i + 1, start), "headline and captions")
        # a dateline opening the paragraph right below ("ROTTERDAM, Netherlands (Courier) — "): a wire story's
        # first line, which no subheading inside a story has; its mark stands where a marker line would
        if i + 1 < n and _is_body(kinds[i + 1]) and split_dateline(lines[i + 1])[0] is not None:
            return _judge(page, story, i, i + 1, i, range(i + 1, i + 1), "headline and dateline", marked=True)
        return None
    if not _is_body(kinds[i]) and (i == 0 or _is_body(kinds[i - 1])):
        j = i
        while j < n and not _is_body(kinds[j]):
            j += 1
        # a block of noise with photo captions or a lettered site marker ("TT", "AP") in it (a time stamp or
        # an "Advertisement" may stand beside them); an ellipsis or a rule line is no boundary
        if j >= n or not any(kinds[k] == "caption" or (kinds[k] == "marker" and any(c.isalpha() for c in lines[k]))
                             for k in range(i, j)):
            return None
        if headline_only:  # a title set as body text, then captions: the photo of its story
            return None
        if is_headline_like(lines[j]):  # captions, then the next story's headline
            return _judge(page, story, i, _next_body(j, lines, kinds), j, range(i, j), "captions and headline")
        return _judge(page, story, i, j, None, range(i, j), "captions of the next story")
    return None


def _judge(page: _Page, story: int, start: int, body: int, headline: int | None, block: range, what: str,
           repeated: bool = False, marked: bool = False) -> Segment:
    """Measure the evidence for a story starting at ``start`` (its body at ``body``; the current story began at
    ``story``) and let the page's ``decide`` judge it; ``marked``: a dateline's mark counts as a marker."""
    n = len(page.lines)
    if page.embed is None or page.decide is None:
        return Segment(start, n, headline, "")
    captions = [page.lines[k] for k in block if page.kinds[k] == "caption"]
    header = ([page.lines[headline]] if headline is not None else []) + captions
    shape = (headline is not None, repeated, marked or any(page.kinds[k] == "marker" for k in block), len(captions))
    dated = any(_is_date_line(page, k) for k in range(block.start, min(len(page.lines), body + 2)) if k != headline)
    c = _candidate(page, story, start, body, header, shape, dated)
    if c is None:
        return Segment(start, n, headline, "")  # too little text on one side to tell
    ok, p = page.decide(start, c)
    return Segment(start, n, headline, f"{what} (p={p:.2f})" if ok else "", c.similarity)


def embed_once(embed: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
    """``embed`` that embeds each text once (as float32): a page's neighbouring candidates share most of their lines."""
    cache: dict[str, np.ndarray] = {}

    def cached(texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in cache]
        if todo:
            cache.update(zip(todo, np.asarray(embed(todo), dtype=np.float32)))
        return np.vstack([cache[t] for t in texts])

    return cached


def _is_date_line(page: _Page, k: int) -> bool:
    """A time stamp, or a short line that gives a year and is no sentence ("Sun, 15 Sep 2013")."""
    return page.kinds[k] == "timestamp" or is_date_text(page.lines[k])


def is_date_text(text: str) -> bool:
    """A short line that gives a year and is no sentence: a page's date ("Friday, November 11, 2011")."""
    t = text.strip()
    return len(t.split()) <= _DATE_LINE_WORDS and t[-1:] != "." and bool(_YEAR.search(t))


def _may_be_headline(page: _Page, k: int) -> bool:
    """A headline-like line that can head a story: no date line and no sign-off ("- CUMBRIA POLICE"), which end one."""
    return page.lines[k].lstrip()[:1] not in "-–—" and not _is_date_line(page, k)


def _next_body(j: int, lines: Sequence[str], kinds: Sequence[str]) -> int:
    while j < len(lines) and (not _is_body(kinds[j]) or is_headline_like(lines[j])):
        j += 1
    return j


def _side(lines: Sequence[str], kinds: Sequence[str], idx: range, limit: int = _SIDE_LINES) -> list[str]:
    out = []
    for j in idx:
        if _is_body(kinds[j]) and not is_headline_like(lines[j]):
            out.append(lines[j][:SIDE_CHARS])
            if len(out) == limit:
                break
    return out


def _names(texts: Sequence[str]) -> set[str]:
    return {m.group(0).casefold() for t in texts for m in _NAME.finditer(t)}


def _candidate(page: _Page, story: int, before_end: int, after_start: int, header: Sequence[str],
               shape: tuple[bool, bool, bool, int], dated: bool) -> Candidate | None:
    """The evidence between the text before ``before_end`` and from ``after_start``; None with too little text on a side."""
    lines, kinds = page.lines, page.kinds
    before = _side(lines, kinds, range(before_end - 1, -1, -1))
    after = _side(lines, kinds, range(after_start, len(lines)))
    if sum(len(t.split()) for t in before) < _MIN_SIDE_WORDS or sum(len(t.split()) for t in after) < _MIN_SIDE_WORDS:
        return None
    told = _side(lines, kinds, range(story, before_end), limit=_STORY_LINES)  # the current story so far
    caps = [c[:SIDE_CHARS] for c in header]
    texts = before + after + caps + told
    pos = {t: k for k, t in enumerate(dict.fromkeys(texts))}  # the story so far is often the text before: embed each line once
    vecs = np.asarray(page.embed(list(pos)), dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
    vecs = vecs[[pos[t] for t in texts]]
    vb, va, vc, vt = np.split(vecs, np.cumsum([len(before), len(after), len(caps)]))
    vl = vt[:_LEAD_LINES]  # the current story's lead
    a, b = _unit(vb.mean(axis=0)), _unit(va.mean(axis=0))
    affinity = best = after_fit = story_fit = 0.0
    if len(vc):
        c = _unit(vc.mean(axis=0))
        affinity = float(c @ b - c @ a)
        fit_after, fit_before = (vc @ va.T).max(), (vc @ vb.T).max()
        best, after_fit = float(fit_after - fit_before), float(fit_after)
        story_fit = float((vc @ vt.T).max()) if len(vt) else float(fit_before)
    lead_after = float(_unit(vl.mean(axis=0)) @ b) if len(vl) else float(a @ b)
    na, nb = _names(before), _names(after)
    jaccard = len(na & nb) / len(na | nb) if na | nb else 0.0
    nt = _names(told)
    names_story = len(nb & nt) / len(nb) if nb else -1.0
    ya, yt = _years(after), _years(told)
    years_new = len(ya - yt) / len(ya) if ya else -1.0
    pa, pt = _places(after), _places(told)
    places_new = len(pa - pt) / len(pa) if pa else -1.0
    prev = [lines[k] for k in range(max(0, before_end - 3), before_end)]
    short = sum(len(t.split()) < _SHORT_WORDS for t in prev) / len(prev) if prev else 0.0
    lead_next = page.lead.log_odds(va[0]) if page.lead is not None else 0.0
    return Candidate(*shape, float(a @ b), affinity, best, after_fit, jaccard, lead_after, short, lead_next, dated, story_fit,
                     names_story, years_new, len(told), places_new)


_PLACE_NAME = re.compile(r"\b[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃÓĘĄÇĞİŞÜА-Я][\w'’-]+(?:\s+[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃÓĘĄÇĞİŞÜА-Я][\w'’-]+)?")


def _places(texts: Sequence[str]) -> set[str]:
    """The places the texts name, as the event signature keys them: towns (country:town) and countries, found by the
    gazetteer among capitalised words and pairs of them (a dateline's upper-case place too)."""
    return set().union(*(_line_places(t) for t in texts))


@lru_cache(maxsize=4096)  # a line is a side of several candidates
def _line_places(text: str) -> frozenset[str]:
    from ..analysis.gazetteer import lookup_place

    found = set()
    for m in _PLACE_NAME.finditer(text):
        words = m.group(0).split()
        for gram in ([m.group(0)] if len(words) > 1 else []) + [w for w in words if len(w) >= 4]:  # "The" names a town too
            place = lookup_place(gram.title() if gram.isupper() else gram)
            if place is not None:
                found.add(f"{place.country}:{place.city or ''}")
                break
    return frozenset(found)


def _years(texts: Sequence[str]) -> set[str]:
    return {m.group(0) for t in texts for m in _YEAR.finditer(t)}


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) + 1e-12)
