"""The placer: a process of its own beside the server that places what the server's posts stored.

A post keeps its articles as given, in a queued job in the store, and wakes the placer; the placer takes every
queued job, cleans and stores its articles, places the stored articles not placed yet, at most ``RUN_ARTICLES`` a run, in
the order they came (``update_stories`` with the incremental clusterer it keeps in memory), marks done the jobs whose
articles are all placed (or failed), and runs again at once while runs come back full. It repairs the stories it
placed into once no post waits, or after ``REPAIR_AFTER`` articles. Each run's rate is kept in the store: the
server refuses posts (429) that the placer could not place within ``serve.placing_within`` seconds.
It runs in its own process so that its CPU work never holds the server's interpreter lock: readers and
posts are answered while it places. It holds the store's writer lock only while placing, so a command
(``samestory repair``, ``correct``) can write between its runs; its clusterer is rebuilt from the store
when another writer changed the stories.

It also follows the sources in the store (a thread, ``_Follower``; every ``serve.watch_every`` seconds): what is new
in a feed or sitemap is stored and queued as a job of its own, so the sources added from the page, the API or
``samestory watch URL`` are followed while the server runs.

The process is a fresh Python running ``main`` (not a multiprocessing child, which would import the calling
program's main script again). Its standard input is a pipe from the server: the settings (pickled)
first, then one byte per wake-up; the end of the pipe, when the server stops or dies, ends it after its
current run.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import replace

from ..errors import SamestoryError, StoreError
from ..settings import Settings

__all__ = ["Placer", "POLL_SECONDS"]

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0  # the placer looks for queued jobs this often when not woken (jobs another server queued)
FOLLOW_CHECK = 5.0  # seconds: the follower looks at least this often for sources due (one just added is fetched soon)
RUN_ARTICLES = 64  # articles one run places at most: jobs are done run by run, not all at the end of a long one
REPAIR_AFTER = 4 * RUN_ARTICLES  # while posts wait, the stories placed into are repaired after this many articles
STOP_WAIT = 5.0  # seconds a stopping server waits for the placer's run to end before it ends it (safe: see stop)


# the placer's numeric libraries run on one thread each: OpenMP (LightGBM's predictions) and BLAS spread a small
# batch over every core and spin there, taking the cores the server answers on (under the load benchmark the placer
# used up to 1.14 cores, and the story page p99 rose to 671 ms)
_ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class Placer:
    """The server's handle on its placer process: ``start``, ``wake`` after a post, ``stop``."""

    def __init__(self, db: str, settings: Settings, *, warm: bool = True) -> None:
        """``warm``: load the models before the first run (a server's start-up), else on the first run that needs
        them (tests, short-lived servers)."""
        self.db, self.settings, self.warm = db, settings, warm
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the process (again, if it ended); its first run places what a stopped server left unplaced."""
        if self.alive:
            return
        if self._process is not None:  # it ended on its own: say so where the server logs, then start it again
            log.warning("the placer ended (exit code %s); starting it again: its jobs are queued again",
                        self._process.returncode)
            try:
                self._process.stdin.close()
            except OSError:
                pass
        self._process = subprocess.Popen([sys.executable, "-c", "import sys; from samestory.web.placer import main; "
                                          "main(sys.argv[1], warm=sys.argv[2] == 'warm')", self.db,
                                          "warm" if self.warm else "cold"], stdin=subprocess.PIPE,
                                         env={**os.environ, **_ONE_THREAD})
        settings = pickle.dumps(self.settings)
        self._process.stdin.write(struct.pack("!I", len(settings)) + settings)
        self._process.stdin.flush()
        os.set_blocking(self._process.stdin.fileno(), False)  # a wake-up never blocks a post (see wake)

    def wake(self) -> None:
        """A job was queued: place it now rather than at the next poll (restarting a placer that ended)."""
        if not self.alive:
            self.start()
        try:
            os.write(self._process.stdin.fileno(), b"w")
        except BlockingIOError:  # the pipe is full of wake-ups the placer has not read yet: it is woken already
            pass
        except (ValueError, OSError):  # it ended just now: the next wake starts it, the poll finds the job
            pass

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.alive else None

    def stop(self) -> None:
        """Ask the placer to end after its current run (the end of its pipe); end it (SIGTERM) if that takes over
        ``STOP_WAIT`` seconds. Safe as a crash is: each batch's placements are saved in one transaction and what a
        run left to repair or rebuild is recorded, so the next placer (or ``samestory repair``) finishes it, and
        the jobs it was placing are queued again."""
        if self._process is None:
            return
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self._process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            self._process.terminate()
            self._process.wait(5)
        self._process = None


class _Follower(threading.Thread):
    """The sources in the store, followed from the placer's process (``serve.watch_every``): each poll stores what is
    new (as ``samestory watch`` does) and queues it as a job, which the placer's next run places. A thread, since its
    fetching waits on the network rather than on the placing; it has its own connection to the store."""

    def __init__(self, db: str, settings: Settings) -> None:
        super().__init__(name="samestory-follower", daemon=True)
        self.db, self.settings = db, settings
        self._stopping = threading.Event()

    def run(self) -> None:
        from ..store import SQLiteStore
        from ..watch import poll, seconds_to_next

        every = self.settings.serve.watch_every
        store = SQLiteStore(self.db, keep_html=self.settings.store.keep_html)
        try:
            while not self._stopping.is_set():
                wait = FOLLOW_CHECK
                try:
                    done = poll(store, settings=self.settings, every=every, stories=False)
                    if done.articles:
                        store.add_job(uuid.uuid4().hex, list(done.articles), [])
                    wait = seconds_to_next(store, every)
                except (SamestoryError, sqlite3.OperationalError) as exc:  # the store busy or gone: try again soon
                    log.warning("following sources: %s", exc)
                except Exception:  # noqa: BLE001 - the follower outlives one bad poll (each source's own errors are its)
                    log.exception("following sources failed")
                self._stopping.wait(min(wait, FOLLOW_CHECK))
        finally:
            store.close()

    def stop(self) -> None:
        self._stopping.set()
        self.join(STOP_WAIT)


class _Pipe:
    """The placer's end of the server's pipe: wake-ups, and whether the server is gone."""

    def __init__(self, fd: int) -> None:
        self.fd, self.closed = fd, False

    def read_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = os.read(self.fd, n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for a wake-up; True when woken (or the server gone: ``closed``)."""
        if self.closed:
            return True
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if not ready:
            return False
        if not os.read(self.fd, 65536):  # every pending wake-up at once
            self.closed = True
        return True


