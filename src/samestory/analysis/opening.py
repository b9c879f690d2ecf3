"""The opening vector: a second, stronger embedder's vector of an article's title and first characters.

multilingual-e5-small on the first 1,200 characters (title included) is, by itself, a better
predictor of SemEval's Overall than the whole USE-based scorer (dev Pearson 0.76 zero-shot), and
adding it to the scorer lifts Overall from 0.76 to 0.82 (``samestory train``). It costs ~0.2 s
per article on this machine's 2 cores, so ``compare`` adds it (setting ``score.opening_embedder``)
and the clusterer, which must keep up with a stream, does not.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from ..embed import get_embedder
from ..records import Analysis, Article

__all__ = ["OPENING_CHARS", "has_opening", "opening_tag", "opening_text", "with_openings"]

#: characters embedded, title included: the whole of a SemEval text (about 1,000 characters, where the scorer is
#: trained), a lead and its next paragraphs elsewhere. 300 gave the shipped scorer before (see the README).
OPENING_CHARS = 1200
_MEMO_SIZE = 4096
_memo: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def opening_text(article: Article) -> str:
    """The title, a line break and the body, cut at ``OPENING_CHARS``."""
    text = f"{article.title}\n{article.text}" if article.title else article.text
    return text[:OPENING_CHARS]


def opening_tag(embedder: str) -> str:
    """What ``models["opening"]`` says of a vector made here: the embedder and the length, so that a vector
    of another length (an older store's cache) is made again rather than read by a scorer not trained on it."""
    return f"{embedder}/{OPENING_CHARS}"


def has_opening(an: Analysis, embedder: str) -> bool:
    """Whether the analysis holds an opening vector made by ``embedder`` over ``OPENING_CHARS``."""
    return an.opening is not None and an.models.get("opening") == opening_tag(embedder)


def with_openings(analyses: Sequence[Analysis], embedder: str) -> list[Analysis]:
    """The analyses, each with its ``opening`` vector from ``embedder`` (computed where missing or made by
    another embedder; the vector depends only on the text, so recent ones are remembered per process)."""
    missing = {opening_text(an.article) for an in analyses if not has_opening(an, embedder)}
    todo = sorted(t for t in missing if (embedder, t) not in _memo)
    if todo:
        model = get_embedder(embedder)
        filled = [t for t in todo if t.strip()]  # an empty article gets a zero vector (cosine 0), not the prefix's
        vectors = dict(zip(filled, model.embed(filled)))
        for text in todo:
            vec = vectors.get(text, np.zeros(model.dim, np.float32))
            _memo[(embedder, text)] = vec
            if len(_memo) > _MEMO_SIZE:
                _memo.popitem(last=False)
    out = []
    for an in analyses:
        if has_opening(an, embedder):
            out.append(an)
            continue
        vec = _memo.get((embedder, opening_text(an.article)))
        if vec is None:  # pushed out of the memo by this very call (more than _MEMO_SIZE articles): once more
            vec = with_openings([an], embedder)[0].opening
        out.append(dataclasses.replace(an, opening=vec, models={**an.models, "opening": opening_tag(embedder)}))
    return out
