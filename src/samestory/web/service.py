"""What the API and the pages do, over the library: one writer at a time, readers in parallel.

SQLite in WAL mode lets readers run beside one writer; each server thread reads through its own
connection. A post keeps its articles as given in a queued job (one short transaction on the posts' own
connection) and is answered with the job; the placer, a process of its own (``placer.py``), cleans and stores
them, places whatever is stored and not placed yet, a batch at a time, and marks the jobs done. So a post
never waits for the placing, readers never wait for either (nor share an interpreter lock with it),
and the store stays consistent under concurrent posts: one writer at a time, by the store's lock.
"""

from __future__ import annotations

import json
import math
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np

from ..articles import article_from_dict, article_to_dict
from ..cleaning import clean
from ..clustering import coverage, story_to_dict
from ..errors import BacklogError, InputError
from ..pipeline import correct, delete, stored_analyses
from ..records import Article, PairScore
from ..scoring import compare
from ..settings import Settings, load_settings
from ..store import SQLiteStore
from ..watch import source_to_dict
from .placer import RUN_ARTICLES, Placer

__all__ = ["Service", "pair_to_dict", "read_urls", "MAX_URLS"]

log = logging.getLogger(__name__)
# a post is admitted while the work waiting fits in this share of serve.placing_within at the placer's recent rate:
# the rest is for that rate's error. Under the load benchmark the rate fell by a third within 20 s of an estimate
# (the machine's other work, a repair); at 0.7 two runs in five placed a post 31-33 s after it (placing_within = 30 s)
ADMIT_SHARE = 0.6
MEMO_SIZE = 4096  # read answers remembered until the stories change
WAIT_POLL = 0.1  # seconds between looks at a job a request waits for


MAX_URLS = 20  # URLs fetched for one request (each may take fetch.timeout, and retries)
SEARCH_MAX = 200  # stories a search ranks
SEARCH_COSINE = 0.3  # a story whose mean vector is this close to the query's means it (see docs/guides/web.md)


def read_urls(urls: Sequence[str], settings: Settings) -> tuple[list[dict], list[dict]]:
    """Fetch and read URLs as ``samestory ingest URL...`` does: their articles as dicts, and what could not be read
    (as a job's ``skipped``: index, code and reason)."""
    from ..readers import ReadReport, read

    from ..readers.fetch import is_url

    if len(urls) > MAX_URLS:
        raise InputError(f"at most {MAX_URLS} URLs at a time; give more to 'samestory ingest --urls FILE'", code="SS109")
    # only http(s): anything else would be read as a path on the server's own disk
    refused = [{"index": k, "error": "SS130", "message": f"{u[:200]}: not an http(s) URL"} for k, u in enumerate(urls) if not is_url(u)]
    fetch = [u for u in urls if is_url(u)]
    report = ReadReport()
    items = [article_to_dict(doc.article) for doc in read(fetch, settings=settings, report=report)] if fetch else []
    index = {u: k for k, u in enumerate(urls)}
    skipped = refused + [{"index": index.get(p.origin), "error": p.code, "message": f"{p.origin}: {p.reason}"}
                         for p in report.problems]
    return items, skipped


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def pair_to_dict(score: PairScore) -> dict[str, Any]:
    """The PairScore as JSON-ready data (tuples become lists, dates ISO strings)."""
    return json.loads(json.dumps(asdict(score), default=str))


