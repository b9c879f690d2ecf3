"""Analysis <-> JSON (for output) and <-> bytes (for the store's cache; no pickle)."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from ..articles import article_from_stored, article_to_dict
from ..records import Analysis, Entity, Number
from .signature import event_signature, signature_from_list, signature_to_list

__all__ = ["analysis_to_dict", "analysis_to_bytes", "analysis_from_bytes"]

_ARRAYS = ("doc", "title", "lead", "chunks", "sentence_vectors", "minhash")
_MAGIC = b"SSAN1"


def analysis_to_dict(an: Analysis, *, vectors: bool = False) -> dict[str, Any]:
    """The JSON form: entities, places, dates, numbers, model names; vectors only when asked."""
    out: dict[str, Any] = {
        "id": an.id,
        "language": an.language,
        "title": an.article.title,
        "published": an.article.published.isoformat() if an.article.published else None,
        "models": an.models,
        "entities": [
            {k: v for k, v in (("text", e.text), ("label", e.label), ("key", e.key), ("country", e.country),
                               ("city", e.city), ("mentions", e.mentions)) if v is not None}
            for e in an.entities
        ],
        "countries": list(an.countries),
        "days": [d.isoformat() for d in an.days],
        "numbers": [{"value": n.value, "unit": n.unit, "text": n.text} for n in an.numbers],
        "sentences": len(an.sentences),
        "minhash": f"{len(an.minhash)} x uint64",
        "signature": {k: v for k, v in zip(("days", "places", "ages", "killed", "injured", "magnitudes", "terms"),
                                           signature_to_list(an.signature)[1:]) if v},
    }
    if an.notes:
        out["notes"] = list(an.notes)
    if vectors:
        out["vectors"] = {k: np.asarray(getattr(an, k), dtype=np.float32).round(5).tolist() for k in ("doc", "title", "lead")}
    return out


def analysis_to_bytes(an: Analysis) -> bytes:
    """``_MAGIC``, the header's length (4 bytes, little-endian), a JSON header (the record and each array's
    dtype, shape and offset), then the arrays' raw bytes: no pickle, and decoded without a zip archive."""
    meta: dict[str, Any] = {
        "article": article_to_dict(an.article),
        "language": an.language,
        "entities": [[e.text, e.label, e.key, e.country, e.city, e.mentions] for e in an.entities],
        "countries": list(an.countries),
        "days": [d.isoformat() for d in an.days],
        "numbers": [[n.value, n.unit, n.text] for n in an.numbers],
        "sentences": list(an.sentences),
        "models": an.models,
        "notes": list(an.notes),
        "signature": signature_to_list(an.signature),
    }
    arrays, specs, offset = [], {}, 0
    for k in (*_ARRAYS, "opening") if an.opening is not None else _ARRAYS:
        arr = np.ascontiguousarray(getattr(an, k))
        specs[k] = [arr.dtype.str, list(arr.shape), offset]
        arrays.append(arr.tobytes())
        offset += arr.nbytes
    head = json.dumps({"meta": meta, "arrays": specs}, ensure_ascii=False).encode("utf-8")
    return b"".join([_MAGIC, len(head).to_bytes(4, "little"), head, *arrays])


def analysis_from_bytes(data: bytes, remade: Callable[[str], None] | None = None) -> Analysis:
    """The record ``analysis_to_bytes`` wrote (also the NumPy .npz form that stores made before); ``remade`` is called
    with the article's id when its event signature was cached by another version and made again now."""
    if not data.startswith(_MAGIC):
        return _from_npz(data, remade)
    size = int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 4], "little")
    start = len(_MAGIC) + 4
    head = json.loads(data[start : start + size].decode("utf-8"))
    body = bytearray(data[start + size :])  # a writable copy: arrays are views of it, as np.load's are arrays of their own
    arrays = {}
    for k, (dtype, shape, offset) in head["arrays"].items():
        dt = np.dtype(dtype)
        count = math.prod(shape)  # 1 for a scalar's empty shape
        arrays[k] = np.frombuffer(body, dtype=dt, count=count, offset=offset).reshape(shape)
    return _record(head["meta"], arrays, remade)


def _from_npz(data: bytes, remade: Callable[[str], None] | None) -> Analysis:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        arrays = {k: z[k] for k in _ARRAYS}
    return _record(meta, arrays, remade)


def _record(meta: dict[str, Any], arrays: dict[str, np.ndarray], remade: Callable[[str], None] | None) -> Analysis:
    article = article_from_stored(meta["article"])
    entities = tuple(Entity(*e) for e in meta["entities"])
    signature = signature_from_list(meta["signature"]) if "signature" in meta else None
    if signature is None:  # cached before signatures, or by another version of them: made now (no model, ~1 ms)
        signature = event_signature(article.title, article.text, article.published, meta["language"], entities,
                                    article.meta.get("dateline"))
        if remade is not None:
            remade(article.id)
    return Analysis(
        article=article,
        language=meta["language"],
        entities=entities,
        countries=tuple(meta["countries"]),
        days=tuple(date.fromisoformat(d) for d in meta["days"]),
        numbers=tuple(Number(*n) for n in meta["numbers"]),
        sentences=tuple(meta["sentences"]),
        models=meta["models"],
        notes=tuple(meta["notes"]),
        signature=signature,
        **arrays,
    )
