"""Vector index choice for incremental clustering: usearch (f16, f32) vs hnswlib.

Adds N unit vectors (clustered synthetic data, 512-d like USE) and queries 1,000 of them for
their 20 nearest: add and query rates, recall@20 against exact search, index memory.

    .venv/bin/python benchmarks/bench_index.py [--n 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import save, table  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    n, d, q = args.n, 512, min(1000, args.n)
    centres = rng.standard_normal((max(1, n // 5), d)).astype(np.float32)
    X = centres[rng.integers(0, len(centres), n)] + 0.7 * rng.standard_normal((n, d)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Q = X[:q]
    exact = np.argsort(-(Q @ X.T), axis=1)[:, :20]
    rows = []
    for name in ("usearch f16", "usearch f32", "hnswlib f32"):
        t0 = time.perf_counter()
        if name.startswith("usearch"):
            from usearch.index import Index

            idx = Index(ndim=d, metric="cos", dtype=name.split()[1])
            idx.add(np.arange(n), X)
            t_add = time.perf_counter() - t0
            t0 = time.perf_counter()
            keys = idx.search(Q, 20).keys
            mem = idx.memory_usage / 1e6
        else:
            import hnswlib

            idx = hnswlib.Index(space="cosine", dim=d)
            idx.init_index(max_elements=n, ef_construction=200, M=16)
            idx.set_num_threads(2)
            idx.add_items(X, np.arange(n))
            t_add = time.perf_counter() - t0
            idx.set_ef(64)
            t0 = time.perf_counter()
            keys, _ = idx.knn_query(Q, k=20)
            mem = n * (d * 4 + 16 * 2 * 4 + 8) / 1e6  # vectors + level-0 links, by its documented layout
        t_q = time.perf_counter() - t0
        recall = float(np.mean([len(set(keys[i]) & set(exact[i])) / 20 for i in range(q)]))
        rows.append([name, f"{n / t_add:,.0f}", f"{q / t_q:,.0f}", recall, f"{mem:,.0f}"])
    table(f"{n:,} vectors, 512-d, 2 cores", ["index", "adds/s", "queries/s", "recall@20", "memory MB"], rows)
    save("index" if n >= 100_000 else "index-smoke", {"n": n, "rows": rows})


if __name__ == "__main__":
    main()
