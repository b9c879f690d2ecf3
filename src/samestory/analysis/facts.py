"""Dates and numbers an article states: the 'when' and the countable facts."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ..cleaning.dates import find_dates, parse_date_line
from ..records import Number

__all__ = ["mentioned_days", "stated_days", "numbers"]

_WEEKDAYS = {
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "de": ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "pl": ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"],
    "tr": ["pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar"],
    "ru": ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"],
}
_RELATIVE = {
    "today": 0, "yesterday": -1, "tomorrow": 1, "heute": 0, "gestern": -1, "morgen": 1, "hoy": 0, "ayer": -1,
    "aujourd'hui": 0, "hier": -1, "demain": 1, "oggi": 0, "ieri": -1, "domani": 1, "dzisiaj": 0, "wczoraj": -1,
    "bugün": 0, "dün": -1, "сегодня": 0, "вчера": -1, "завтра": 1,
}
_RELATIVE_PHRASES = {"last night": -1, "tonight": 0, "this morning": 0, "early today": 0, "this afternoon": 0,
                     "letzte nacht": -1, "anoche": -1, "la nuit dernière": -1, "ieri sera": -1}
_DAY_WORDS = {language: frozenset(names) | _RELATIVE.keys() for language, names in _WEEKDAYS.items()}
_WORD = re.compile(r"\w[\w'’]*", re.UNICODE)
_NUMBER = re.compile(
    r"(?<![\w.,:])(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?)"
    r"(?:\s*(%|percent|per cent|million|billion|thousand|mln|bn|m|k|Millionen|Milliarden|millones|millions|milioni|milionów|milyon|млн|млрд|万|亿))?"
    r"(?:[\s-]+(?:of\s+)?([^\W\d_][\w'-]{2,}))?",
    re.UNICODE,
)
_SCALE = {"million": 1e6, "millionen": 1e6, "millones": 1e6, "millions": 1e6, "milioni": 1e6, "milionów": 1e6,
          "milyon": 1e6, "mln": 1e6, "млн": 1e6, "m": 1e6, "billion": 1e9, "milliarden": 1e9, "bn": 1e9, "млрд": 1e9,
          "thousand": 1e3, "k": 1e3, "万": 1e4, "亿": 1e8}
_MAX_NUMBERS = 40


def mentioned_days(text: str, published: datetime | None, language: str | None, *, max_chars: int = 6000) -> tuple[date, ...]:
    """The publication day, explicit dates in the text, and weekdays/relative days resolved against publication."""
    days = set(stated_days(text, published, language, max_chars=max_chars, phrases=False))
    if published:
        days.add(published.date())
    return tuple(sorted(days))


def stated_days(text: str, published: datetime | None, language: str | None, *, max_chars: int = 6000,
                phrases: bool = True) -> tuple[date, ...]:
    """The days the text itself states: explicit dates, and weekdays ("on Thursday": the last such day on or
    before publication) and relative days ("yesterday"; with ``phrases``, also "last night", "this morning")
    resolved against publication. (The scorer's ``days`` were made without the phrases.)"""
    days: set[date] = set()
    base = published.date() if published and 1800 <= published.year <= 2200 else None  # no arithmetic at the ends of time
    sample = text[:max_chars]
    for text_date in find_dates(sample):
        found = parse_date_line(text_date)
        if found is not None and 1900 <= found.year <= 2100:
            days.add(found.date())
    if base is not None:
        names = _WEEKDAYS.get(language or "en", _WEEKDAYS["en"])
        lowered = sample.lower()
        for word in set(_WORD.findall(lowered)) & _DAY_WORDS.get(language or "en", _DAY_WORDS["en"]):
            if word in names:
                back = (base.weekday() - names.index(word)) % 7
                days.add(base - timedelta(days=back))
            else:
                days.add(base + timedelta(days=_RELATIVE[word]))
        for phrase, shift in _RELATIVE_PHRASES.items() if phrases else ():
            if phrase in lowered:
                days.add(base + timedelta(days=shift))
    return tuple(sorted(days))


def _value(raw: str) -> float | None:
    digits = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", digits):
        digits = re.sub(r"[,.]", "", digits)
    else:
        digits = digits.replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def numbers(text: str, *, max_chars: int = 6000) -> tuple[Number, ...]:
    """Counts and amounts ('52,622 refugees', '14-month assault', '$2 million'), not years or times."""
    out: list[Number] = []
    seen: set[tuple[float, str]] = set()
    for m in _NUMBER.finditer(text[:max_chars]):
        raw, scale, unit = m.group(1), (m.group(2) or "").lower(), (m.group(3) or "").lower()
        value = _value(raw)
        if value is None:
            continue
        if not scale and re.fullmatch(r"(?:19|20)\d\d", raw):
            continue  # a year
        if text[m.end(1) : m.end(1) + 1] == ":":
            continue  # a time
        value *= _SCALE.get(scale, 1.0)
        if scale in ("%", "percent", "per cent"):
            unit = "%"
        key = (value, unit)
        if key in seen:
            continue
        seen.add(key)
        out.append(Number(value, unit, m.group(0).strip()))
        if len(out) >= _MAX_NUMBERS:
            break
    return tuple(out)
