"""samestory: which news articles tell the same story, and how do they differ.

The flow: ``read`` sources -> raw documents -> articles -> ``ingest`` into a store.
Everything public is re-exported here; ``__all__`` is the whole API.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

from .articles import article_from_dict, article_to_dict, make_article, parse_datetime, source_from_url  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    InputError,
    MissingExtraError,
    ModelError,
    ReadError,
    SamestoryError,
    StoreError,
)
from .pipeline import ingest, read_articles  # noqa: E402
from .read import ReadReport, read  # noqa: E402
from .records import Article, IngestResult, RawDocument, ReadProblem, StoreStats, content_hash  # noqa: E402
from .settings import IngestSettings, ReadSettings, Settings, StoreSettings, load_settings  # noqa: E402
from .store import SQLiteStore, open_store  # noqa: E402

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "__version__",
    # records
    "Article",
    "RawDocument",
    "ReadProblem",
    "IngestResult",
    "StoreStats",
    "content_hash",
    # the JSON form
    "article_from_dict",
    "article_to_dict",
    "make_article",
    "parse_datetime",
    "source_from_url",
    # stages and jobs
    "read",
    "ReadReport",
    "read_articles",
    "ingest",
    # store
    "SQLiteStore",
    "open_store",
    # settings
    "Settings",
    "StoreSettings",
    "ReadSettings",
    "IngestSettings",
    "load_settings",
    # errors
    "SamestoryError",
    "InputError",
    "ReadError",
    "ConfigError",
    "MissingExtraError",
    "StoreError",
    "ModelError",
]
