"""The jobs that chain the stages: read -> clean -> store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from .cleaning import clean_all
from .readers import ReadReport, read
from .records import Article, IngestResult
from .settings import Settings, load_settings
from .store import SQLiteStore

__all__ = ["read_articles", "ingest"]


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def read_articles(
    sources: str | Path | Iterable[str | Path],
    *,
    settings: Settings | None = None,
    report: ReadReport | None = None,
    clean: bool = True,
) -> Iterator[Article]:
    """Articles from sources: cleaned and split into stories (``clean=False``: as read)."""
    settings = settings or load_settings()
    report = report if report is not None else ReadReport()
    docs = read(sources, settings=settings, report=report)
    if clean:
        yield from clean_all(docs, settings=settings, report=report)
    else:
        for doc in docs:
            yield doc.article


def ingest(
    sources: str | Path | Iterable[str | Path],
    store: SQLiteStore,
    *,
    settings: Settings | None = None,
    report: ReadReport | None = None,
    progress: Callable[[int], None] | None = None,
) -> IngestResult:
    """Read sources into the store, one transaction per batch; re-ingesting is a no-op."""
    settings = settings or load_settings()
    total = IngestResult()
    for batch in batched(read_articles(sources, settings=settings, report=report), settings.ingest.batch_size):
        total = total + store.add_articles(batch)
        if progress is not None:
            progress(len(batch))
    return total