def _clean_posted(store, jobs: list[str], settings: Settings) -> None:
    """Clean and store the articles the posts of ``jobs`` kept as given (what cleaning cannot use goes to the job's
    ``skipped``, with its index in the post), so that the run after places them."""
    from ..articles import article_from_dict
    from ..cleaning import clean

    for job_id, posted in store.posted_articles(jobs):
        articles, skipped = [], []
        for k, item in posted:
            try:
                articles.extend(clean(article_from_dict(item), settings=settings))
            except SamestoryError as exc:
                skipped.append({"index": k, "error": exc.code, "message": exc.message})
            except Exception as exc:  # noqa: BLE001 - one article a bug fails on must not fail the others
                log.exception("cleaning a posted article failed")
                skipped.append({"index": k, "error": "SS500", "message": f"internal error while cleaning ({type(exc).__name__})"})
        if articles:
            store.add_articles(articles)
        store.cleaned_job(job_id, [a.id for a in articles], skipped)


def main(db: str, *, warm: bool = True) -> None:
    """The placer process: load the models and the stories, place what is unplaced, then one bounded run per
    wake-up (or poll) with jobs queued, at once again while runs come back full."""
    from ..analysis import analyse_all
    from ..articles import make_article
    from ..clustering.linker import load_linker
    from ..scoring import compare
    from ..pipeline import repair_due_stories, story_clusterer, update_stories
    from ..store import SQLiteStore

    pipe = _Pipe(sys.stdin.fileno())
    try:
        settings: Settings = pickle.loads(pipe.read_exact(struct.unpack("!I", pipe.read_exact(4))[0]))
    except EOFError:
        return
    # analysis here, not in worker processes: a run is at most RUN_ARTICLES, the server needs the other cores, and
    # workers would load the models again (~350 MB each) and start only on the first run
    settings = replace(settings, analyse=replace(settings.analyse, workers=1))
    logging.basicConfig(level=logging.WARNING, format="samestory placer: %(message)s")
    store = SQLiteStore(db, keep_html=settings.store.keep_html)
    store.requeue_jobs()  # jobs a stopped placer was placing
    # warm up outside any run: a run's time measures placing (the rate posts are admitted by), not loading; a cold
    # placer loads its models in its first run with articles, whose time is then not taken for the rate
    if warm:
        (first,) = analyse_all([make_article(text="The placer starts. It loads its models once.", title="Warm-up")],
                               settings=settings)
        compare(first, first, settings=settings)
        load_linker()
    measured = warm
    clusterer, version = story_clusterer(store, settings), store.stories_version()
    store.mark_placer_ready(os.getpid())
    follower = _Follower(db, settings) if settings.serve.watch_every > 0 else None
    if follower is not None:
        follower.start()
    run_now = True  # the first run places whatever a stopped server left unplaced
    unrepaired = len(store.repair_due())  # stories a stopped server left to repair: repaired when the queue allows
    while not pipe.closed:
        if not run_now:
            pipe.wait(POLL_SECONDS)
            if pipe.closed:
                break
        try:
            taken = store.take_jobs()
        except sqlite3.OperationalError as exc:  # the store busy past its timeout: try again at the next poll
            log.warning("%s", exc)
            continue
        if not taken and not run_now:
            continue
        # a run's time, for the rate posts are admitted by, is all of it: cleaning the posts, placing, the jobs' marks
        # and the repair that may follow
        run_now, error, placed, began = False, None, 0, time.monotonic()
        try:
            _clean_posted(store, taken, settings)
            with store.writing():
                if clusterer is None or store.stories_version() != version:  # another writer changed the stories
                    clusterer = story_clusterer(store, settings)
                placed = update_stories(store, settings=settings, clusterer=clusterer, limit=RUN_ARTICLES, repair_later=True).placed
                version = store.stories_version()
            run_now = placed >= RUN_ARTICLES  # a full run: there may be more waiting
            unrepaired += placed
        except StoreError as exc:
            if exc.code == "SS305":  # another process held the writer lock all along: the jobs wait for the next run
                store.requeue_jobs()
                continue
            error, clusterer = exc.message, None
        except SamestoryError as exc:
            error, clusterer = exc.message, None
        except Exception as exc:  # the placer outlives one bad run: the articles stay stored for the next
            log.exception("placing failed")
            error, clusterer = f"internal error: {type(exc).__name__}", None
        try:
            store.finish_jobs(taken, error)  # done, or queued again when this bounded run left some of theirs
            # the stories placed into are repaired once no post waits, or after REPAIR_AFTER articles while posts
            # wait: a repair is about half of a run's time, and a post waits for its placing only
            if error is None and unrepaired and (unrepaired >= REPAIR_AFTER or store.waiting() == 0):
                with store.writing():
                    if clusterer is None or store.stories_version() != version:
                        clusterer = story_clusterer(store, settings)
                    repair_due_stories(store, settings=settings, clusterer=clusterer)
                    version = store.stories_version()
                unrepaired = 0
            if measured:
                store.record_placing_rate(placed, time.monotonic() - began)
            measured = measured or placed > 0
        except StoreError as exc:  # another writer held the lock (SS305), or a store error: repaired after a later run
            log.warning("%s", exc.message)
            clusterer = None
        except sqlite3.OperationalError as exc:  # the store busy past its timeout: left placing, queued again at start
            log.warning("%s", exc)
        except Exception:  # noqa: BLE001 - a repair that fails must not end the placing: the stories stay due
            log.exception("repairing the stories failed")
            clusterer = None
    if follower is not None:
        follower.stop()
    store.close()
