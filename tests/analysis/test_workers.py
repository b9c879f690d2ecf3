"""Analysis in worker processes gives what one process gives, in order; a dead pool falls back."""

import os
import sys
import types
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context

import numpy as np
import pytest

from samestory import analyse_all, article_from_dict, load_settings
from samestory import workers as pool
from samestory.analysis import StageTimes, workers
from tests._data import demo_docs

FAST = load_settings(overrides={"analyse": {"ner": "rules", "max_sentences": 8}})


def _articles(n):
    return [article_from_dict(d) for d in list(demo_docs().values())[:n]]


def _same(xs, ys):
    assert [a.id for a in xs] == [b.id for b in ys]
    for a, b in zip(xs, ys):
        assert a.entities == b.entities and a.days == b.days and a.language == b.language
        for k in ("doc", "title", "lead", "chunks", "sentence_vectors", "minhash"):
            assert np.array_equal(getattr(a, k), getattr(b, k)), k


def test_workers_give_the_same_analyses_in_order():
    arts = _articles(100)  # 4 batches of 32: shared among the workers
    times = StageTimes()
    pooled = list(analyse_all(arts, settings=replace(FAST, analyse=replace(FAST.analyse, workers=2)), times=times))
    here = list(analyse_all(arts, settings=replace(FAST, analyse=replace(FAST.analyse, workers=1))))
    _same(pooled, here)
    assert times["embeddings"] > 0  # the workers' stage times come back


def test_a_dead_pool_falls_back_to_this_process(monkeypatch):
    broken = ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=os._exit, initargs=(3,))
    monkeypatch.setitem(pool._POOL, 2, broken)
    arts = _articles(70)
    with pytest.warns(RuntimeWarning, match="analysing in this process"):
        pooled = list(analyse_all(arts, settings=replace(FAST, analyse=replace(FAST.analyse, workers=2))))
    _same(pooled, list(analyse_all(arts, settings=replace(FAST, analyse=replace(FAST.analyse, workers=1)))))
    assert 2 not in pool._POOL or pool._POOL[2] is not broken


@pytest.mark.parametrize(("source", "guarded"), [
    ("from samestory import ingest\ningest('x', store)\n", False),
    ("from samestory import ingest\n\nif __name__ == '__main__':\n    ingest('x', store)\n", True),
])
def test_workers_only_where_the_main_script_is_guarded(tmp_path, monkeypatch, source, guarded):
    script = tmp_path / "job.py"
    script.write_text(source)
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    main.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert workers.main_is_guarded() is guarded
    assert workers.worker_count(FAST) == ((os.cpu_count() or 1) if guarded else 1)
    assert workers.worker_count(replace(FAST, analyse=replace(FAST.analyse, workers=3))) == 3


def test_workers_setting_is_checked():
    from samestory.errors import ConfigError

    with pytest.raises(ConfigError, match="analyse.workers"):
        load_settings(overrides={"analyse": {"workers": -1}})


def test_stories_updated_with_workers_are_the_same(tmp_path):
    """update_stories with its batches analysed in the workers: the same analyses cached, the same
    stories as with everything in this process."""
    from samestory import SQLiteStore, update_stories

    arts = _articles(230)  # 3 batches of 100 (the last short), each more than two chunks of 32
    got = {}
    for n in (2, 1):
        settings = replace(FAST, analyse=replace(FAST.analyse, workers=n), ingest=replace(FAST.ingest, batch_size=100))
        with SQLiteStore(tmp_path / f"w{n}.db") as store:
            store.add_articles(arts)
            up = update_stories(store, settings=settings)
            cached = store.get_analyses(arts)
            stories = {}
            for article, story, *_ in store.placements():
                stories.setdefault(story, set()).add(article)
            got[n] = (up.placed, {frozenset(s) for s in stories.values()}, [cached[a.id] for a in arts])
    assert got[2][0] == got[1][0] == 230
    assert got[2][1] == got[1][1] and len(got[1][1]) > 10
    _same(got[2][2], got[1][2])


@pytest.mark.parametrize("threads", [None, "1", "2"])
def test_vectors_do_not_depend_on_the_blas_thread_variables(threads, tmp_path):
    """The worker/no-worker comparison in a fresh process, with OPENBLAS_NUM_THREADS/OMP_NUM_THREADS unset, 1
    and 2: every run prints the same digest of the vectors, whatever the machine's default thread count."""
    import subprocess

    from tests._data import REPO

    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    if threads:
        env.update(OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
    env["PYTHONPATH"] = str(REPO)
    out = subprocess.run([sys.executable, "-m", "tests.analysis._vectors_digest"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    here, pooled = out.stdout.split()
    assert here == pooled
    _DIGESTS.add(here)
    assert len(_DIGESTS) == 1  # the same as under the other settings of this test


_DIGESTS: set[str] = set()
