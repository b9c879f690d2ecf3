"""What the API and the pages do, over the library: one writer at a time, readers in parallel.

SQLite in WAL mode lets readers run beside one writer; each server thread reads through its own
connection. A post is cleaned and its articles stored at once (one short transaction on the posts'
own connection), and answered with a job; one background thread, the placer, places whatever is
stored and not placed yet, a batch at a time, through the writer's connection and its in-memory
story clusterer, and records each job's placements. So a post never waits for the placing, readers
never wait for either, and the store stays consistent under concurrent posts.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

import numpy as np

from ..articles import article_from_dict, article_to_dict
from ..cleaning import clean
from ..clustering import coverage, story_to_dict
from ..errors import InputError, SamestoryError
from ..pipeline import correct, delete, story_clusterer, stored_analyses, update_stories
from ..records import Article, PairScore
from ..scoring import compare
from ..settings import Settings, load_settings
from ..store import SQLiteStore

__all__ = ["Service", "pair_to_dict", "read_urls", "MAX_JOBS", "MAX_URLS"]

log = logging.getLogger(__name__)
MAX_JOBS = 10_000  # jobs remembered for GET /jobs/{id}; older ones are forgotten (their articles stay placed)
LOCK_WAIT_CLOSE = 60.0  # seconds a stopping server waits for the placer's run to end


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


def pair_to_dict(score: PairScore) -> dict[str, Any]:
    """The PairScore as JSON-ready data (tuples become lists, dates ISO strings)."""
    return json.loads(json.dumps(asdict(score), default=str))


class Service:
    def __init__(self, db: str, *, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.db = db
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._post_lock = threading.Lock()
        self._open()
        self._coverage = lru_cache(maxsize=512)(self._coverage_of)
        self._story_vectors: tuple | None = None  # (stories version, ids, unit mean vectors) for searches
        self._jobs: OrderedDict[str, dict] = OrderedDict()
        self._queued: list[str] = []
        self._wake = threading.Condition()
        self._placer: threading.Thread | None = None
        self._stop = False

    def _open(self) -> None:
        self._writer = SQLiteStore(self.db, keep_html=self.settings.store.keep_html)  # creates / migrates the store
        self._posts = SQLiteStore(self.db, keep_html=self.settings.store.keep_html)  # posts store their articles here
        self._clusterer = None
        self._stories_version: int | None = None  # the store's stories version after this writer's last save
        self._closed = False

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
        """A page of stories, newest first; with ``q``, the stories whose title or text holds it first, then those
        whose articles mean it in any language (the query's multilingual vector against each story's mean vector)."""
        if not q:
            total, items = self.store.list_stories(limit=size, offset=(page - 1) * size, entity=entity, source=source,
                                                   since=since, until=until)
            return {"total": total, "page": page, "size": size, "stories": [story_to_dict(s) for s in items]}
        _, literal = self.store.list_stories(limit=SEARCH_MAX, offset=0, text=q, entity=entity, source=source, since=since,
                                             until=until)
        ranked = [s.id for s in literal]
        if len(ranked) < SEARCH_MAX:
            allowed = None
            if entity or source or since or until:  # the meaning matches obey the filters too
                _, kept = self.store.list_stories(limit=100_000, offset=0, entity=entity, source=source, since=since, until=until)
                allowed = {s.id for s in kept}
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
        """Clean and store articles, and queue them for the placer: the job (``job``), at once. An item that cannot
        be used (nothing left after cleaning, a field of the wrong type) is reported in the job's ``skipped`` with
        its index and reason, after those given (what could not be read before), and the others go on."""
        if self._closed:  # a request outside the app's lifespan (after it ended)
            self._open()
        articles, skipped = [], list(skipped)
        for k, item in enumerate(items):
            try:
                articles.extend(clean(article_from_dict(item), settings=self.settings))
            except InputError as exc:
                skipped.append({"index": k, "error": exc.code, "message": exc.message})
        if articles:
            with self._post_lock:
                self._posts.add_articles(articles)
        job = {"job": uuid.uuid4().hex, "status": "queued" if articles else "done", "submitted": _now(), "placed_at": None,
               "error": None, "articles": [{"id": a.id, "story": None, "new_story": None} for a in articles],
               "skipped": skipped}
        with self._wake:
            self._jobs[job["job"]] = job
            while len(self._jobs) > MAX_JOBS:
                self._jobs.popitem(last=False)
            if articles:
                self._queued.append(job["job"])
                self._wake.notify()
        if articles:
            self._start_placer()
        return self.job(job["job"])

    def job(self, job_id: str) -> dict | None:
        with self._wake:
            job = self._jobs.get(job_id)
            return None if job is None else json.loads(json.dumps(job))

    def wait(self, job_id: str, seconds: float) -> dict | None:
        """The job once it is placed (or failed), or as it stands after ``seconds``."""
        deadline = time.monotonic() + seconds
        with self._wake:
            while (job := self._jobs.get(job_id)) is not None and job["status"] in ("queued", "placing"):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._wake.wait(left)
        return self.job(job_id)

    def add(self, items: Sequence[dict], *, timeout: float = 120.0) -> dict:
        """Submit and wait for the placements: the job, with each resulting article's id and story."""
        return self.wait(self.submit(items)["job"], timeout)

    def correct(self, action: str, stories: Sequence[str], articles: Sequence[str]) -> str:
        """A person's correction (``pipeline.correct``); the story it made or grew."""
        if self._closed:
            self._open()
        with self._write_lock, self._writer.writing():
            made = correct(self._writer, action, stories=stories, articles=articles, settings=self.settings)
            self._clusterer = None  # the placer's stories are built from the store again, with the new pins
        return made

    def delete(self, article_id: str) -> bool:
        """Delete a stored article and re-form its story without it; False when no such article is stored."""
        if self._closed:
            self._open()
        with self._write_lock, self._writer.writing():
            deleted, _ = delete(self._writer, [article_id], settings=self.settings)
            self._clusterer = None  # the placer's stories are built from the store again
        return bool(deleted)

    def _start_placer(self) -> None:
        with self._wake:
            if self._placer is None or not self._placer.is_alive():
                self._stop = False
                self._placer = threading.Thread(target=self._place_loop, name="samestory-placer", daemon=True)
                self._placer.start()

    def _place_loop(self) -> None:
        """The placer: whenever jobs are queued, place every stored article not placed yet (those of all the jobs
        queued meanwhile in one run, a batch at a time), then fill in the jobs."""
        while True:
            with self._wake:
                while not self._queued and not self._stop:
                    self._wake.wait()
                if self._stop:
                    return
                taken, self._queued = self._queued, []
                for j in taken:
                    if j in self._jobs:
                        self._jobs[j]["status"] = "placing"
            error = None
            try:
                with self._write_lock, self._writer.writing():
                    update_stories(self._writer, settings=self.settings, clusterer=self._writer_clusterer())
                    self._stories_version = self._writer.stories_version()
                    placed = {a["id"]: self._writer.story_of(a["id"]) for j in taken if j in self._jobs
                              for a in self._jobs[j]["articles"]}
            except SamestoryError as exc:
                error, placed = exc.message, {}
            except Exception as exc:  # the placer must outlive one bad run: the articles stay stored for the next
                log.exception("placing failed")
                error, placed = f"internal error: {type(exc).__name__}", {}
                self._clusterer = None  # rebuilt from the store next time
            with self._wake:
                for j in taken:
                    job = self._jobs.get(j)
                    if job is None:
                        continue
                    for a in job["articles"]:
                        where = placed.get(a["id"])
                        a["story"], a["new_story"] = (where[0], bool(where[1])) if where else (None, None)
                    job["status"], job["error"], job["placed_at"] = ("failed", error, None) if error else ("done", None, _now())
                self._wake.notify_all()

    def start(self) -> None:
        """Start the placer, with a first run that places what an earlier server stored and did not place (one
        stopped between a post and its placing). After ``close`` it opens the store again."""
        if self._closed:
            self._open()
        with self._wake:
            self._queued.append("")  # a run for no job
            self._wake.notify()
        self._start_placer()

    def _writer_clusterer(self):
        """The writer's clusterer, built from the store on first use and again when another process (an ingest,
        a repair) has changed the stories since this writer's last save (call under the write lock)."""
        version = self._writer.stories_version()
        if self._clusterer is None or version != self._stories_version:
            self._clusterer = story_clusterer(self._writer, self.settings)
            self._stories_version = version
        return self._clusterer

    def health(self) -> dict:
        return {"status": "ok", "articles": self.store.count_articles(), "stories": self.store.count_stories()}

    def close(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify_all()
        if self._placer is not None:
            self._placer.join(timeout=LOCK_WAIT_CLOSE)
            self._placer = None
        with self._write_lock, self._post_lock:
            self._writer.close()
            self._posts.close()
            self._closed = True


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
