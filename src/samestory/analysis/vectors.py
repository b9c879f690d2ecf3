"""Sentences, embeddings and the MinHash signature of articles, batched across articles."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ..records import Article

__all__ = ["sentences_of", "chunks_of", "embed_articles", "minhash_of", "MINHASH_PERM"]

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


def chunks_of(sentences: Sequence[str], *, size: int = 400, max_chunks: int = 8) -> list[str]:
    """Consecutive sentences grouped into chunks of about ``size`` characters."""
    chunks: list[str] = []
    cur: list[str] = []
    length = 0
    for sent in sentences:
        cur.append(sent)
        length += len(sent)
        if length >= size:
            chunks.append(" ".join(cur))
            cur, length = [], 0
            if len(chunks) == max_chunks:
                return chunks
    if cur:
        chunks.append(" ".join(cur))
    return chunks


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return (v / np.maximum(n, 1e-12)).astype(np.float32)


def embed_articles(
    articles: Sequence[Article], sentences: Sequence[list[str]], embed
) -> list[dict[str, np.ndarray]]:
    """One embedder call for a whole batch: title, lead, chunks and sentences of every article."""
    texts: list[str] = []
    spans = []
    for art, sents in zip(articles, sentences):
        parts = {
            "title": [art.title] if art.title else [],
            "lead": [" ".join(sents[:2])] if sents else [],
            "chunks": chunks_of(sents),
            "sentences": list(sents),
        }
        entry = {}
        for key, items in parts.items():
            entry[key] = (len(texts), len(items))
            texts.extend(items)
        spans.append(entry)
    vecs = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    dim = vecs.shape[1] if len(texts) else 1
    out = []
    for span in spans:
        got = {k: vecs[start : start + n] for k, (start, n) in span.items()}
        title = got["title"][0] if len(got["title"]) else np.zeros(dim, np.float32)
        lead = got["lead"][0] if len(got["lead"]) else np.zeros(dim, np.float32)
        parts = [p for p in (got["title"], got["lead"], got["chunks"]) if len(p)]
        doc = _unit(np.vstack(parts).mean(axis=0)) if parts else np.zeros(dim, np.float32)
        out.append(
            {
                "doc": doc,
                "title": title.astype(np.float32),
                "lead": lead.astype(np.float32),
                "chunks": got["chunks"].astype(np.float32),
                "sentence_vectors": got["sentences"].astype(np.float16),
            }
        )
    return out


def minhash_of(text: str) -> np.ndarray:
    """MinHash (datasketch, 128 permutations) of the body's word 5-shingles, lower-cased."""
    from datasketch import MinHash

    words = [w.lower() for w in _WORD.findall(text)]
    shingles = {" ".join(words[i : i + _SHINGLE]).encode("utf-8") for i in range(max(1, len(words) - _SHINGLE + 1))}
    mh = MinHash(num_perm=MINHASH_PERM)
    mh.update_batch(list(shingles))
    return mh.hashvalues.astype(np.uint64)
