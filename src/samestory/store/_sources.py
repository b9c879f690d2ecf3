"""The store's source table: the feeds and pages ``samestory watch`` follows, and what each one's fetches gave.

A source's row keeps its HTTP validators (ETag, Last-Modified: the next fetch asks for the feed only if it
changed), when it was last fetched and last fetched well, its status and last message, how many fetches in a row
failed, when it is due again (later and later while it fails), and how many items it brought in. So a restarted
``watch`` goes on where the stopped one was, and ``samestory sources`` shows each source's health.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from ..records import Source
from ._sql import now as _now

__all__ = ["SourceTables"]

_COLUMNS = "url, added, etag, last_modified, last_fetch, last_ok, status, message, failures, next_fetch, items"


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _stamp(at: datetime) -> str:
    """UTC to the second: stamps compare as strings in SQL."""
    return at.astimezone(timezone.utc).isoformat(timespec="seconds")


def _source(row) -> Source:
    return Source(url=row[0], added=_time(row[1]), etag=row[2], last_modified=row[3], last_fetch=_time(row[4]),
                  last_ok=_time(row[5]), status=row[6], message=row[7], failures=int(row[8]), next_fetch=_time(row[9]),
                  items=int(row[10]))


class SourceTables:
    """Mixed into SQLiteStore (which provides ``_db`` and ``transaction``)."""

    def add_sources(self, urls: Sequence[str]) -> list[str]:
        """Follow these URLs (due at once); the ones not followed before."""
        added = []
        with self.transaction():
            for url in dict.fromkeys(urls):
                cur = self._db.execute("INSERT OR IGNORE INTO sources (url, added, status) VALUES (?, ?, 'new')", (url, _now()))
                if cur.rowcount:
                    added.append(url)
        return added

    def remove_sources(self, urls: Sequence[str]) -> list[str]:
        """Stop following these URLs (their articles stay); the ones that were followed."""
        removed = []
        with self.transaction():
            for url in dict.fromkeys(urls):
                if self._db.execute("DELETE FROM sources WHERE url=?", (url,)).rowcount:
                    removed.append(url)
        return removed

    def sources(self) -> list[Source]:
        """Every followed source, in the order they were added."""
        return [_source(r) for r in self._db.execute(f"SELECT {_COLUMNS} FROM sources ORDER BY added, url")]

    def get_source(self, url: str) -> Source | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM sources WHERE url=?", (url,)).fetchone()
        return None if row is None else _source(row)

    def due_sources(self, now: datetime) -> list[Source]:
        """The sources due for a fetch at ``now`` (never fetched, or their next fetch has come), soonest first."""
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM sources WHERE next_fetch IS NULL OR next_fetch <= ? "
                                "ORDER BY next_fetch IS NOT NULL, next_fetch, added, url", (_stamp(now),))
        return [_source(r) for r in rows]

    def record_fetch(self, url: str, *, at: datetime, next_fetch: datetime, status: str, message: str | None = None,
                     etag: str | None = None, last_modified: str | None = None, items: int = 0) -> None:
        """What a fetch of ``url`` gave: ``status`` "ok" or "unchanged" (validators kept for the next fetch, failures
        reset) or "failing" (one more failure; the validators stay as they were)."""
        with self.transaction():
            if status == "failing":
                self._db.execute("UPDATE sources SET last_fetch=?, status=?, message=?, failures=failures+1, next_fetch=? "
                                 "WHERE url=?", (_stamp(at), status, message, _stamp(next_fetch), url))
            else:
                self._db.execute(
                    "UPDATE sources SET last_fetch=?, last_ok=?, status=?, message=?, failures=0, next_fetch=?, "
                    "etag=COALESCE(?, etag), last_modified=COALESCE(?, last_modified), items=items+? WHERE url=?",
                    (_stamp(at), _stamp(at), status, message, _stamp(next_fetch), etag, last_modified, items, url))