class Service:
    def __init__(self, db: str, *, settings: Settings | None = None, warm: bool = True) -> None:
        self.settings = settings or load_settings()
        self.db = db
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._post_lock = threading.Lock()
        self._open()
        self._coverage = lru_cache(maxsize=512)(self._coverage_of)
        self._story_vectors: tuple | None = None  # (stories version, ids, unit mean vectors) for searches
        self._placer = Placer(db, self.settings, warm=warm)
        self._memo: OrderedDict[tuple, Any] = OrderedDict()  # reads' answers for the stories version _memo_version
        self._memo_version: int | None = None
        self._memo_lock = threading.Lock()

    def _open(self) -> None:
        self._writer = SQLiteStore(self.db, keep_html=self.settings.store.keep_html)  # creates / migrates; corrections
        self._posts = SQLiteStore(self.db, keep_html=self.settings.store.keep_html)  # posts store their articles here
        self._closed = False

    def warm_up(self) -> None:
        """Load the models compare and search use before the first request needs them (the placer process loads
        its own)."""
        from ..analysis import analyse_all
        from ..articles import make_article

        (an,) = analyse_all([make_article(text="The server starts. It loads its models once.", title="Warm-up")], settings=self.settings)
        compare(an, an, settings=self.settings)

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

    def _remembered(self, key: tuple, build: Callable[[], Any]) -> Any:
        """``build()``, remembered until the stories change (the store's stories version: every save of placements
        or story records raises it), so that readers under load mostly get an answer already made. A value built
        while the stories changed may be newer than its version: the next read sees the new version and forgets."""
        version = self.store.stories_version()
        with self._memo_lock:
            if version != self._memo_version:
                self._memo.clear()
                self._memo_version = version
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = build()
        with self._memo_lock:
            if self._memo_version == version:
                self._memo[key] = value
                while len(self._memo) > MEMO_SIZE:
                    self._memo.popitem(last=False)
        return value

    def recalled(self, key: tuple) -> tuple[bool, Any]:
        """``(True, answer)`` when the answer for ``key`` (``stories_key``, ``story_key``) is remembered for the
        stories as they are now, else ``(False, None)``. Cheap (one indexed read of the store): the server asks it
        on its event loop, and only builds an answer in a worker thread when it is not remembered."""
        version = self.store.stories_version()
        with self._memo_lock:
            if version == self._memo_version and key in self._memo:
                self._memo.move_to_end(key)
                return True, self._memo[key]
        return False, None

    @staticmethod
    def stories_key(**query: Any) -> tuple:
        return ("stories.json", *sorted(query.items()))

    @staticmethod
    def story_key(story_id: str) -> tuple:
        return ("story.json", story_id)

    def stories_json(self, **query: Any) -> bytes:
        """``stories(**query)`` as JSON (UTF-8), remembered until the stories change."""
        return self._remembered(self.stories_key(**query), lambda: _json(self.stories(**query)))

    def story_json(self, story_id: str) -> bytes | None:
        """``story(story_id)`` as JSON (UTF-8; None: no such story), remembered until the stories change."""
        def build() -> bytes | None:
            found = self.story(story_id)
            return None if found is None else _json(found)

        return self._remembered(self.story_key(story_id), build)

    def stories(self, *, page: int, size: int, q: str | None = None, entity: str | None = None, source: str | None = None,
                since: datetime | None = None, until: datetime | None = None, language: str | None = None) -> dict:
        """A page of stories, newest first; with ``q``, the stories whose title or text holds it first, then those
        whose articles mean it in any language (the query's multilingual vector against each story's mean vector).
        ``language``: stories with an article in that language."""
        filters = {"entity": entity, "source": source, "since": since, "until": until, "language": language}
        if not q:
            total, items = self.store.list_stories(limit=size, offset=(page - 1) * size, **filters)
            return {"total": total, "page": page, "size": size, "stories": [story_to_dict(s) for s in items]}
        _, literal = self.store.list_stories(limit=SEARCH_MAX, offset=0, text=q, **filters)
        ranked = [s.id for s in literal]
        if len(ranked) < SEARCH_MAX:
            allowed = None
            if any(filters.values()):  # the meaning matches obey the filters too
                allowed = self.store.story_ids(**filters)
            seen = set(ranked)
            ranked += [sid for sid in self._meaning_matches(q) if sid not in seen and (allowed is None or sid in allowed)]
        ranked = ranked[:SEARCH_MAX]
        shown = [self.store.get_story(sid) for sid in ranked[(page - 1) * size : page * size]]
        return {"total": len(ranked), "page": page, "size": size, "stories": [story_to_dict(s) for s in shown if s is not None]}

    def _meaning_matches(self, q: str) -> list[str]:
        """Story ids whose mean document vector is at least SEARCH_COSINE from the query's, best first."""
        from ..embed import get_embedder

        version = self.store.stories_version()
        cached = self._story_vectors
        if cached is None or cached[0] != version:
            cached = self._story_vectors = (version, *self.store.story_vectors())
        _, ids, vectors = cached
        if not ids:
            return []
        query = get_embedder(self.settings.analyse.embedder).embed([q])[0]
        cos = vectors @ query
        order = np.argsort(-cos, kind="stable")
        return [ids[k] for k in order if cos[k] >= SEARCH_COSINE][:SEARCH_MAX]

    def languages(self) -> list[str]:
        """The languages of the placed articles, commonest first (remembered until the stories change)."""
        return self._remembered(("languages",), lambda: [code for code, _ in self.store.languages()])

    def source(self, name: str, *, limit: int = 2000) -> dict:
        """What one source covered: its stories (newest first, at most ``limit``), how many it reported first, and
        its typical lag behind the first report where it was not first."""
        total, items = self.store.list_stories(limit=limit, offset=0, source=name)
        rows, first, lags = [], 0, []
        for story in items:
            dated = [t for t in story.timeline if t.published is not None]
            mine = [t for t in dated if t.source == name]
            lead = min(dated, key=lambda t: t.published) if dated else None
            is_first = bool(mine and lead is not None and mine[0].published <= lead.published)
            first += is_first
            if mine and lead is not None and not is_first:
                lags.append((min(t.published for t in mine) - lead.published).total_seconds() / 3600)
            rows.append({**story_to_dict(story), "first": is_first, "articles_here": sum(t.source == name for t in story.timeline)})
        lags.sort()
        return {"source": name, "stories": total, "listed": rows, "first": first,
                "median_lag_hours": lags[len(lags) // 2] if lags else None}

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
                raise InputError(f"no article '{x}' in the store", code="SS122")
            return art
        article = article_from_dict(x)
        try:
            (first, *_) = clean(article, settings=self.settings)
        except InputError as exc:
            if exc.code != "SS120":
                raise
            return article  # cleaning leaves nothing (only captions, credits...): the text is compared as given
        return first

    # -- writing ----------------------------------------------------------------------------
    def submit(self, items: Sequence[dict], *, skipped: Sequence[dict] = ()) -> dict:
        """Keep articles for the placer, which cleans, stores and places them: the job (``job``), at once. An item
        that cannot be an article (a field of the wrong type) is reported in the job's ``skipped`` at once, one that
        cleaning leaves empty once the placer has cleaned it, each with its index and reason, after those given (what
        could not be read before); the others go on. The cleaning is the placer's so that a post costs the server
        only a check and one write: under load its answer no longer waits on the interpreter lock for it."""
        if self._closed:  # a request outside the app's lifespan (after it ended)
            self._open()
        self.admit()
        posted, skipped = [], list(skipped)
        for k, item in enumerate(items):
            try:
                article_from_dict(item)  # the types checked now; cleaned by the placer
            except InputError as exc:
                skipped.append({"index": k, "error": exc.code, "message": exc.message})
            else:
                posted.append((k, item))
        job_id = uuid.uuid4().hex
        with self._post_lock:
            job = self._posts.add_job(job_id, [], skipped, posted=posted)
        if posted:
            self._placer.wake()
        return job

    def admit(self) -> None:
        """BacklogError when the articles waiting would take the placer longer than ``serve.placing_within`` seconds
        at its recent rate: the post is refused, to be sent again after the excess (at most ``placing_within``: the
        rate is an estimate), so that an accepted article is placed in time, rather than every article late."""
        within = self.settings.serve.placing_within
        if not within:
            return
        # before the placer's first measured run: one run's worth of articles per `within`
        rate = self.store.placing_rate() or RUN_ARTICLES / within
        waiting = self.store.waiting()
        planned = within * ADMIT_SHARE
        if waiting / rate > planned:
            behind = waiting / rate
            raise BacklogError(f"the server is placing {waiting} articles posted earlier (about {behind:.0f} s of work, "
                               f"more than serve.placing_within = {within:g} s allows); send this again later",
                               retry_after=max(1, min(math.ceil(behind - planned), math.ceil(within))))

    def job(self, job_id: str) -> dict | None:
        return self.store.get_job(job_id)

    def wait(self, job_id: str, seconds: float) -> dict | None:
        """The job once it is placed (or failed), or as it stands after ``seconds``."""
        deadline = time.monotonic() + seconds
        while (job := self.job(job_id)) is not None and job["status"] in ("queued", "placing"):
            if time.monotonic() >= deadline:
                break
            time.sleep(WAIT_POLL)
        return job

    def add(self, items: Sequence[dict], *, timeout: float = 120.0) -> dict:
        """Submit and wait for the placements: the job, with each resulting article's id and story."""
        return self.wait(self.submit(items)["job"], timeout)

    def correct(self, action: str, stories: Sequence[str], articles: Sequence[str]) -> str:
        """A person's correction (``pipeline.correct``); the story it made or grew (the placer rebuilds its stories
        from the store, pins included, before its next run)."""
        if self._closed:
            self._open()
        with self._write_lock, self._writer.writing():
            return correct(self._writer, action, stories=stories, articles=articles, settings=self.settings)

    def following_note(self) -> str:
        """Who fetches the sources followed, in words: the server's placer every ``serve.watch_every``, or (0)
        ``samestory watch``."""
        every = self.settings.serve.watch_every
        if not every:
            return "'samestory watch' on this store fetches the sources followed (this server does not: serve.watch_every = 0)"
        for unit, seconds in (("hour", 3600), ("minute", 60), ("second", 1)):
            if every >= seconds and every % seconds == 0:
                n = int(every // seconds)
                return f"the server fetches each source followed every {n} {unit}{'s' if n != 1 else ''} and places what is new in stories"
        return f"the server fetches each source followed every {every:g} seconds and places what is new in stories"

    def follow(self, url: str) -> dict:
        """Add a feed or news sitemap to the sources followed (by the server's placer, every ``serve.watch_every``,
        and by ``samestory watch`` on this store); its record."""
        if self._closed:
            self._open()
        with self._write_lock:
            self._writer.add_sources([url])
        return source_to_dict(self._writer.get_source(url))

    def sources(self) -> list[dict]:
        """The sources followed, with their health."""
        return [source_to_dict(s) for s in self.store.sources()]

    def delete(self, article_id: str) -> bool:
        """Delete a stored article and re-form its story without it; False when no such article is stored."""
        if self._closed:
            self._open()
        with self._write_lock, self._writer.writing():
            deleted, _ = delete(self._writer, [article_id], settings=self.settings)
        return bool(deleted)

    def start(self) -> None:
        """Start the placer process, whose first run places what an earlier server stored and did not place (one
        stopped between a post and its placing). After ``close`` it opens the store again."""
        if self._closed:
            self._open()
        self._placer.start()

    def health(self) -> dict:
        """Counts, and the placer's state: articles waiting to be placed, its recent rate (articles/s), and whether it
        is starting (loading its models and stories), ready, or stopped."""
        rate, pid = self.store.placing_rate(), self._placer.pid
        return {"status": "ok", "articles": self.store.count_articles(), "stories": self.store.count_stories(),
                "waiting": self.store.waiting(), "placing_rate": None if rate is None else round(rate, 2),
                "placer": "stopped" if pid is None else "ready" if self.store.placer_ready() == pid else "starting"}

    def close(self) -> None:
        self._placer.stop()
        with self._write_lock, self._post_lock:
            self._writer.close()
            self._posts.close()
            self._closed = True

