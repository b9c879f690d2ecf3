"""Stores: where articles (and later analyses and stories) persist. SQLite is the default."""

from __future__ import annotations

from pathlib import Path

from ..errors import StoreError
from ..settings import Settings, load_settings
from .sqlite import SQLiteStore

__all__ = ["SQLiteStore", "open_store"]


def open_store(path: str | None = None, *, settings: Settings | None = None, create: bool = True) -> SQLiteStore:
    """Open (creating or migrating) the store at ``path``, else at ``store.path`` in settings; ``create=False``
    (commands that only read it): a missing store is an error instead of a new empty one."""
    settings = settings or load_settings()
    where = path or settings.store.path
    if not create and where != ":memory:" and not Path(where).exists():
        raise StoreError(f"no store at '{where}'; give an existing one with --db, or create it with 'samestory ingest'",
                         code="SS304")
    return SQLiteStore(where, keep_html=settings.store.keep_html)
