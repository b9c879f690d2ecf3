"""The embedded SQLite store: WAL mode, versioned schema, idempotent ingest."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from ..articles import parse_datetime
from ..errors import StoreError
from ..records import Analysis, Article, IngestResult, StoreStats
from ._schema import APP_ID, MIGRATIONS, SCHEMA_VERSION
from ._sql import ARTICLE_COLUMNS as _COLUMNS
from ._sql import now as _now
from ._jobs import JobTables
from ._sources import SourceTables
from ._stories import StoryTables

__all__ = ["SQLiteStore"]



class SQLiteStore(StoryTables, JobTables, SourceTables):
    """Articles, their analyses, and stories in one SQLite file.

    Opening a file checks that it is a samestory store (or empty, or absent) and
    migrates an older schema; a file that is something else is left untouched.
    Use as a context manager, or call :meth:`close`.
    """

    LOCK_WAIT = 120.0  # seconds a second writer waits for the first before it gives up with a message
    OPEN_WAIT = 30.0  # seconds an opening waits for another process opening the same new store

    def __init__(self, path: str | Path, *, keep_html: bool = False) -> None:
        self.path = str(path)
        self.keep_html = keep_html
        self._lock_depth = 0
        self._check_file()
        try:
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store '{self.path}': {exc}", code="SS301") from None
        self._db.row_factory = sqlite3.Row
        try:
            version = self._check_identity()  # read-only: a foreign file stays byte-for-byte as it was
            self._wal()
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate(version)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if "not a database" in str(exc):
                raise StoreError(f"'{self.path}' is not a samestory database (not SQLite); left untouched. Pass another --db",
                                 code="SS302") from None
            raise StoreError(f"'{self.path}' is not a usable samestory store: {exc}", code="SS302") from None
        except StoreError:
            self._db.close()
            raise

    # -- one writer at a time ---------------------------------------------------
    @contextmanager
    def writing(self, wait: float | None = None) -> Iterator[None]:
        """Hold the store's writer lock (``PATH.lock``, an OS file lock: released when the process dies) for a run
        of writes that must not interleave with another process's: placing articles in stories, repairing them.
        A second writer waits up to ``wait`` seconds (``LOCK_WAIT``), then fails with a message naming the first.
        Re-entrant within one store object."""
        if self.path == ":memory:" or self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        import fcntl

        try:
            fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the writer lock '{self.path}.lock': {exc.strerror}", code="SS301") from None
        deadline = time.monotonic() + (self.LOCK_WAIT if wait is None else wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
                    os.close(fd)
                    raise StoreError(f"another samestory process is writing to '{self.path}' ({holder}); wait for it to "
                                     "finish, or write to another store", code="SS305") from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        self._lock_depth = 1
        try:
            yield
        finally:
            self._lock_depth = 0
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # -- opening -------------------------------------------------------------
    def _check_file(self) -> None:
        if self.path == ":memory:":
            return
        p = Path(self.path)
        if p.is_dir():
            raise StoreError(f"store path '{p}' is a folder; give a file name such as samestory.db", code="SS301")
        # the file's first bytes are not read here: closing a file descriptor of an open SQLite database drops
        # every lock this process holds on it (POSIX), and another process (the server's placer) would then
        # write under this process's readers; SQLite's own answer on the first read tells a foreign file

    def _check_identity(self) -> int:
        """The schema version of a samestory store (0 for a new file); StoreError for anything else."""
        self._db.execute("BEGIN")  # one snapshot: another process may be creating this store's tables right now
        try:
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            self._db.execute("COMMIT")
        if version == 0 and tables:
            raise StoreError(
                f"'{self.path}' is an SQLite database of another program (tables: {', '.join(sorted(tables)[:5])}); "
                "left untouched. Pass another --db",
                code="SS302",
            )
        if version > 0:
            app = self._db.execute("SELECT value FROM samestory_meta WHERE key='app'").fetchone()
            if app is None or app[0] != APP_ID:
                raise StoreError(f"'{self.path}' is not a samestory database; left untouched", code="SS302")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"'{self.path}' has schema version {version}, newer than this samestory ({SCHEMA_VERSION}); "
                "upgrade samestory",
                code="SS303",
            )
        return version

    def _wal(self) -> None:
        """Switch to WAL. SQLite answers "locked" at once, without the busy timeout, while another connection opens
        the same new store; try again for up to OPEN_WAIT seconds."""
        deadline = time.monotonic() + self.OPEN_WAIT
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self, version: int) -> None:
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            # read again under the write lock: two processes opening a new store at once both saw the old version;
            # the second one finds the first one's migrations done
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
            if version >= SCHEMA_VERSION:
                return
            for script in MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
            self._db.execute(
                "INSERT OR REPLACE INTO samestory_meta (key, value) VALUES ('app', ?), ('schema_version', ?)",
                (APP_ID, str(SCHEMA_VERSION)),
            )
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- transactions --------------------------------------------------------
    def transaction(self) -> _Transaction:
        """``with store.transaction():`` groups writes; rolled back on error."""
        return _Transaction(self._db)

    # -- articles ------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> IngestResult:
        """Add a batch in one transaction.

        Same id and same content: no-op. Same id, new content: an update (version + 1).
        """
        added = updated = unchanged = 0
        ids: list[str] = []
        changed: list[str] = []
        now = _now()
        with self.transaction():
            for art in articles:
                digest = art.content_hash
                row = self._db.execute("SELECT content_hash FROM articles WHERE id=?", (art.id,)).fetchone()
                values = (
                    art.id,
                    digest,
                    art.url,
                    art.source,
                    art.title,
                    art.text,
                    art.html if self.keep_html else None,
                    art.language,
                    art.published.isoformat() if art.published else None,
                    json.dumps(art.meta, ensure_ascii=False, default=str),
                )
                if row is None:
                    self._db.execute(
                        f"INSERT INTO articles ({_COLUMNS}, ingested_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, now, now),
                    )
                    added += 1
                    changed.append(art.id)
                elif row["content_hash"] == digest:
                    unchanged += 1
                else:
                    self._db.execute(
                        "UPDATE articles SET content_hash=?, url=?, source=?, title=?, text=?, html=?, language=?, "
                        "published=?, meta=?, version=version+1, updated_at=? WHERE id=?",
                        (*values[1:], now, art.id),
                    )
                    updated += 1
                    changed.append(art.id)
                ids.append(art.id)
        return IngestResult(added, updated, unchanged, tuple(ids), tuple(changed))

    @staticmethod
    def _article(row: sqlite3.Row) -> Article:
        return Article(
            id=row["id"],
            text=row["text"],
            title=row["title"],
            url=row["url"],
            source=row["source"],
            language=row["language"],
            published=parse_datetime(row["published"]),
            html=row["html"],
            meta=json.loads(row["meta"]),
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM articles WHERE id=?", (article_id,)).fetchone()
        return None if row is None else self._article(row)

    def iter_articles(self) -> Iterator[Article]:
        """All articles, oldest first (undated last), streamed."""
        cursor = self._db.execute(
            f"SELECT {_COLUMNS} FROM articles ORDER BY published IS NULL, published, id"
        )
        for row in cursor:
            yield self._article(row)

    def delete_articles(self, ids: Iterable[str]) -> tuple[list[str], set[str]]:
        """Delete articles (their text, analysis and placement) in one transaction; their stories are marked for
        their records to be rebuilt and to be repaired (``pending_stories``, ``repair_due``), so that the next
        placing run (``pipeline.delete`` starts one) re-forms them without the article, and a run killed between
        the two still does. Returns the ids deleted (those stored) and their stories."""
        deleted, touched = [], set()
        with self.transaction():
            for article_id in dict.fromkeys(ids):
                if self._db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is None:
                    continue
                row = self._db.execute("SELECT story_id FROM placements WHERE article_id=?", (article_id,)).fetchone()
                if row is not None:
                    touched.add(row[0])
                for table, column in (("articles", "id"), ("analyses", "article_id"), ("placements", "article_id"),
                                      ("pins", "article_id")):
                    self._db.execute(f"DELETE FROM {table} WHERE {column}=?", (article_id,))
                deleted.append(article_id)
            if touched:
                for key in ("pending_stories", "repair_due"):
                    row = self._db.execute("SELECT value FROM samestory_meta WHERE key=?", (key,)).fetchone()
                    both = sorted(touched | set(json.loads(row[0]) if row else ()))
                    self._db.execute("INSERT OR REPLACE INTO samestory_meta (key, value) VALUES (?, ?)", (key, json.dumps(both)))
                self._db.execute("INSERT INTO samestory_meta (key, value) VALUES ('stories_version', '1') ON CONFLICT(key) DO "
                                 "UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)")
        return deleted, touched

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def stats(self, *, top: int = 10) -> StoreStats:
        """Counts, the ``top`` sources and languages, and the publication date range."""
        one = self._db.execute(
            "SELECT COUNT(*), COUNT(published), COUNT(title), MIN(published), MAX(published) FROM articles"
        ).fetchone()

        def top_of(column: str) -> tuple[tuple[str, int], ...]:
            rows = self._db.execute(
                f"SELECT COALESCE({column}, '(unknown)'), COUNT(*) AS n FROM articles "
                f"GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?",
                (top,),
            )
            return tuple((r[0], int(r[1])) for r in rows)

        return StoreStats(
            articles=int(one[0]),
            dated=int(one[1]),
            titled=int(one[2]),
            first_published=parse_datetime(one[3]),
            last_published=parse_datetime(one[4]),
            sources=top_of("source"),
            languages=top_of("language"),
        )

    # -- analyses --------------------------------------------------------------
    def get_analyses(self, articles: Iterable[Article], models: dict[str, str] | None = None,
                     remade: set[str] | None = None) -> dict[str, Analysis]:
        """Cached analyses of these articles, where the content and every model name given still match; ``remade``
        gets the ids of those whose event signature was cached by another version and made again on reading."""
        from ..analysis.serial import analysis_from_bytes

        wanted = {a.id: a.content_hash for a in articles}
        found: dict[str, Analysis] = {}
        ids = list(wanted)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = self._db.execute(
                f"SELECT article_id, content_hash, models, data FROM analyses WHERE article_id IN ({','.join('?' * len(part))})",
                part,
            )
            for row in rows:
                if row["content_hash"] != wanted[row["article_id"]]:
                    continue
                stored = json.loads(row["models"])
                if models is not None and any(stored.get(k) != v for k, v in models.items()):
                    continue
                found[row["article_id"]] = analysis_from_bytes(row["data"], remade.add if remade is not None else None)
        return found

    def put_analyses(self, analyses: Iterable[Analysis]) -> int:
        """Cache analyses (one transaction); returns how many were written."""
        from ..analysis.serial import analysis_to_bytes

        now = _now()
        n = 0
        with self.transaction():
            for an in analyses:
                self._db.execute(
                    "INSERT OR REPLACE INTO analyses (article_id, content_hash, models, data, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (an.id, an.article.content_hash, json.dumps(an.models, sort_keys=True), analysis_to_bytes(an), now),
                )
                n += 1
        return n

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
