"""A synthetic corpus at the analysis level, for the Spark equivalence test and benchmark: the demo
corpus's analyses copied into ``n`` articles, each copy re-dated (a generation every 45 days),
its document vector nudged and its text marked, so that stories repeat the way news does."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import numpy as np

START = datetime(2020, 1, 1, tzinfo=timezone.utc)


def synthetic_analyses(base, n: int, *, seed: int = 0, sentences: int = 8):
    rng = np.random.default_rng(seed)
    base = sorted(base, key=lambda a: a.id)
    out = []
    for k in range(n):
        b = base[k % len(base)]
        gen = k // len(base)
        when = (b.article.published or START + timedelta(days=int(rng.integers(0, 60)))) + timedelta(days=45 * gen + int(rng.integers(0, 5)))
        if rng.random() < 0.03:
            when = None  # a few undated
        doc = b.doc.astype(np.float64) + rng.normal(0, 0.02, size=b.doc.shape)
        doc = (doc / np.linalg.norm(doc)).astype(np.float32)
        art = replace(b.article, id=f"g{gen}/{b.id}", published=when, text=f"{b.article.text}\n(generation {gen})")
        out.append(replace(b, article=art, doc=doc, sentence_vectors=b.sentence_vectors[:sentences], sentences=b.sentences[:sentences],
                           chunks=b.chunks[:2]))
    return out


def write_parquet(analyses, path) -> None:
    """Rows as the Spark job's analysis stage writes them: id, published, hash, vector, analysis."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from samestory.analysis.serial import analysis_to_bytes
    from samestory.clustering.search import search_vector

    table = pa.table({
        "id": [a.id for a in analyses],
        "published": [a.article.published.timestamp() if a.article.published else None for a in analyses],
        "hash": [a.article.content_hash for a in analyses],
        "vector": [search_vector(a).tobytes() for a in analyses],
        "analysis": [analysis_to_bytes(a) for a in analyses],
    })
    pq.write_table(table, path, row_group_size=1000)  # small row groups, as Spark writes them: a reader holds one at a time
