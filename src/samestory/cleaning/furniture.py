"""Is a text an article at all? A sign-up form, a paywall notice, a cookie banner or a site's footer, scraped in
place of the story, reads like nothing but the lines the cleaning removes as noise. ``not_an_article`` says so,
with the reason, so that a score of such a text is given as unknown rather than confidently."""

from __future__ import annotations

from functools import lru_cache

from ..records import Article
from .lines import NOISE, classify

__all__ = ["not_an_article"]

_BODY_WORDS = 40  # a story this short with mostly furniture around it is furniture (a brief has no sign-up form)
_FURNITURE_SHARE = 0.5  # of the text's characters in lines of noise


def not_an_article(article: Article) -> str | None:
    """Why ``article`` is site furniture rather than an article, or None when it reads as one. Reads its text and,
    for a cleaned article, the lines the cleaning removed as noise (``meta.removed``)."""
    removed = article.meta.get("removed") if isinstance(article.meta, dict) else None
    gone = tuple(r["text"] for r in removed or ()
                 if isinstance(r, dict) and r.get("reason") in NOISE and isinstance(r.get("text"), str))
    return _verdict(article.text, gone)


@lru_cache(maxsize=4096)  # compare_many asks about the same articles in pair after pair
def _verdict(text: str, gone: tuple[str, ...]) -> str | None:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [t for t in lines if t]
    kinds = [classify(t) for t in lines]
    body = [t for t, k in zip(lines, kinds) if k not in NOISE]
    noise = sum(len(t) for t, k in zip(lines, kinds) if k in NOISE) + sum(len(t) for t in gone)
    if not body:
        return "the text is only site furniture (sign-up, cookie, paywall or link lines), not an article" if lines else "the text is empty"
    words = sum(len(t.split()) for t in body)
    if words < _BODY_WORDS and noise >= _FURNITURE_SHARE * (noise + sum(len(t) for t in body)):
        return f"the text is mostly site furniture (sign-up, cookie, paywall or link lines) around {words} words: not an article"
    return None
