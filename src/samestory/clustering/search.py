"""The vector candidates are searched by: an article's document vector joined with its event keys.

Reports of one incident in a dense local stream (a city's shootings of one month) can have twenty look-alikes
nearer by document vector than each other: a scraped page that is mostly furniture, a follow-up that retells the
incident in other words. What they still share is the incident's rare words (a victim's name, a housing court, a
town's name in the dateline) and its street. ``search_vector`` appends to the document vector a second part made
of those *event keys*: the signature's rare terms (``EventSignature.terms`` of TF-IDF weight at least
``KEY_WEIGHT``, weighted) and its streets, each hashed to a fixed random direction of ``KEY_DIMS`` dimensions
(the same on every machine: seeded by a BLAKE2b hash of the key). Both parts have unit length, so the cosine of
two search vectors is the mean of their document cosine and their key cosine (an article with no keys has a
zero key part). The nearest neighbours by this cosine are the candidates (``candidates``): articles sharing the
incident's rare names come nearer without a second index, and the local command, the store's index and the
Spark job all search the same vectors.

Measured (``benchmarks/bench_lookalike.py``): on the gun-violence stream, the candidates held 77% of the
same-incident pairs by document vector alone; see docs/how-it-works/stories.md for the figures with keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..records import Analysis

__all__ = ["VECTORS", "KEY_DIMS", "KEY_WEIGHT", "STREET_WEIGHT", "search_vector", "search_vectors", "event_keys", "document_part"]

VECTORS = "search-1"  # what a store's placements hold (``SQLiteStore.vectors_kind``); a new kind upgrades old stores
KEY_DIMS = 128  # dimensions of the key part (128 and 256 gave the same stories on the gun-violence train weeks)
KEY_WEIGHT = 0.1  # a signature term counts as a key from this TF-IDF weight up (chosen on the gun-violence train weeks)
STREET_WEIGHT = 0.3  # the weight of a street named by the text, as a key


@lru_cache(maxsize=65536)
def _direction(key: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")
    v = np.random.default_rng(seed).standard_normal(KEY_DIMS)
    v /= np.linalg.norm(v)
    v.setflags(write=False)
    return v


def event_keys(an: Analysis) -> list[tuple[str, float]]:
    """The article's event keys with their weights: rare terms (``KEY_WEIGHT`` and over) and streets."""
    sig = an.signature
    keys = [(t, float(w)) for t, w in sig.terms if w >= KEY_WEIGHT]
    keys += [(p, STREET_WEIGHT) for p in sig.places if p.startswith("street:")]
    return keys


def search_vector(an: Analysis) -> np.ndarray:
    """The unit vector candidates are searched by (float32): the document vector, then the event keys' part."""
    keys = np.zeros(KEY_DIMS)
    for key, weight in sorted(event_keys(an)):  # sorted: the same float sum whatever order the signature lists them
        keys += weight * _direction(key)
    norm = np.linalg.norm(keys)
    doc = np.asarray(an.doc, dtype=np.float64)
    out = np.concatenate([doc, keys / norm if norm > 0 else keys])
    return (out / max(np.linalg.norm(out), 1e-12)).astype(np.float32)


def search_vectors(ans: Sequence[Analysis]) -> np.ndarray:
    """``search_vector`` of each analysis, as rows (float32)."""
    if not ans:
        return np.zeros((0, KEY_DIMS), dtype=np.float32)
    return np.vstack([search_vector(a) for a in ans])


def document_part(vectors: np.ndarray) -> np.ndarray:
    """The document vectors back from search vectors (rows, unit length): for searching stories by meaning."""
    doc = np.asarray(vectors, dtype=np.float32)[:, : vectors.shape[1] - KEY_DIMS]
    return doc / np.maximum(np.linalg.norm(doc, axis=1, keepdims=True), 1e-12)
