"""The jobs that chain the stages: read -> clean -> store -> analyse -> stories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from .analysis import analyse_cached
from .cleaning import clean_all
from .clustering.incremental import RepairReport, StoryClusterer, StretchRepair
from .clustering.search import VECTORS, search_vector
from .clustering.stories import story_id
from .errors import InputError
from .readers import Page, ReadReport, documents, read_units
from .records import Analysis, Article, IngestResult, RawDocument
from .settings import Settings, load_settings
from .store import SQLiteStore
from .workers import map_in_workers, processes

__all__ = ["read_articles", "ingest", "update_stories", "repair_due_stories", "repair_all", "delete", "correct", "story_clusterer", "stored_analyses", "StoryUpdate"]


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


#: documents and pages handed to a worker process at once; a read uses the workers from its third batch on
READ_BATCH = 16


def read_articles(
    sources: str | Path | Iterable[str | Path],
    *,
    settings: Settings | None = None,
    report: ReadReport | None = None,
    clean: bool = True,
) -> Iterator[Article]:
    """Articles from sources, in order: cleaned and split into stories (``clean=False``: as read).

    A read of more than two batches of ``READ_BATCH`` documents has its pages extracted and everything cleaned in
    ``read.workers`` processes (``samestory.workers``); the articles and the report are the same as in one process,
    except that problems met in the workers are reported when their batch comes back."""
    settings = settings or load_settings()
    report = report if report is not None else ReadReport()
    units = read_units(sources, settings=settings, report=report)
    batches = iter(lambda: list(islice(units, READ_BATCH)), [])
    first = list(islice(batches, 3))
    workers = processes(settings.read.workers)
    if workers > 1 and len(first) > 2:
        jobs = ((batch, clean) for batch in chain(first, batches))
        for articles, part in map_in_workers(_read_batch, jobs, settings, workers, what="reading"):
            report.merge(part)
            yield from articles
        return
    docs = documents(chain.from_iterable(chain(first, batches)), settings, report)
    if clean:
        yield from clean_all(docs, settings=settings, report=report)
    else:
        for doc in docs:
            yield doc.article


def _read_batch(job: tuple[list[RawDocument | Page], bool], settings: Settings) -> tuple[list[Article], ReadReport]:
    """A worker's part of ``read_articles``: a batch's pages extracted, and all of it cleaned where asked."""
    units, clean = job
    report = ReadReport(echo=False)
    docs = documents(units, settings, report)
    articles = list(clean_all(docs, settings=settings, report=report)) if clean else [doc.article for doc in docs]
    return articles, report


def ingest(
    sources: str | Path | Iterable[str | Path],
    store: SQLiteStore,
    *,
    settings: Settings | None = None,
    report: ReadReport | None = None,
    progress: Callable[[int], None] | None = None,
    stories: bool = True,
) -> IngestResult:
    """Read sources into the store, one transaction per batch (re-ingesting is a no-op), then place the new articles
    in stories (``update_stories``) as ``samestory ingest`` does; ``stories=False`` stores them only (the
    command does so to report each step's progress)."""
    settings = settings or load_settings()
    total = IngestResult()
    for batch in batched(read_articles(sources, settings=settings, report=report), settings.ingest.batch_size):
        total = total + store.add_articles(batch)
        if progress is not None:
            progress(len(batch))
    if stories:
        update_stories(store, settings=settings)
    return total


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    """What ``update_stories`` did: articles placed, new stories opened, updates re-placed, repair."""

    placed: int = 0
    new_stories: int = 0
    updated: int = 0
    undated: int = 0
    merged: int = 0
    split: int = 0
    moved: int = 0
    stories: int = 0


def stored_analyses(store: SQLiteStore, ids: Sequence[str], *, settings: Settings | None = None) -> dict[str, Analysis]:
    """Analyses of stored articles, by id: from the store's cache, or made again (and cached) where the
    cache misses or was made with other models."""
    settings = settings or load_settings()
    found = [a for a in (store.get_article(i) for i in ids) if a is not None]
    return {an.id: an for an in analyse_cached(found, store, settings=settings)}


def story_clusterer(store: SQLiteStore, settings: Settings) -> StoryClusterer:
    """An incremental clusterer holding the store's placements (the state a restart continues from), with the
    stories an interrupted run left to rebuild marked as changed."""
    fetch = lambda ids: stored_analyses(store, ids, settings=settings)  # noqa: E731
    if store.vectors_kind() != VECTORS:  # a store made before search vectors: its placements hold document vectors
        with store.writing():
            if store.vectors_kind() != VECTORS:
                store.upgrade_vectors(VECTORS, lambda ids: {i: search_vector(an) for i, an in fetch(ids).items()})
    clusterer = StoryClusterer(settings=settings, fetch=fetch)
    clusterer.load(store.placements())
    clusterer.pins = store.pins()
    clusterer.dirty |= store.pending_stories()
    return clusterer


def update_stories(
    store: SQLiteStore,
    *,
    settings: Settings | None = None,
    progress: Callable[[int], None] | None = None,
    repair: bool = True,
    clusterer: StoryClusterer | None = None,
    limit: int | None = None,
    repair_later: bool = False,
) -> StoryUpdate:
    """Place every stored article that is not in a story yet (or changed since; at most ``limit`` of them, the first
    stored, when given: the server's placer places a bounded run at a time), oldest first, then repair the
    stories it touched (also each time ``cluster.repair_every`` articles have been placed since the last
    repair; with ``repair_later``, only then: the stories touched stay due for ``repair_due_stories``, as
    a killed run's do), then rebuild the records of the stories that changed. Each batch's placements
    are saved in one transaction with the list of stories whose records are due, so an interrupted run
    resumes (the next run, or ``repair_all``, rebuilds them); story records are built once per run, not per
    batch (a story that grows in every batch would be rebuilt every time).

    ``clusterer``: one already holding this store's placements (a long-running server keeps one);
    default: built from the store."""
    settings = settings or load_settings()
    with store.writing():
        clusterer = clusterer or story_clusterer(store, settings)
        try:
            return _update_stories(store, settings, progress, repair, clusterer, limit, repair_later)
        finally:
            clusterer.forget_analyses()  # once the lock is let go, another writer may change what it holds


def repair_due_stories(store: SQLiteStore, *, settings: Settings | None = None,
                       clusterer: StoryClusterer | None = None) -> RepairReport | None:
    """Repair the stories placed into and not repaired yet (``update_stories(repair_later=True)``, or a killed run),
    and rebuild the records of those that changed; the repair's report (None: nothing was due)."""
    settings = settings or load_settings()
    with store.writing():
        clusterer = clusterer or story_clusterer(store, settings)
        try:
            report = StretchRepair(clusterer, touched=store.repair_due()).flush()
            if report is not None or clusterer.dirty or clusterer.aliases:
                _save(store, clusterer, [], repair_due=())
            return report
        finally:
            clusterer.forget_analyses()


def _update_stories(store: SQLiteStore, settings: Settings, progress: Callable[[int], None] | None, repair: bool,
                    clusterer: StoryClusterer, limit: int | None = None, repair_later: bool = False) -> StoryUpdate:
    placed = new = updated = undated = 0
    # a long run repairs a stretch at a time; what a killed run left unrepaired is repaired now
    due = store.repair_due() if repair else set()
    stretch = StretchRepair(clusterer, every=settings.cluster.repair_every, touched=due)
    repairs: list[RepairReport | None] = []

    for batch in store.unplaced(batch=min(settings.ingest.batch_size, limit or settings.ingest.batch_size), limit=limit):
        analyses = analyse_cached(batch, store, settings=settings)
        placements = clusterer.partial_fit(analyses)
        by_id = {a.id: a for a in analyses}
        rows = [(p, by_id[p.article].article.content_hash, by_id[p.article].article.published, clusterer.placed_vector(p.article))
                for p in placements]
        store.save_clustering(rows, [], [], aliases=clusterer.aliases, pending=clusterer.dirty,
                              repair_due=stretch.touched | {p.story for p in placements} if repair else None)
        clusterer.aliases.clear()
        clusterer.release()
        placed += len(placements)
        new += sum(p.new_story for p in placements)
        updated += sum(bool(p.note and p.note.startswith("updated")) for p in placements)
        undated += sum(by_id[p.article].article.published is None for p in placements)
        if repair:
            repairs.append(stretch.placed(placements))  # what a repair holds stays bounded
        if progress is not None:
            progress(len(batch))
    repair_now = repair and not repair_later
    if repair_now:
        repairs.append(stretch.flush())
    if clusterer.dirty or clusterer.aliases or (repair_now and (due or placed)):
        _save(store, clusterer, [], repair_due=() if repair_now else None)  # repaired later: due as the batches saved it
    done = [r for r in repairs if r is not None]
    return StoryUpdate(placed, new, updated, undated, sum(len(r.merged) for r in done), sum(len(r.created) for r in done),
                       sum(r.moved for r in done), store.count_stories())


def _save(store: SQLiteStore, clusterer: StoryClusterer, rows: list, repair_due: tuple | None = None) -> None:
    dirty = sorted(clusterer.dirty)
    live = [s for s in dirty if s in clusterer.members]
    store.save_clustering(rows, clusterer.stories(live), [s for s in dirty if s not in clusterer.members], aliases=clusterer.aliases,
                          repair_due=repair_due)
    clusterer.dirty.clear()
    clusterer.aliases.clear()


def delete(store: SQLiteStore, ids: Iterable[str], *, settings: Settings | None = None) -> tuple[list[str], list[str]]:
    """Delete stored articles and re-form their stories without them (a story left empty goes; one that held
    together only through a deleted article is split by the repair). Returns (deleted, not stored)."""
    ids = list(dict.fromkeys(ids))
    with store.writing():
        deleted, _ = store.delete_articles(ids)
        if deleted:
            update_stories(store, settings=settings)
    gone = set(deleted)
    return deleted, [i for i in ids if i not in gone]


def correct(store: SQLiteStore, action: str, *, stories: Sequence[str] = (), articles: Sequence[str] = (),
            settings: Settings | None = None) -> str:
    """A person's correction of the stories, kept as pins that later placing and repair respect, and logged:

    - ``merge``: the ``stories`` become one (the first one's id; the others answer as aliases of it);
    - ``move``: the ``articles`` go into the one story of ``stories``;
    - ``split``: the ``articles`` leave their one story of ``stories`` for a new story of their own.

    Returns the id of the story the correction made or grew. Raises InputError for ids not stored or not placed."""
    settings = settings or load_settings()
    with store.writing():
        clusterer = story_clusterer(store, settings)
        live = [sid if sid in clusterer.members else _resolve(store, sid) for sid in stories]
        for sid, got in zip(stories, live):
            if got is None or got not in clusterer.members:
                raise InputError(f"no story '{sid}' in the store", code="SS122")
        for a in articles:
            if a not in clusterer.story_of:
                raise InputError(f"no placed article '{a}' in the store", code="SS122")
        pins: dict[str, str] = {}
        if action == "merge":
            if len(set(live)) < 2:
                raise InputError("merge needs two stories or more", code="SS109")
            target = live[0]
            together = sorted(a for sid in dict.fromkeys(live) for a in clusterer.members[sid])
            clusterer.move(together, target)
            pins = {a: _pin(together) for a in together}
        elif action in ("move", "split"):
            if len(live) != 1 or not articles:
                raise InputError(f"{action} needs one story and one article or more", code="SS109")
            story = live[0]
            if action == "split":
                outside = [a for a in articles if clusterer.story_of[a] != story]
                if outside:
                    raise InputError(f"article '{outside[0]}' is not in story '{stories[0]}'", code="SS109")
                rest = sorted(clusterer.members[story] - set(articles))
                if not rest:
                    raise InputError("split needs articles to leave and articles to stay", code="SS109")
                target = story_id(min(articles))
                while target in clusterer.members:
                    target = story_id(target)
                pins = {**{a: _pin(rest) for a in rest}, **{a: _pin(articles) for a in articles}}
            else:
                target = story
                left = {clusterer.story_of[a] for a in articles} - {story}
                stay = sorted(set(clusterer.members[story]) | set(articles))
                pins = {a: _pin(stay) for a in stay}
                for sid in left:  # what the moved articles left behind is another story than theirs now
                    behind = sorted(clusterer.members[sid] - set(articles))
                    pins.update({a: _pin(behind) for a in behind})
            clusterer.move(sorted(articles), target)
        else:
            raise InputError(f"unknown correction '{action}': merge, move or split", code="SS109")
        clusterer.pins.update(pins)
        detail = {"stories": list(stories), "articles": list(articles), "result": target}
        dirty = sorted(clusterer.dirty)
        store.save_clustering([], clusterer.stories([s for s in dirty if s in clusterer.members]),
                              [s for s in dirty if s not in clusterer.members], aliases=clusterer.aliases, pins=pins,
                              correction=(action, detail))
        clusterer.dirty.clear()
        clusterer.aliases.clear()
    return target


def _pin(articles: Sequence[str]) -> str:
    """One pin for a set of articles a person put together (the same set, the same pin)."""
    import hashlib

    return "p" + hashlib.sha1("\n".join(sorted(articles)).encode()).hexdigest()[:12]


def _resolve(store: SQLiteStore, sid: str) -> str | None:
    story = store.get_story(sid)  # a story merged away answers with the one it went into
    return story.id if story is not None else None


def repair_all(store: SQLiteStore, *, settings: Settings | None = None) -> tuple[int, int, int]:
    """Re-cluster every placed article with the batch rule (the stories become exactly the batch
    stories of the store's articles); returns (merged, split off, moved)."""
    settings = settings or load_settings()
    with store.writing():
        clusterer = story_clusterer(store, settings)
        report = clusterer.repair()
        _save(store, clusterer, [], repair_due=())
    return len(report.merged), len(report.created), report.moved
