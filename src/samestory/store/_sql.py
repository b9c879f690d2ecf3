"""What the store modules share: the article columns and the time stamp of a write."""

from __future__ import annotations

from datetime import datetime, timezone

ARTICLE_COLUMNS = "id, content_hash, url, source, title, text, html, language, published, meta"


def now() -> str:
    """The time of a write, UTC, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
