"""The store's story tables: placements (article -> story, with the search vector the
incremental clusterer's index is rebuilt from) and story records (JSON, with indexed columns
for listing and filtering)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

import numpy as np

from ..records import Article, Story
from ._sql import ARTICLE_COLUMNS
from ._sql import now as _now

__all__ = ["StoryTables"]


class StoryTables:
    """Mixed into SQLiteStore (which provides ``_db``, ``transaction``, ``_article``, ``get_analyses``)."""

    def placements(self) -> Iterator[tuple[str, str, str, float | None, np.ndarray]]:
        """(article id, story id, content hash, timestamp or None, search vector) for every placed article."""
        for row in self._db.execute("SELECT article_id, story_id, content_hash, published, vector FROM placements ORDER BY rowid"):
            stamp = datetime.fromisoformat(row[3]).timestamp() if row[3] else None
            yield row[0], row[1], row[2], stamp, np.frombuffer(row[4], dtype=np.float16)

    def unplaced(self, *, batch: int = 500, limit: int | None = None) -> Iterator[list[Article]]:
        """Articles not placed in a story yet, or changed since, oldest first, in batches: all of them, or with
        ``limit`` the first ``limit`` stored (or changed), so that a bounded run (the server's placer) takes them
        in the order they came and none waits behind later ones with earlier dates. Only the ids are held while
        the batches are read, so a big store does not have to fit in memory."""
        unplaced = ("SELECT a.id, a.published FROM articles a LEFT JOIN placements p ON p.article_id = a.id "
                    "WHERE p.article_id IS NULL OR p.content_hash != a.content_hash")
        if limit is not None:
            unplaced += " ORDER BY a.updated_at, a.rowid LIMIT ?"
        ids = [r[0] for r in self._db.execute(f"SELECT id FROM ({unplaced}) ORDER BY published IS NULL, published, id",
                                              () if limit is None else (limit,))]
        for start in range(0, len(ids), batch):
            part = ids[start : start + batch]
            rows = self._db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(part))})", part)
            by_id = {row["id"]: self._article(row) for row in rows}
            yield [by_id[i] for i in part if i in by_id]

    def stories_version(self) -> int:
        """A number that every saved change of placements or story records raises (``save_clustering``), and nothing
        else: a writer holding stories in memory reloads them when it is not the number its own last save left
        (adding articles does not change it)."""
        row = self._db.execute("SELECT value FROM samestory_meta WHERE key='stories_version'").fetchone()
        return int(row[0]) if row else 0

    def pending_stories(self) -> set[str]:
        """Stories whose records are still to be rebuilt (placements saved, records not yet: an interrupted run)."""
        row = self._db.execute("SELECT value FROM samestory_meta WHERE key='pending_stories'").fetchone()
        return set(json.loads(row[0])) if row else set()

    def repair_due(self) -> set[str]:
        """Stories placed into but not repaired yet (a run killed before its repair): the next run repairs them."""
        row = self._db.execute("SELECT value FROM samestory_meta WHERE key='repair_due'").fetchone()
        return set(json.loads(row[0])) if row else set()

    def vectors_kind(self) -> str | None:
        """What the placements' vectors are (``VECTORS`` once ``upgrade_vectors`` has run; None: a store made before
        search vectors, holding document vectors)."""
        row = self._db.execute("SELECT value FROM samestory_meta WHERE key='placement_vectors'").fetchone()
        return row[0] if row else None

    def upgrade_vectors(self, kind: str, compute: Callable[[list[str]], dict[str, np.ndarray]], *, chunk: int = 2000) -> int:
        """Replace every placement's vector by ``compute(ids)`` (a chunk of ids at a time, each chunk in its own
        transaction), then record ``kind``: an interrupted upgrade is done again from the start. Returns the
        number of vectors written."""
        ids = [r[0] for r in self._db.execute("SELECT article_id FROM placements ORDER BY rowid")]
        for start in range(0, len(ids), chunk):
            got = compute(ids[start : start + chunk])
            with self.transaction():
                self._db.executemany("UPDATE placements SET vector=? WHERE article_id=?",
                                     [(np.asarray(v, dtype=np.float16).tobytes(), i) for i, v in got.items()])
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO samestory_meta (key, value) VALUES ('placement_vectors', ?)", (kind,))
        return len(ids)

    def pins(self) -> dict[str, str]:
        """A person's corrections as pins: article -> pin (see ``clustering.incremental.respect_pins``)."""
        return dict(self._db.execute("SELECT article_id, pin FROM pins").fetchall())

    def corrections(self) -> list[dict]:
        """The log of corrections, oldest first: when, what, and its details."""
        return [{"id": r[0], "at": r[1], "action": r[2], **json.loads(r[3])}
                for r in self._db.execute("SELECT id, at, action, detail FROM corrections ORDER BY id")]

    def save_clustering(self, placements: Iterable[tuple], stories: Iterable[Story], removed: Iterable[str], *,
                        aliases: dict[str, str] | None = None, pending: Iterable[str] = (),
                        repair_due: Iterable[str] | None = None, pins: dict[str, str] | None = None,
                        correction: tuple[str, dict] | None = None) -> None:
        """In one transaction: new placements (Placement, content hash, published, vector), story records
        (members' placements follow them), stories that no longer exist, where merged stories went, the
        stories whose records are left to rebuild (``pending``; empty: none), where given, the stories
        left to repair (``repair_due``; empty: none), and a person's correction: its pins and its log entry."""
        from ..clustering.stories import story_to_dict

        now = _now()
        pending = sorted(pending)
        with self.transaction():
            self._db.execute("INSERT INTO samestory_meta (key, value) VALUES ('stories_version', '1') ON CONFLICT(key) DO "
                             "UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)")
            if repair_due is not None:
                due = sorted(repair_due)
                if due:
                    self._db.execute("INSERT OR REPLACE INTO samestory_meta (key, value) VALUES ('repair_due', ?)", (json.dumps(due),))
                else:
                    self._db.execute("DELETE FROM samestory_meta WHERE key='repair_due'")
            if pending:
                self._db.execute("INSERT OR REPLACE INTO samestory_meta (key, value) VALUES ('pending_stories', ?)", (json.dumps(pending),))
            else:
                self._db.execute("DELETE FROM samestory_meta WHERE key='pending_stories'")
            for article, pin in (pins or {}).items():
                self._db.execute("INSERT OR REPLACE INTO pins (article_id, pin) VALUES (?, ?)", (article, pin))
            if correction is not None:
                self._db.execute("INSERT INTO corrections (at, action, detail) VALUES (?, ?, ?)",
                                 (now, correction[0], json.dumps(correction[1], ensure_ascii=False)))
            for old, new in (aliases or {}).items():
                self._db.execute("INSERT OR REPLACE INTO story_aliases (old_id, story_id) VALUES (?, ?)", (old, new))
            for pl, digest, published, vector in placements:
                self._db.execute(
                    "INSERT OR REPLACE INTO placements (article_id, story_id, content_hash, published, vector, new_story, note, placed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (pl.article, pl.story, digest, published.isoformat() if published else None,
                     np.asarray(vector, dtype=np.float16).tobytes(), int(pl.new_story), pl.note, now),
                )
            for sid in removed:
                self._db.execute("DELETE FROM stories WHERE id=?", (sid,))
            for s in stories:
                d = story_to_dict(s)
                self._db.execute(
                    "INSERT OR REPLACE INTO stories (id, title, size, first_seen, last_seen, sources, entities, data, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (s.id, s.title, len(s.articles), d["first_seen"], d["last_seen"], json.dumps(d["sources"], ensure_ascii=False),
                     json.dumps(d["entities"], ensure_ascii=False), json.dumps(d, ensure_ascii=False), now),
                )
                self._db.executemany("UPDATE placements SET story_id=? WHERE article_id=?", [(s.id, a) for a in s.articles])

    def get_story(self, story: str) -> Story | None:
        """A story by id; the id of a story that was merged into another gives that other story."""
        from ..clustering.stories import story_from_dict

        for _ in range(20):  # a story merged away answers with the story it went into
            row = self._db.execute("SELECT data FROM stories WHERE id=?", (story,)).fetchone()
            if row is not None:
                return story_from_dict(json.loads(row[0]))
            alias = self._db.execute("SELECT story_id FROM story_aliases WHERE old_id=?", (story,)).fetchone()
            if alias is None:
                return None
            story = alias[0]
        return None

    def story_vectors(self) -> tuple[list[str], np.ndarray]:
        """Each story's id and the unit mean of its articles' document vectors (for searching by meaning)."""
        from ..clustering.search import document_part

        # search vectors: their document part. In a store of document vectors (an upgrade not done, or interrupted),
        # the rows longer than the shortest are the search vectors written so far
        search = self.vectors_kind() is not None
        shortest = self._db.execute("SELECT MIN(length(vector)) FROM placements").fetchone()[0] or 0
        sums: dict[str, np.ndarray] = {}
        for story, blob in self._db.execute("SELECT story_id, vector FROM placements"):
            v = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
            if search or len(blob) > shortest:
                v = document_part(v[None, :])[0]
            if story in sums:
                sums[story] += v
            else:
                sums[story] = v.copy()
        ids = sorted(sums)
        if not ids:
            return [], np.zeros((0, 0), dtype=np.float32)
        m = np.vstack([sums[i] for i in ids])
        return ids, m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)

    def iter_stories(self) -> Iterator[dict]:
        """Every story record (the JSON form), newest first, streamed."""
        for (data,) in self._db.execute("SELECT data FROM stories ORDER BY last_seen IS NULL, last_seen DESC, id"):
            yield json.loads(data)

    def iter_assignments(self) -> Iterator[dict]:
        """Each placed article with its story: article, story, new_story, note, published, source, title."""
        rows = self._db.execute(
            "SELECT p.article_id, p.story_id, p.new_story, p.note, a.published, a.source, a.title FROM placements p "
            "JOIN articles a ON a.id = p.article_id ORDER BY p.story_id, a.published IS NULL, a.published, a.id")
        for r in rows:
            yield {"article": r[0], "story": r[1], "new_story": bool(r[2]), "note": r[3], "published": r[4], "source": r[5],
                   "title": r[6]}

    def story_of(self, article: str) -> tuple[str, bool, str | None] | None:
        """(story id, opened a new story, note) of a placed article."""
        row = self._db.execute("SELECT story_id, new_story, note FROM placements WHERE article_id=?", (article,)).fetchone()
        return None if row is None else (row[0], bool(row[1]), row[2])

    def list_stories(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        text: str | None = None,
        entity: str | None = None,
        source: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        language: str | None = None,
    ) -> tuple[int, list[Story]]:
        """(how many match, one page of them), newest first (undated last), biggest first on a tie. ``language``:
        stories with at least one article in that language (the code cleaning detected: ``en``, ``de``)."""
        from ..clustering.stories import story_from_dict

        cond, args = _story_filter(text=text, entity=entity, source=source, since=since, until=until, language=language)
        total = int(self._db.execute(f"SELECT COUNT(*) FROM stories {cond}", args).fetchone()[0])
        rows = self._db.execute(
            f"SELECT data FROM stories {cond} ORDER BY last_seen IS NULL, last_seen DESC, size DESC, id LIMIT ? OFFSET ?",
            [*args, limit, offset],
        )
        return total, [story_from_dict(json.loads(r[0])) for r in rows]

    def story_ids(self, *, entity: str | None = None, source: str | None = None, since: datetime | None = None,
                  until: datetime | None = None, language: str | None = None) -> set[str]:
        """The ids of the stories that pass the filters of ``list_stories`` (no records read)."""
        cond, args = _story_filter(entity=entity, source=source, since=since, until=until, language=language)
        return {r[0] for r in self._db.execute(f"SELECT id FROM stories {cond}", args)}

    def languages(self) -> list[tuple[str, int]]:
        """The languages of the placed articles with their counts, commonest first."""
        rows = self._db.execute("SELECT a.language, COUNT(*) AS n FROM placements p JOIN articles a ON a.id = p.article_id "
                                "WHERE a.language IS NOT NULL GROUP BY a.language ORDER BY n DESC, a.language")
        return [(r[0], int(r[1])) for r in rows]

    def count_stories(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def check(self) -> list[str]:
        """What is wrong with the store, in words (empty: it is whole): SQLite's integrity check, and for the
        stories: each placed article in exactly one story record, no story without placed articles, no
        placement pointing at a story with no record. Articles not placed yet are not a fault (the next run
        places them)."""
        problems = [row[0] for row in self._db.execute("PRAGMA integrity_check") if row[0] != "ok"]
        placed = dict(self._db.execute("SELECT article_id, story_id FROM placements").fetchall())
        records: dict[str, str] = {}
        for sid, data in self._db.execute("SELECT id, data FROM stories"):
            for article in json.loads(data)["articles"]:
                if article in records:
                    problems.append(f"article {article} is in two story records: {records[article]} and {sid}")
                records[article] = sid
        for article, sid in placed.items():
            if records.get(article) != sid:
                problems.append(f"article {article} is placed in {sid} but its story record is {records.get(article)}")
        ghosts = {sid for (sid,) in self._db.execute("SELECT id FROM stories")} - set(placed.values())
        problems += [f"story {sid} has no placed article" for sid in sorted(ghosts)]
        return problems


def _story_filter(*, text: str | None = None, entity: str | None = None, source: str | None = None,
                  since: datetime | None = None, until: datetime | None = None, language: str | None = None) -> tuple[str, list]:
    """The WHERE clause (or "") and its arguments for the story filters."""
    where, args = [], []
    if language:
        where.append("id IN (SELECT p.story_id FROM placements p JOIN articles a ON a.id = p.article_id WHERE a.language = ?)")
        args.append(language)
    if text:
        where.append("(title LIKE ? OR data LIKE ?)")
        args += [f"%{text}%", f"%{text}%"]
    if entity:
        where.append("entities LIKE ?")
        args.append(f"%{entity}%")
    if source:
        where.append("sources LIKE ?")
        args.append(f"%{json.dumps(source, ensure_ascii=False)}%")
    if since:
        where.append("last_seen >= ?")
        args.append(since.isoformat())
    if until:
        where.append("first_seen <= ?")
        args.append(until.isoformat())
    return (f"WHERE {' AND '.join(where)}" if where else ""), args
