"""Stores: where articles (and later analyses and stories) persist. SQLite is the default."""

from __future__ import annotations

from ..settings import Settings, load_settings
from .sqlite import SQLiteStore

__all__ = ["SQLiteStore", "open_store"]


def open_store(path: str | None = None, *, settings: Settings | None = None) -> SQLiteStore:
    """Open (creating or migrating) the store at ``path``, else at ``store.path`` in settings."""
    settings = settings or load_settings()
    return SQLiteStore(path or settings.store.path, keep_html=settings.store.keep_html)
