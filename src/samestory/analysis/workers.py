"""Analysis in worker processes: one per core.

The embedder's tokenizer and the rest of the analysis are Python; measured on 2 cores
(``benchmarks/bench_scale.py``), two processes analyse 1.6x as many articles per second as one
process with two BLAS threads. The results are the same bit for bit: the embedder runs on one
BLAS thread in every process (``embed.use``), and each article is analysed the same way wherever
it runs (``tests/analysis/test_workers.py``, also with the BLAS thread variables set and unset).

The pool is started on first use (spawned processes: each loads the models once, a few
seconds) and kept for the life of the process; ``analyse.workers = 1`` keeps everything in
the calling process. A spawned worker imports the main program again, so a script that uses
samestory gets workers by default only when its work sits under ``if __name__ == "__main__":``
(the usual rule of multiprocessing); ``analyse.workers = N`` asks for them regardless. If the
pool cannot start or a worker dies, the batch is analysed in this process and a warning says so.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import re
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..records import Analysis, Article
from ..settings import Settings

__all__ = ["worker_count", "analyse_in_workers", "main_is_guarded", "shutdown_workers"]

_POOL: dict[int, ProcessPoolExecutor] = {}


def worker_count(settings: Settings) -> int:
    """``analyse.workers``; 0 means one per CPU core where the main program allows workers
    (``main_is_guarded``), else 1."""
    if settings.analyse.workers:
        return settings.analyse.workers
    return (os.cpu_count() or 1) if main_is_guarded() else 1


def _die_with_parent() -> None:
    """A worker ends when the process that started it dies (Linux: the parent-death signal), so a killed ingest
    leaves no analysis worker behind holding 350 MB; elsewhere the pool's own shutdown ends them."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the signal was set
        os._exit(1)


def _analyse_here(batch: list[Article], settings: Settings) -> tuple[list[Analysis], dict[str, float]]:
    from . import StageTimes, _analyse_batch
    from ..embed import get_embedder

    times = StageTimes()
    return _analyse_batch(batch, settings, get_embedder(settings.analyse.embedder), times), dict(times)


_GUARD = re.compile(rb"^if\s+__name__\s*==\s*['\"]__main__['\"]", re.M)


def main_is_guarded() -> bool:
    """Whether spawned workers may import the main program: the samestory command, an interactive
    session, ``python -c``, or a script whose work sits under ``if __name__ == "__main__":``. A spawned
    worker imports the main script again; an unguarded one would run its work twice."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    path = getattr(main, "__file__", None)
    if spec is not None and spec.name.split(".")[0] == "samestory" or path is None:
        return True
    try:
        return bool(_GUARD.search(Path(path).read_bytes()))
    except OSError:
        return False


def _pool(workers: int) -> ProcessPoolExecutor:
    if workers not in _POOL:
        _POOL[workers] = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_die_with_parent)
    return _POOL[workers]


@atexit.register
def shutdown_workers(wait: bool = False) -> None:
    """Stop the analysis workers (started again when next needed)."""
    for pool in _POOL.values():
        pool.shutdown(wait=wait, cancel_futures=True)
    _POOL.clear()


class _Workers:
    """The pool for one run: batches submitted to it, results taken in order; where the pool cannot start or
    breaks, batches are analysed in this process (and a warning says so)."""

    def __init__(self, settings: Settings, workers: int, add_times: Callable[[dict[str, float]], None]) -> None:
        self.settings, self.workers, self.add_times = settings, workers, add_times
        try:
            self.pool: ProcessPoolExecutor | None = _pool(workers)
        except (OSError, ValueError) as exc:
            warnings.warn(f"analysis workers could not start ({exc}); analysing in this process", RuntimeWarning, stacklevel=3)
            self.pool = None

    def _forget_pool(self) -> None:
        _POOL.pop(self.workers, None)
        self.pool = None

    def submit(self, batch: list[Article]) -> Future | None:
        if self.pool is not None:
            try:
                return self.pool.submit(_analyse_here, batch, self.settings)
            except BrokenProcessPool:
                self._forget_pool()
        return None

    def result(self, batch: list[Article], future: Future | None) -> list[Analysis]:
        if future is not None:
            try:
                out, times = future.result()
                self.add_times(times)
                return out
            except BrokenProcessPool as exc:
                warnings.warn(f"an analysis worker died ({exc}); analysing in this process", RuntimeWarning, stacklevel=3)
                self._forget_pool()
        out, times = _analyse_here(batch, self.settings)
        self.add_times(times)
        return out


def analyse_in_workers(
    batches: Iterator[list[Article]], settings: Settings, workers: int, add_times: Callable[[dict[str, float]], None]
) -> Iterator[Analysis]:
    """Analyses of the batches, in order, computed by ``workers`` processes (at most two batches each in flight)."""
    run = _Workers(settings, workers, add_times)
    pending: deque[tuple[list[Article], Future | None]] = deque()
    for batch in batches:
        pending.append((batch, run.submit(batch)))
        if len(pending) >= 2 * workers:
            yield from run.result(*pending.popleft())
    while pending:
        yield from run.result(*pending.popleft())
