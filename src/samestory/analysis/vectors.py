"""Sentences, embeddings and the MinHash signature of articles, batched across articles."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..records import Article

__all__ = ["sentences_of", "embed_articles", "minhash_of", "shingles_of", "MINHASH_PERM"]

MINHASH_PERM = 128
_SHINGLE = 5
_SENT_SPLIT = re.compile(r"(?<=[.!?。！？])[\"”’»)]*\s+(?=[\"“‘«(]?[A-ZÀ-ÞА-ЯЁ0-9\u0600-\u06ff\u4e00-\u9fff])|\n+")
_CJK_SPLIT = re.compile(r"(?<=[。！？])")
_WORD = re.compile(r"\w+", re.UNICODE)


def sentences_of(text: str, *, max_sentences: int = 64, max_chars: int = 300) -> list[str]:
    """Sentences (cut at ``max_chars``), at most ``max_sentences`` of them."""
    out: list[str] = []
    for part in _SENT_SPLIT.split(text):
        for sent in _CJK_SPLIT.split(part):
            sent = " ".join(sent.split())
            if len(sent) >= 3:
                out.append(sent[:max_chars])
                if len(out) == max_sentences:
                    return out
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return (v / np.maximum(n, 1e-12)).astype(np.float32)


def embed_articles(
    articles: Sequence[Article], sentences: Sequence[list[str]], embed
) -> list[dict[str, np.ndarray]]:
    """Title and sentence vectors, one embedder call per article, its texts shortest first.

    Per article, so that an article's vectors never depend on which other articles share its
    batch (the embedder pads a batch to its longest text, and padding changes the float
    arithmetic): the local command and the Spark job must compute bit-identical vectors.
    Shortest first, because padding is also the cost: 1.6x faster than one mixed batch.
    The lead is the mean of the first two sentence vectors, a chunk the mean of its
    sentences' vectors, the document the mean of title, lead and chunks: the body is
    embedded once, sentence by sentence (embedding chunks as text too doubled the cost).
    """
    parts_of: list[np.ndarray] = []
    for art, sents in zip(articles, sentences):
        texts = ([art.title] if art.title else []) + list(sents)
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
        got = embed([texts[i] for i in order])  # an empty list gives a (0, dim) array
        vecs = np.empty_like(got)
        vecs[order] = got
        parts_of.append(vecs)
    dim = parts_of[0].shape[1] if parts_of else 1
    zero = np.zeros(dim, np.float32)
    out = []
    for art, sents, vecs in zip(articles, sentences, parts_of):
        has_title, n = bool(art.title), len(sents)
        title = vecs[0] if has_title else zero
        sv = vecs[has_title : has_title + n]
        lead = _unit(sv[:2].mean(axis=0)) if n else zero
        bounds = _chunk_bounds([len(t) for t in sents])
        chunks = np.vstack([_unit(sv[a:b].mean(axis=0)) for a, b in bounds]) if n else np.zeros((0, dim), np.float32)
        parts = [p for p in ([title] if has_title else []) + ([lead] if n else []) + list(chunks)]
        doc = _unit(np.vstack(parts).mean(axis=0)) if parts else zero
        out.append({"doc": doc, "title": title.astype(np.float32), "lead": lead, "chunks": chunks,
                    "sentence_vectors": sv.astype(np.float16)})
    return out


def _chunk_bounds(lengths: Sequence[int], *, size: int = 400, max_chunks: int = 8) -> list[tuple[int, int]]:
    """Sentence index ranges of consecutive ~``size``-character chunks."""
    bounds, start, length = [], 0, 0
    for i, n in enumerate(lengths):
        length += n
        if length >= size:
            bounds.append((start, i + 1))
            start, length = i + 1, 0
            if len(bounds) == max_chunks:
                return bounds
    if start < len(lengths):
        bounds.append((start, len(lengths)))
    return bounds


def shingles_of(text: str) -> set[bytes]:
    """The body's word 5-shingles, lower-cased (what MinHash and copy checks compare)."""
    words = [w.lower() for w in _WORD.findall(text)]
    return {" ".join(words[i : i + _SHINGLE]).encode("utf-8") for i in range(max(1, len(words) - _SHINGLE + 1))}


def minhash_of(text: str) -> np.ndarray:
    """MinHash (datasketch, 128 permutations) of the body's word 5-shingles, lower-cased."""
    from datasketch import MinHash

    shingles = shingles_of(text)
    mh = MinHash(num_perm=MINHASH_PERM, scheme="affine32")  # the scheme copy checks rebuild signatures with
    mh.update_batch(list(shingles))
    return mh.hashvalues.astype(np.uint64)
