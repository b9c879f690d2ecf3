"""Analysis in worker processes (``samestory.workers``): one per core by default (``analyse.workers``).

The results are the same bit for bit: the embedder runs on one BLAS thread in every process (``embed.use``), and
each article is analysed the same way wherever it runs (``tests/analysis/test_workers.py``, also with the BLAS
thread variables set and unset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..records import Analysis, Article
from ..settings import Settings
from ..workers import main_is_guarded, map_in_workers, processes, shutdown_workers

__all__ = ["worker_count", "analyse_in_workers", "main_is_guarded", "shutdown_workers"]


def worker_count(settings: Settings) -> int:
    """``analyse.workers``; 0 means one per CPU core where the main program allows workers
    (``samestory.workers.main_is_guarded``), else 1."""
    return processes(settings.analyse.workers)


def _analyse_here(batch: list[Article], settings: Settings) -> tuple[list[Analysis], dict[str, float]]:
    from . import StageTimes, _analyse_batch
    from ..embed import get_embedder

    times = StageTimes()
    return _analyse_batch(batch, settings, get_embedder(settings.analyse.embedder), times), dict(times)


def analyse_in_workers(
    batches: Iterator[list[Article]], settings: Settings, workers: int, add_times: Callable[[dict[str, float]], None]
) -> Iterator[Analysis]:
    """Analyses of the batches, in order, computed by ``workers`` processes (at most two batches each in flight)."""
    for out, times in map_in_workers(_analyse_here, batches, settings, workers, what="analysing"):
        add_times(times)
        yield from out
