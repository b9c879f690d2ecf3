"""The store's job table: what the server's posts stored and its placer process places.

A job is queued when a post has kept its articles (as given: the placer cleans and stores them first) or stored
them, placing while the placer works on it, then done or failed. Jobs live in the store so that the server and its
placer (two processes) share them, and so that a restarted server finds the jobs a stopped one left: placing again,
they are queued again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone

__all__ = ["JobTables", "MAX_JOBS"]

RATE_MEMORY = 0.9  # the weight of the placer's earlier runs against its latest one (see placing_rate)
MAX_JOBS = 10_000  # jobs remembered for GET /jobs/{id}; older ones are forgotten (their articles stay placed)


def _now() -> str:
    """A job's times (submitted, placed), UTC, to the millisecond: a client can tell how long its placing took."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class JobTables:
    """Mixed into SQLiteStore (which provides ``_db`` and ``transaction``)."""

    def add_job(self, job_id: str, articles: Sequence[str], skipped: Sequence[dict],
                posted: Sequence[tuple[int, dict]] = ()) -> dict:
        """Record a job: queued when it has articles to place (``articles``: stored already; ``posted``: articles
        as a post gave them, with their index in it, for the placer to clean and store first), else done at once.
        The oldest jobs beyond ``MAX_JOBS`` are forgotten. Returns the job as ``get_job`` gives it now."""
        size, submitted = len(articles) + len(posted), _now()
        skipped_json = json.dumps(list(skipped), ensure_ascii=False, default=str)
        with self.transaction():
            self._db.execute(
                "INSERT INTO jobs (id, status, submitted, articles, size, skipped, posted) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (job_id, "queued" if size else "done", submitted, json.dumps(list(articles)), size, skipped_json,
                 json.dumps([[k, item] for k, item in posted], ensure_ascii=False, default=str) if posted else None),
            )
            self._db.execute("DELETE FROM jobs WHERE rowid <= (SELECT MAX(rowid) FROM jobs) - ?", (MAX_JOBS,))
        return {"job": job_id, "status": "queued" if size else "done", "submitted": submitted, "placed_at": None,
                "error": None, "articles": [{"id": a, "story": None, "new_story": None} for a in articles],
                "skipped": json.loads(skipped_json)}

    def posted_articles(self, ids: Sequence[str]) -> list[tuple[str, list[tuple[int, dict]]]]:
        """The jobs among ``ids`` whose posted articles are not cleaned yet, each with them (index, article)."""
        if not ids:
            return []
        rows = self._db.execute(f"SELECT id, posted FROM jobs WHERE posted IS NOT NULL AND id IN ({','.join('?' * len(ids))}) "
                                "ORDER BY rowid", list(ids)).fetchall()
        return [(job_id, [(k, item) for k, item in json.loads(posted)]) for job_id, posted in rows]

    def cleaned_job(self, job_id: str, articles: Sequence[str], skipped: Sequence[dict]) -> None:
        """The placer cleaned a job's posted articles: the ``articles`` stored from them (to place), and what could
        not be used, after what the post already skipped."""
        with self.transaction():
            row = self._db.execute("SELECT skipped FROM jobs WHERE id=?", (job_id,)).fetchone()
            if row is None:
                return
            self._db.execute("UPDATE jobs SET articles=?, size=?, skipped=?, posted=NULL WHERE id=?",
                             (json.dumps(list(articles)), len(articles),
                              json.dumps(json.loads(row[0]) + list(skipped), ensure_ascii=False, default=str), job_id))

    def take_jobs(self) -> list[str]:
        """Mark every queued job as placing, and return their ids (the placer's next run places them)."""
        with self.transaction():
            ids = [r[0] for r in self._db.execute("SELECT id FROM jobs WHERE status='queued' ORDER BY rowid")]
            self._db.execute("UPDATE jobs SET status='placing' WHERE status='queued'")
        return ids

    def finish_jobs(self, ids: Sequence[str], error: str | None = None) -> list[str]:
        """After a placer run: mark failed with ``error``, or done (placed now) each job whose articles are all
        placed, and queue again the others (a bounded run placed only some); the jobs done."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self.transaction():
            if error is not None:
                self._db.execute(f"UPDATE jobs SET status='failed', error=? WHERE id IN ({marks})", (error, *ids))
                return []
            done, left = [], []
            for job_id, articles, posted in self._db.execute(f"SELECT id, articles, posted FROM jobs WHERE id IN ({marks})",
                                                             ids).fetchall():
                if posted is not None:  # its posted articles not cleaned yet (a run that failed first): again
                    left.append(job_id)
                    continue
                wanted = sorted(set(json.loads(articles)))
                marks_here = ",".join("?" * len(wanted))
                # an article deleted since its post is no longer waited for
                stored, placed = self._db.execute(
                    f"SELECT COUNT(*), COUNT(p.article_id) FROM articles a LEFT JOIN placements p "
                    f"ON p.article_id = a.id AND p.content_hash = a.content_hash WHERE a.id IN ({marks_here})",
                    wanted).fetchone() if wanted else (0, 0)
                (done if placed == stored else left).append(job_id)
            if done:
                self._db.execute(f"UPDATE jobs SET status='done', placed_at=?, error=NULL WHERE id IN ({','.join('?' * len(done))})",
                                 (_now(), *done))
            if left:
                self._db.execute(f"UPDATE jobs SET status='queued' WHERE id IN ({','.join('?' * len(left))})", left)
        return done

    def waiting(self) -> int:
        """Articles of the jobs queued or placing."""
        return int(self._db.execute("SELECT COALESCE(SUM(size), 0) FROM jobs WHERE status IN ('queued', 'placing')").fetchone()[0])

    def _placing_record(self) -> tuple[float, float]:
        row = self._db.execute("SELECT value FROM samestory_meta WHERE key='placing_rate'").fetchone()
        return tuple(json.loads(row[0])) if row else (0.0, 0.0)

    def placing_rate(self) -> float | None:
        """The placer's recent rate, in articles a second (None before its first measured run): articles over
        seconds of its recent runs, older runs fading (each run weighs ``RATE_MEMORY`` of the one before), so
        that a run's fixed cost (repairs, records) does not make a one-article run look slow."""
        articles, seconds = self._placing_record()
        return articles / seconds if seconds > 0 else None

    def record_placing_rate(self, articles: int, seconds: float) -> None:
        """Fold one placer run (``articles`` placed in ``seconds``) into the recent rate."""
        if articles <= 0 or seconds <= 0:
            return
        with self.transaction():
            old_articles, old_seconds = self._placing_record()
            self._db.execute("INSERT OR REPLACE INTO samestory_meta (key, value) VALUES ('placing_rate', ?)",
                             (json.dumps([RATE_MEMORY * old_articles + articles, RATE_MEMORY * old_seconds + seconds]),))

    def mark_placer_ready(self, pid: int) -> None:
        """The placer process ``pid`` has loaded its models and stories: posts are placed without start-up delay."""
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO samestory_meta (key, value) VALUES ('placer_ready', ?)", (str(pid),))

    def placer_ready(self) -> int | None:
        """The process id of the last placer that got ready (None: none yet)."""
        row = self._db.execute("SELECT value FROM samestory_meta WHERE key='placer_ready'").fetchone()
        return int(row[0]) if row else None

    def requeue_jobs(self) -> int:
        """Queue again the jobs a stopped placer left placing; how many."""
        with self.transaction():
            return self._db.execute("UPDATE jobs SET status='queued' WHERE status='placing'").rowcount

    def get_job(self, job_id: str) -> dict | None:
        """The job as the API gives it: status, times, error, what was skipped, and each article with its story
        (null until placed)."""
        row = self._db.execute("SELECT id, status, submitted, placed_at, error, articles, skipped FROM jobs WHERE id=?",
                               (job_id,)).fetchone()
        if row is None:
            return None
        articles = []
        for article in json.loads(row[5]):
            where = self.story_of(article) if row[1] == "done" else None
            articles.append({"id": article, "story": where[0] if where else None,
                             "new_story": bool(where[1]) if where else None})
        return {"job": row[0], "status": row[1], "submitted": row[2], "placed_at": row[3], "error": row[4],
                "articles": articles, "skipped": json.loads(row[6])}
