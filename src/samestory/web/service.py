"""What the API and the pages do, over the library: one writer at a time, readers in parallel.

SQLite in WAL mode lets readers run beside one writer; each server thread reads through its own
connection, and writes (adding articles, placing them in stories) go through one connection and
one in-memory story clusterer under a lock, so the store stays consistent under concurrent posts.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from ..articles import article_from_dict, article_to_dict
from ..cleaning import clean
from ..clustering import coverage, story_to_dict
from ..errors import InputError
from ..pipeline import story_clusterer, stored_analyses, update_stories
from ..records import Article, PairScore
from ..scoring import compare
from ..settings import Settings, load_settings
from ..store import SQLiteStore

__all__ = ["Service", "pair_to_dict"]


def pair_to_dict(score: PairScore) -> dict[str, Any]:
    """The PairScore as JSON-ready data (tuples become lists, dates ISO strings)."""
    return json.loads(json.dumps(asdict(score), default=str))


class Service:
    def __init__(self, db: str, *, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.db = db
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._writer = SQLiteStore(db, keep_html=self.settings.store.keep_html)  # creates / migrates the store
        self._clusterer = None
        self._coverage = lru_cache(maxsize=512)(self._coverage_of)

    def warm_up(self) -> None:
        """Load the models and the story index before the first request needs them."""
        from ..analysis import analyse_all
        from ..articles import make_article
        from ..clustering.linker import load_linker

        with self._write_lock:
            self._writer_clusterer()
        (an,) = analyse_all([make_article(text="The server starts. It loads its models once.", title="Warm-up")], settings=self.settings)
        compare(an, an, settings=self.settings)
        load_linker()

    # -- reading ----------------------------------------------------------------------------
    @property
    def store(self) -> SQLiteStore:
        """This thread's read connection."""
        st = getattr(self._local, "store", None)
        if st is None:
            st = self._local.store = SQLiteStore(self.db)
        return st

    def article(self, article_id: str) -> dict | None:
        art = self.store.get_article(article_id)
        if art is None:
            return None
        placed = self.store.story_of(article_id)
        return {**article_to_dict(art), "story": placed[0] if placed else None, "new_story": placed[1] if placed else None,
                "note": placed[2] if placed else None}

    def stories(self, *, page: int, size: int, q: str | None = None, entity: str | None = None, source: str | None = None,
                since: datetime | None = None, until: datetime | None = None) -> dict:
        total, items = self.store.list_stories(limit=size, offset=(page - 1) * size, text=q, entity=entity, source=source,
                                               since=since, until=until)
        return {"total": total, "page": page, "size": size, "stories": [story_to_dict(s) for s in items]}

    def story(self, story_id: str) -> dict | None:
        story = self.store.get_story(story_id)
        if story is None:
            return None
        return {**story_to_dict(story), "coverage": self._coverage(story.id, story.articles)}

    def _coverage_of(self, story_id: str, articles: tuple[str, ...]) -> list[dict]:
        """Per-source coverage of a story's members (cached: the same members give the same coverage)."""
        found = stored_analyses(self.store, list(articles), settings=self.settings)
        return [asdict(c) for c in coverage([found[a] for a in articles if a in found])]

    def compare(self, a: dict | str, b: dict | str) -> dict:
        return pair_to_dict(compare(self._article_of(a), self._article_of(b), settings=self.settings))

    def _article_of(self, x: dict | str) -> Article:
        if isinstance(x, str):  # an id in the store
            art = self.store.get_article(x)
            if art is None:
                raise InputError(f"no article '{x}' in the store", code="SS111")
            return art
        (first, *_) = clean(article_from_dict(x), settings=self.settings) or [None]
        if first is None:
            raise InputError("the article has no text left after cleaning", code="SS112")
        return first

    # -- writing ----------------------------------------------------------------------------
    def add(self, items: Sequence[dict]) -> list[dict]:
        """Clean, store, analyse and place articles; returns, per resulting article, its id and story."""
        articles = []
        for k, item in enumerate(items):
            try:
                articles.extend(clean(article_from_dict(item), settings=self.settings))
            except InputError as exc:
                raise InputError(f"article {k}: {exc.message}", code=exc.code) from None
        with self._write_lock, self._writer.writing():
            self._writer.add_articles(articles)
            update_stories(self._writer, settings=self.settings, clusterer=self._writer_clusterer())
            out = []
            for art in articles:
                placed = self._writer.story_of(art.id)
                out.append({"id": art.id, "story": placed[0] if placed else None, "new_story": bool(placed and placed[1])})
        return out

    def _writer_clusterer(self):
        """The writer's clusterer, built from the store on first use and again when another process (an ingest)
        has written to the store since (call under the write lock)."""
        if self._writer.changed_elsewhere() or self._clusterer is None:
            self._clusterer = story_clusterer(self._writer, self.settings)
        return self._clusterer

    def health(self) -> dict:
        return {"status": "ok", "articles": self.store.count_articles(), "stories": self.store.count_stories()}

    def close(self) -> None:
        self._writer.close()
