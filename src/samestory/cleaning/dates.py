"""Date lines at the top of a page ("May 03, 2013", "PUBLISHED: THURSDAY, MAY 2, 2013, 1: 32 PM")."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..articles import MAX_YEAR, MIN_YEAR

__all__ = ["is_date_line", "parse_date_line", "find_dates", "DATE_PATTERN"]

# the month names DATE_PATTERN knows, by language (January first); English ones are read by their first three letters
_MONTH_NAMES = (
    "januar februar märz april mai juni juli august september oktober november dezember",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
)
_MONTH_NUMBER = {name.casefold().replace("ı", "i"): k for line in _MONTH_NAMES for k, name in enumerate(line.split(), 1)}
_ENGLISH = {name: k for k, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH = "|".join(["(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?",
                   *(f"(?:{'|'.join(line.split())})" for line in _MONTH_NAMES)])
DATE_PATTERN = re.compile(
    rf"(?:\b(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b"  # May 3, 2013
    rf"|\b\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTH})\s+(?:de\s+)?(?:19|20)\d\d\b"  # 3 May 2013, 3. Mai 2013, 3 de mayo de 2013
    r"|\b(?:19|20)\d\d-\d\d-\d\d\b"  # 2013-05-03
    r"|\b\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d\b)",  # 03.05.2013, 3/5/2013
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_BEFORE_YEAR = 60  # the most characters a date has before its year ("Wednesday, 3rd of September" is 27)


def find_dates(text: str) -> list[str]:
    """The dates DATE_PATTERN finds in a text, in order: the same as its ``finditer``, but tried only before the
    years the text holds (every form of date has one), a tenth of the time on news text."""
    found, done = [], 0
    for year in _YEAR.finditer(text):
        if year.end() <= done:
            continue
        # up to the year and the 6 characters an ISO date has after it, and one more for the pattern's closing \b
        m = DATE_PATTERN.search(text, max(done, year.start() - _BEFORE_YEAR), year.end() + 7)
        if m is not None:
            found.append(m.group(0))
            done = m.end()
    return found


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


def parse_date_line(text: str) -> datetime | None:
    """The date in a date line, as a UTC day; None when it cannot be read."""
    m = DATE_PATTERN.search(text)
    if not m:
        return None
    return _parse_date(m.group(0))


# DATE_PATTERN's four forms, each read field by field (the month by name, or by number in the two numeric forms)
_BY_NAME_FIRST = re.compile(rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.IGNORECASE)
_BY_DAY_FIRST = re.compile(rf"(?P<day>\d{{1,2}})\.?\s+(?:de\s+)?(?P<month>{_MONTH})\s+(?:de\s+)?(?P<year>\d{{4}})", re.IGNORECASE)
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)")
_NUMERIC = re.compile(r"(?P<first>\d{1,2})(?P<separator>[./])(?P<second>\d{1,2})[./](?P<year>\d{4})")


def _month(name: str) -> int | None:
    # the pattern ignores case as Unicode does: "KASIM" is kasım, "NİSAN" nisan, and "ſept" (a long s) sept
    name = name.casefold().rstrip(".").replace("i\u0307", "i").replace("ı", "i")
    return _MONTH_NUMBER.get(name) or _ENGLISH.get(name[:3])


def _parse_date(found_text: str) -> datetime | None:
    """One DATE_PATTERN match as a UTC day: "May 3, 2013", "3. Mai 2013", "3 de mayo de 2013", "2013-05-03"; with
    numbers only, day first after dots (03.05.2013) and month first after slashes (5/3/2013, as in the US; day first
    where the first number cannot be a month). None for a day the calendar lacks (February 30) and outside the years
    date arithmetic allows.

    Read by table, not by dateparser: every match has one of these four forms, and dateparser took 6 to 40 ms a
    date (its locale search), the largest part of the event signature's cost. ``tests/cleaning/test_dates.py``
    compares the two on the dates of real articles."""
    if m := _BY_NAME_FIRST.fullmatch(found_text) or _BY_DAY_FIRST.fullmatch(found_text):
        year, month, day = int(m["year"]), _month(m["month"]) or 0, int(m["day"])  # 0: no month, no date
    elif m := _ISO.fullmatch(found_text):
        year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    elif m := _NUMERIC.fullmatch(found_text):
        first, second = int(m["first"]), int(m["second"])
        day_first = m["separator"] == "." or first > 12
        year, month, day = int(m["year"]), (second if day_first else first), (first if day_first else second)
    else:
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:  # date arithmetic must not overflow
        return None
    try:
        return datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None
