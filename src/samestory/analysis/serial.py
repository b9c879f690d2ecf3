"""Analysis <-> JSON (for output) and <-> bytes (for the store's cache; no pickle)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import numpy as np

from ..articles import article_from_dict, article_to_dict
from ..records import Analysis, Entity, Number

__all__ = ["analysis_to_dict", "analysis_to_bytes", "analysis_from_bytes"]

_ARRAYS = ("doc", "title", "lead", "chunks", "sentence_vectors", "minhash")


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
    }
    if an.notes:
        out["notes"] = list(an.notes)
    if vectors:
        out["vectors"] = {k: np.asarray(getattr(an, k), dtype=np.float32).round(5).tolist() for k in ("doc", "title", "lead")}
    return out


def analysis_to_bytes(an: Analysis) -> bytes:
    meta = {
        "article": article_to_dict(an.article),
        "language": an.language,
        "entities": [[e.text, e.label, e.key, e.country, e.city, e.mentions] for e in an.entities],
        "countries": list(an.countries),
        "days": [d.isoformat() for d in an.days],
        "numbers": [[n.value, n.unit, n.text] for n in an.numbers],
        "sentences": list(an.sentences),
        "models": an.models,
        "notes": list(an.notes),
    }
    buf = io.BytesIO()
    np.savez(buf, meta=np.array(json.dumps(meta, ensure_ascii=False)), **{k: getattr(an, k) for k in _ARRAYS})
    return buf.getvalue()


def analysis_from_bytes(data: bytes) -> Analysis:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        arrays = {k: z[k] for k in _ARRAYS}
    return Analysis(
        article=article_from_dict(meta["article"]),
        language=meta["language"],
        entities=tuple(Entity(*e) for e in meta["entities"]),
        countries=tuple(meta["countries"]),
        days=tuple(date.fromisoformat(d) for d in meta["days"]),
        numbers=tuple(Number(*n) for n in meta["numbers"]),
        sentences=tuple(meta["sentences"]),
        models=meta["models"],
        notes=tuple(meta["notes"]),
        **arrays,
    )
