"""The plain records that flow between the stages (read -> clean -> analyse -> ...).

Records are frozen, slotted dataclasses: built once, never mutated. ``meta``
mappings are plain dicts for easy JSON output; treat them as read-only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = [
    "Article",
    "RawDocument",
    "ReadProblem",
    "IngestResult",
    "StoreStats",
    "Source",
    "Entity",
    "Number",
    "Analysis",
    "Explanation",
    "PairScore",
    "Story",
    "StoryArticle",
    "Coverage",
    "content_hash",
]

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)  # placement and repair ask for the same articles' hashes again and again
def content_hash(text: str) -> str:
    """A stable hash of a text's content: NFC, whitespace-collapsed, case kept."""
    norm = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, in the form every stage and adapter shares.

    ``text`` is the body (possibly still noisy before cleaning); ``html`` the page
    it came from, when there is one. ``published`` is timezone-aware (UTC when the
    source gave no zone). Unknown input keys are kept in ``meta``.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    published: datetime | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash of title + text: the same article re-read hashes the same."""
        return content_hash(f"{self.title or ''}\n{self.text or self.html or ''}")


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader produced, before cleaning: an article plus where it came from.

    ``origin`` is ``path`` or ``path:line`` (``-:line`` for stdin), for messages.
    """

    article: Article
    origin: str


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A source, or part of one, that was skipped, and why."""

    origin: str
    reason: str
    code: str


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one ingest did to the store: counts, the ids of every article given (``ids``) and of those added or
    updated (``changed``)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __add__(self, other: IngestResult) -> IngestResult:
        return IngestResult(
            self.added + other.added,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.ids + other.ids,
            self.changed + other.changed,
        )


@dataclass(frozen=True, slots=True)
class Source:
    """A feed or page ``samestory watch`` follows, and its health: ``status`` is "new" (not fetched yet), "ok" (its
    last fetch brought something), "unchanged" (the server said 304, or nothing new) or "failing" (``failures``
    fetches in a row went wrong; ``message`` says how); ``next_fetch`` is when it is due again; ``items`` the
    articles it brought in."""

    url: str
    added: datetime | None
    status: str
    message: str | None = None
    last_fetch: datetime | None = None
    last_ok: datetime | None = None
    failures: int = 0
    next_fetch: datetime | None = None
    items: int = 0
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What a store holds: counts, the busiest sources, languages and the date range."""

    articles: int
    dated: int
    titled: int
    first_published: datetime | None
    last_published: datetime | None
    sources: tuple[tuple[str, int], ...]
    languages: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, place or other name in an article, with its canonical key.

    ``key`` is ``loc:TR``, ``loc:TR:ankara``, ``org:UN``, or ``name:recep tayyip erdogan`` for names
    no table resolves (persons and other organisations; matched across spellings by ``names_match``);
    places carry their ISO country code (and city). ``mentions`` counts the article's mentions.
    """

    text: str
    label: str  # PER, ORG, LOC, MISC
    key: str
    country: str | None = None
    city: str | None = None
    mentions: int = 1


@dataclass(frozen=True, slots=True)
class Number:
    """A number that matters for facts: '52,622 refugees' -> (52622.0, 'refugees')."""

    value: float
    unit: str
    text: str


@dataclass(frozen=True, slots=True)
class EventSignature:
    """What a careful reader checks to tell one incident from a look-alike (``analysis.signature``): the days the
    text states (resolved against publication), places below the country (``city:TR:malatya``, ``county:...``,
    ``street:...``), ages of the people in it, counts of dead and injured, magnitudes, and its rare words with
    their TF-IDF weights. Empty where the text says nothing of the kind."""

    days: tuple[date, ...] = ()
    places: tuple[str, ...] = ()
    ages: tuple[int, ...] = ()
    killed: tuple[float, ...] = ()
    injured: tuple[float, ...] = ()
    magnitudes: tuple[float, ...] = ()
    terms: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the scorer and the clusterer need to know about one article.

    Vectors are L2-normalised rows from the embedder named in ``models["embedder"]``:
    ``doc`` (1-d), ``title``/``lead`` (1-d, zeros when absent), ``chunks`` and
    ``sentence_vectors`` (2-d, float16 to save space). ``minhash`` is the body's
    MinHash signature (uint64), ``days`` the publication day plus days the text mentions.
    ``opening``: the vector of title and opening from a second embedder (``models["opening"]``),
    added for comparisons by ``analysis.opening.with_openings``; None where not computed.
    """

    article: Article
    language: str | None
    entities: tuple[Entity, ...]
    countries: tuple[str, ...]
    days: tuple[date, ...]
    numbers: tuple[Number, ...]
    sentences: tuple[str, ...]
    doc: np.ndarray
    title: np.ndarray
    lead: np.ndarray
    chunks: np.ndarray
    sentence_vectors: np.ndarray
    minhash: np.ndarray
    models: dict[str, str]
    notes: tuple[str, ...] = ()
    opening: np.ndarray | None = None
    signature: EventSignature = EventSignature()

    @property
    def id(self) -> str:
        return self.article.id


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a pair scored as it did: what both report, and what only one side reports."""

    matched_entities: tuple[tuple[str, str, str], ...]  # (surface in a, surface in b, key)
    only_a_entities: tuple[str, ...]
    only_b_entities: tuple[str, ...]
    shared_countries: tuple[str, ...]
    only_a_countries: tuple[str, ...]
    only_b_countries: tuple[str, ...]
    shared_days: tuple[date, ...]
    only_a_days: tuple[date, ...]
    only_b_days: tuple[date, ...]
    aligned_sentences: tuple[tuple[str, str, float], ...]  # (sentence in a, sentence in b, similarity)
    only_a_sentences: tuple[str, ...]
    only_b_sentences: tuple[str, ...]
    # the event signatures compared in plain words, decisive first ("different places: Malatya / Kahramanmaraş")
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PairScore:
    """SemEval-2022 Task 8 scores of a pair, 1 = very similar ... 4 = very dissimilar.

    ``probability`` is the story linker's probability that the two report the same real-world event;
    ``same_story`` is ``probability >= cluster.link_probability``. ``unknown`` says why there are no scores: a side
    is site furniture (a sign-up form, a paywall notice, a footer) rather than an article; the seven scores and
    the probability are then None and ``same_story`` is False.
    """

    a: str
    b: str
    overall: float | None
    geography: float | None
    entities: float | None
    time: float | None
    narrative: float | None
    style: float | None
    tone: float | None
    same_story: bool
    probability: float | None
    explanation: Explanation | None = None
    unknown: str | None = None


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One article's place in a story's timeline. ``copy_of``: the original it copies, if it is a copy."""

    id: str
    source: str | None
    published: datetime | None
    title: str | None
    url: str | None = None
    copy_of: str | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """A group of articles that tell the same story.

    ``id`` comes from the story's founding article (batch: the earliest, ties by id);
    ``title`` is the most central article's; ``articles`` and ``timeline`` are in publication
    order (undated last). ``copies`` are groups of near-duplicates, the original (earliest)
    first; ``entities``, ``countries`` and ``days`` are what the story is about, most
    reported first.
    """

    id: str
    title: str
    articles: tuple[str, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    sources: tuple[str, ...]
    countries: tuple[str, ...] = ()
    copies: tuple[tuple[str, ...], ...] = ()
    entities: tuple[str, ...] = ()
    days: tuple[date, ...] = ()
    timeline: tuple[StoryArticle, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """What one source reports about a story that no other source does."""

    source: str
    articles: tuple[str, ...]
    only_here: tuple[str, ...]  # sentences without a counterpart in other sources
    only_here_entities: tuple[str, ...] = ()
