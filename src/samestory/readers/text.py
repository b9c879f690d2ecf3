"""Plain-text articles: the first non-empty line is the title candidate."""

from __future__ import annotations

from ..articles import make_article
from ..records import RawDocument

__all__ = ["parse_text"]

_TITLE_MAX = 300


def parse_text(text: str, origin: str, doc_id: str) -> RawDocument:
    """The whole file is the text (cleaning removes a headline repeated in it later)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = first if 0 < len(first) <= _TITLE_MAX and first[-1] not in ".!?:;," else None
    return RawDocument(make_article(text, id=doc_id, title=title, meta={"title_from": "first line"} if title else {}), origin)
