"""Date lines at the top of a page ("May 03, 2013", "PUBLISHED: THURSDAY, MAY 2, 2013, 1: 32 PM")."""

from __future__ import annotations

from functools import lru_cache

import re
from datetime import datetime, timezone

from ..articles import MAX_YEAR, MIN_YEAR

__all__ = ["is_date_line", "parse_date_line", "DATE_PATTERN"]

_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"|(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)"
    r"|(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)"
    r"|(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)"
    r"|(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)"
    r"|(?:ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık)"
    r"|(?:janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro)"
    r"|(?:stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia)"
)
DATE_PATTERN = re.compile(
    rf"(?:\b(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b"  # May 3, 2013
    rf"|\b\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTH})\s+(?:de\s+)?(?:19|20)\d\d\b"  # 3 May 2013, 3. Mai 2013, 3 de mayo de 2013
    r"|\b(?:19|20)\d\d-\d\d-\d\d\b"  # 2013-05-03
    r"|\b\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d\b)",  # 03.05.2013, 3/5/2013
    re.IGNORECASE,
)
_WEEKDAY_TIME = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b\d{1,2}\s*:\s*\d\d\s*(?:[ap]\.?m\.?)?|\b(?:[ap]m|et|gmt|utc|cet|est|edt|pst)\b"
    r"|\b(?:segunda|terça|quarta|quinta|sexta)-feira\b|\bàs\b"
    r"|published|updated|posted|last|modified|on|at|\||[,:.()-]",
    re.IGNORECASE,
)


# a byline after the date on the same line: "5:45 AM PST 11/19/2019 by Patrick Shanley"
_BY_NAME = re.compile(r"\bby\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*$")


def is_date_line(text: str) -> bool:
    """A short line that is a date and little else."""
    if len(text) > 90:
        return False
    m = DATE_PATTERN.search(text)
    if not m:
        return False
    rest = _BY_NAME.sub(" ", text[: m.start()] + " " + text[m.end() :])
    rest = _WEEKDAY_TIME.sub(" ", rest)
    return len(rest.split()) <= 2


def parse_date_line(text: str, languages: list[str] | None = None) -> datetime | None:
    """The date in a date line, as a UTC day; None when it cannot be read."""
    m = DATE_PATTERN.search(text)
    if not m:
        return None
    return _parse_date(m.group(0), tuple(languages) if languages else None)


@lru_cache(maxsize=8192)
def _parse_date(found_text: str, languages: tuple[str, ...] | None) -> datetime | None:
    """dateparser over one matched date (cached: an article's dates are read for its days and again for its event
    signature, and dateparser takes ~6 ms a call)."""
    import dateparser

    text = found_text.replace(" de ", " ")
    options = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY" if "." in found_text else "MDY"}
    found = dateparser.parse(text, languages=list(languages) if languages else None, settings=options)
    if found is None and languages:  # a site's date in its own language over a text in another
        found = dateparser.parse(text, settings=options)
    if found is None or not MIN_YEAR <= found.year <= MAX_YEAR:  # date arithmetic must not overflow
        return None
    return datetime(found.year, found.month, found.day, tzinfo=timezone.utc)
