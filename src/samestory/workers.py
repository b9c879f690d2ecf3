"""Worker processes, one per core: the analysis and the reading of pages run in them.

Both are Python (the embedder's tokenizer, trafilatura, the cleaning rules), so processes beat threads: on 2 cores
two processes analyse 1.6x as many articles per second as one with two BLAS threads (``benchmarks/bench_scale.py``)
and extract and clean 1.8x as many pages (``benchmarks/bench_clean_speed.py``). Results are the same as in one
process, in input order (``tests/analysis/test_workers.py``, ``tests/readers/test_parallel_read.py``).

The pool is started on first use (spawned processes: each loads what it needs once, a few seconds) and kept for the
life of the process; reading and analysing with the same number of processes share it. A spawned worker imports the
main program again, so a script that uses samestory gets workers by default only when its work sits under
``if __name__ == "__main__":`` (the usual rule of multiprocessing); a setting of N asks for them regardless. If the
pool cannot start or a worker dies, the batch is done in this process and a warning says so.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import re
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from .settings import Settings

__all__ = ["processes", "map_in_workers", "main_is_guarded", "shutdown_workers"]

B = TypeVar("B")
R = TypeVar("R")

_POOL: dict[int, ProcessPoolExecutor] = {}


def processes(setting: int) -> int:
    """The processes a setting such as ``analyse.workers`` asks for: N as given; 0 means one per CPU core where the
    main program allows workers (``main_is_guarded``), else 1."""
    if setting:
        return setting
    return (os.cpu_count() or 1) if main_is_guarded() else 1


def _die_with_parent() -> None:
    """A worker ends when the process that started it dies (Linux: the parent-death signal), so a killed ingest
    leaves no worker behind holding 350 MB; elsewhere the pool's own shutdown ends them."""
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
    """Stop the worker processes (started again when next needed)."""
    for pool in _POOL.values():
        pool.shutdown(wait=wait, cancel_futures=True)
    _POOL.clear()


class _Run:
    """The pool for one run: batches submitted to it, results taken in order; where the pool cannot start or
    breaks, batches are done in this process (and a warning says so)."""

    def __init__(self, work: Callable[[Any, Settings], Any], settings: Settings, workers: int, what: str) -> None:
        self.work, self.settings, self.workers, self.what = work, settings, workers, what
        try:
            self.pool: ProcessPoolExecutor | None = _pool(workers)
        except (OSError, ValueError) as exc:
            warnings.warn(f"worker processes could not start ({exc}); {what} in this process", RuntimeWarning, stacklevel=4)
            self.pool = None

    def _forget_pool(self) -> None:
        _POOL.pop(self.workers, None)
        self.pool = None

    def submit(self, batch: Any) -> Future | None:
        if self.pool is not None:
            try:
                return self.pool.submit(self.work, batch, self.settings)
            except BrokenProcessPool:
                self._forget_pool()
        return None

    def result(self, batch: Any, future: Future | None) -> Any:
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool as exc:
                warnings.warn(f"a worker process died ({exc}); {self.what} in this process", RuntimeWarning, stacklevel=4)
                self._forget_pool()
        return self.work(batch, self.settings)


def map_in_workers(work: Callable[[B, Settings], R], batches: Iterable[B], settings: Settings, workers: int, *,
                   what: str) -> Iterator[R]:
    """``work(batch, settings)`` of each batch, in order, computed by ``workers`` processes (at most two batches each
    in flight). ``work`` is a module-level function (the workers import it); ``what`` names the work in the warning
    given when it falls back to this process ("analysing", "reading pages")."""
    run = _Run(work, settings, workers, what)
    pending: deque[tuple[B, Future | None]] = deque()
    for batch in batches:
        pending.append((batch, run.submit(batch)))
        if len(pending) >= 2 * workers:
            yield run.result(*pending.popleft())
    while pending:
        yield run.result(*pending.popleft())
