"""Story segmentation: where does a page that holds several stories change story?

Candidate boundaries, and the evidence each needs (false splits are worse than
missed ones, so weaker structure needs stronger evidence):

1. a headline-like line, after body text, that the page repeats within the next
   few lines (a page template printing each story's headline twice): split;
2. a headline-like line next to captions or markers, after body text: split when
   the text before and after is less similar than ``headline_shift``, or when the
   headline and captions describe the text after better than the text before (by
   at least ``caption_affinity``: a headline and its photos belong to what follows,
   a last sentence without a full stop to what precedes);
3. a block of captions/markers between body text, with no headline: split only when
   the captions describe the text after better than the text before (by at least
   ``caption_affinity``: a story's photos sit at its top, a mid-article photo fits
   both sides) *and* the similarity is below ``topic_shift``.

Similarities are cosines of mean sentence embeddings of up to six body lines on
each side, computed only at candidates, so a page without any costs nothing.
Thresholds are chosen on ECB+ train pages by ``benchmarks/bench_segmentation.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .lines import NOISE, is_headline_like, norm_key

__all__ = ["Segment", "segment"]

_MIN_BODY_WORDS = 12  # body text before a boundary: at least one real paragraph
_REPEAT_WINDOW = 8
_NOISE_WINDOW = 3
_SIDE_LINES = 6
_SIDE_CHARS = 400
_MIN_SIDE_WORDS = 20
_MAX_CANDIDATES = 200  # bound the work on huge pages


@dataclass(frozen=True, slots=True)
class Segment:
    start: int  # index of the first line
    end: int  # one past the last line
    headline: int | None  # index of the line that is this story's headline, if any
    evidence: str  # why it starts here ("start", "repeated headline", ...)
    similarity: float | None = None  # similarity across the boundary, when measured


def _is_body(kind: str) -> bool:
    return kind not in NOISE


def segment(
    lines: Sequence[str],
    kinds: Sequence[str],
    *,
    embed: Callable[[list[str]], np.ndarray] | None,
    headline_shift: float,
    topic_shift: float,
    caption_affinity: float = 0.25,
) -> list[Segment]:
    """Split line indices into stories; ``embed`` None means structure-only (rule 1)."""
    n = len(lines)
    keys = [norm_key(t) for t in lines]
    starts: list[Segment] = [Segment(0, n, None, "start")]
    body_words = 0  # words of body text since the current story started
    candidates = 0
    first_headline = None  # the page's own headline: a headline-like line above its first paragraph
    for k in range(n):
        if _is_body(kinds[k]):
            if is_headline_like(lines[k]):
                first_headline = k
            break
    headline_keys = {keys[first_headline]} if first_headline is not None else set()
    i = 0
    while i < n:
        kind, text = kinds[i], lines[i]
        if _is_body(kind) and is_headline_like(text) and keys[i] in headline_keys:
            i += 1  # the current story's own headline, repeated
            continue
        if body_words >= _MIN_BODY_WORDS and candidates < _MAX_CANDIDATES:
            found = _boundary(i, lines, kinds, keys, embed, headline_shift, topic_shift, caption_affinity)
            if found is not None:
                candidates += 1
                if found.evidence:
                    starts.append(found)
                    body_words = 0
                    headline_keys = {keys[found.headline]} if found.headline is not None else set()
                    i = found.start + 1
                    continue
        if _is_body(kind) and not is_headline_like(text):
            body_words += len(text.split())
        i += 1
    return [
        Segment(s.start, starts[k + 1].start if k + 1 < len(starts) else n, s.headline, s.evidence, s.similarity)
        for k, s in enumerate(starts)
    ]


def _boundary(
    i: int,
    lines: Sequence[str],
    kinds: Sequence[str],
    keys: Sequence[str],
    embed: Callable[[list[str]], np.ndarray] | None,
    headline_shift: float,
    topic_shift: float,
    caption_affinity: float,
) -> Segment | None:
    """A candidate at line i: None if it is no candidate; evidence "" if rejected."""
    n = len(lines)
    if _is_body(kinds[i]) and is_headline_like(lines[i]):
        after = range(i + 1, min(n, i + 1 + _REPEAT_WINDOW))
        if any(keys[j] == keys[i] for j in after):
            return Segment(i, n, i, "repeated headline")
        if any(kinds[j] in ("caption", "marker") for j in range(i + 1, min(n, i + 1 + _NOISE_WINDOW))):
            start = _next_body(i + 1, lines, kinds)
            header = [lines[i]] + [lines[k] for k in range(i + 1, start) if kinds[k] == "caption"]
            sim, affinity = _similarity(i, start, lines, kinds, embed, header)
            return _decide(i, n, i, sim, affinity, headline_shift, caption_affinity, "headline and captions")
        return None
    if kinds[i] in ("caption", "marker") and (i == 0 or _is_body(kinds[i - 1])):
        j = i
        while j < n and not _is_body(kinds[j]):
            j += 1
        # photo captions or a lettered site marker ("TT", "AP"); an ellipsis or a rule line is no boundary
        if j >= n or not any(kinds[k] == "caption" or any(c.isalpha() for c in lines[k]) for k in range(i, j)):
            return None
        captions = [lines[k] for k in range(i, j) if kinds[k] == "caption"]
        if is_headline_like(lines[j]):  # captions, then the next story's headline
            start = _next_body(j, lines, kinds)
            sim, affinity = _similarity(i, start, lines, kinds, embed, [*captions, lines[j]])
            return _decide(i, n, j, sim, affinity, headline_shift, caption_affinity, "captions and headline")
        sim, affinity = _similarity(i, j, lines, kinds, embed, captions)
        ok = sim is not None and affinity is not None and sim < topic_shift and affinity >= caption_affinity
        return Segment(i, n, None, "captions of the next story and a topic shift" if ok else "", sim)
    return None


def _decide(
    start: int,
    n: int,
    headline: int,
    sim: float | None,
    affinity: float | None,
    headline_shift: float,
    caption_affinity: float,
    what: str,
) -> Segment:
    """A headline next to captions starts a story when the text changes or the header describes what follows."""
    if sim is not None and sim < headline_shift:
        return Segment(start, n, headline, f"{what}, topic shift", sim)
    if affinity is not None and affinity >= caption_affinity:
        return Segment(start, n, headline, f"{what} describing what follows", sim)
    return Segment(start, n, headline, "", sim)


def _next_body(j: int, lines: Sequence[str], kinds: Sequence[str]) -> int:
    while j < len(lines) and (not _is_body(kinds[j]) or is_headline_like(lines[j])):
        j += 1
    return j


def _side(lines: Sequence[str], kinds: Sequence[str], idx: range) -> list[str]:
    out = []
    for j in idx:
        if _is_body(kinds[j]) and not is_headline_like(lines[j]):
            out.append(lines[j][:_SIDE_CHARS])
            if len(out) == _SIDE_LINES:
                break
    return out


def _similarity(
    before_end: int,
    after_start: int,
    lines: Sequence[str],
    kinds: Sequence[str],
    embed: Callable[[list[str]], np.ndarray] | None,
    captions: Sequence[str] = (),
) -> tuple[float | None, float | None]:
    """(similarity of the text before and after, how much better the captions fit after than before)."""
    if embed is None:
        return None, None
    before = _side(lines, kinds, range(before_end - 1, -1, -1))
    after = _side(lines, kinds, range(after_start, len(lines)))
    if sum(len(t.split()) for t in before) < _MIN_SIDE_WORDS or sum(len(t.split()) for t in after) < _MIN_SIDE_WORDS:
        return None, None  # too little text on one side to tell a topic shift from noise
    caps = [c[:_SIDE_CHARS] for c in captions]
    vecs = embed(before + after + caps)
    a = _unit(vecs[: len(before)].mean(axis=0))
    b = _unit(vecs[len(before) : len(before) + len(after)].mean(axis=0))
    affinity = None
    if caps:
        c = _unit(vecs[len(before) + len(after) :].mean(axis=0))
        affinity = float(c @ b - c @ a)
    return float(a @ b), affinity


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) + 1e-12)
