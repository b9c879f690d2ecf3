"""The event signature of an article: when, where, who and how many, as a careful reader checks them.

Two reports of the same kind of event (two shootings of one night, two earthquakes of one month)
share a vocabulary and an embedding neighbourhood; what tells them apart is the incident itself:
its day, its place down to the street, the ages of the people in it, its counts (dead, injured,
magnitude) and its rare words. ``event_signature`` reads these from the text with regular
expressions, the gazetteer's places and a shipped IDF table (``scripts/build_idf.py``); it is
computed with the analysis and cached with it. ``clustering.evidence`` compares two signatures.

Everything is read from the title and the opening (``_HEAD`` characters), where news states the
incident, and not from the rest of a scraped page, where site furniture and other headlines sit.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from ..records import Entity, EventSignature
from .facts import stated_days
from .gazetteer import gazetteer_key, lookup_place
from .names import fold

__all__ = ["VERSION", "event_signature", "signature_to_list", "signature_from_list", "IDF_PATH", "term_weights"]

IDF_PATH = Path(__file__).parent / "idf.json.gz"
# stored with each cached signature; a signature of another version is made again when read, and cached again
# (``analysis.analyse_cached``). 4: dates read by table, not dateparser (the same days but where dateparser erred)
VERSION = 4
_HEAD = 2500  # characters of body read after the title
_MAX_TERMS = 40
_MIN_IDF = 4.0  # rarer than about one document in 55 of the IDF corpus
_DAY_WINDOW = 90  # a stated day further than this before publication (or after it) is history, not the incident

_NUM_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
# a count starts a word: without the \b, "Florida" ended in the count "a" ("in Florida found him dead": 1 killed)
_COUNT = r"\b(\d{1,5}|" + "|".join(_NUM_WORDS) + r"|a|an)"
_KILLED = [
    re.compile(_COUNT + r"\s+(?:\w+\s+){0,2}?(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+)?(?:killed|dead|died|fatally)", re.I),
    re.compile(r"(?:killing|killed|kills|leaving)\s+(?:at\s+least\s+)?" + _COUNT + r"\s+(?:\w+\s+)?(?:people|persons|dead|men|women)?", re.I),
    re.compile(r"death\s+toll[^\n]{0,100}?\b(?:to|at|of|is|was|reached)\s+(?:at\s+least\s+)?" + _COUNT + r"\b", re.I),
    re.compile(r"(\d{1,5})\s+(?:Tote|Toten|Todesopfer|muertos|fallecidos|morts|morti|ofiar|ölü)\b", re.I),
    re.compile(r"(\d{1,5})\s+(?:\w+\s+){0,2}?(?:ums\s+Leben|getötet|starben|murieron|fallecieron|sont\s+morts|ont\s+péri)", re.I),
]
_INJURED = [
    re.compile(_COUNT + r"\s+(?:\w+\s+){0,2}?(?:were\s+|was\s+|have\s+been\s+)?(?:injured|wounded|hurt)", re.I),
    re.compile(r"(?:injuring|wounding)\s+(?:at\s+least\s+)?" + _COUNT, re.I),
    re.compile(r"(\d{1,5})\s+(?:Verletzte|Verletzten|heridos|blessés|feriti|rannych|yaralı)\b", re.I),
    re.compile(r"(\d{1,5})\s+(?:\w+\s+){0,2}?(?:wurden\s+)?(?:verletzt|resultaron\s+heridas?|resultaron\s+heridos|ont\s+été\s+blessés)", re.I),
]
_MAGNITUDE = [
    re.compile(r"(?:magnitude|magnitud|Magnitude|Stärke|magnitudo|büyüklüğünde|Richter)\D{0,12}?(\d(?:[.,]\d)?)\b", re.I),
    re.compile(r"\b(\d[.,]\d)[- ]?(?:magnitude|Magnitude|Richter|on the Richter)", re.I),
]
_AGE = [
    re.compile(r"\b(\d{1,3})[- ]year[- ]old\b", re.I),
    re.compile(r"\b(\d{1,3})-(?:jährige|Jährige|jährigen|Jährigen|jähriger|Jähriger)"),
    re.compile(r"\bde (\d{1,3}) años\b"),
    re.compile(r"\bâgée? de (\d{1,3}) ans\b"),
    re.compile(r",\s*(\d{1,3}),\s*(?:of|from|de|aus)\b"),  # "John Smith, 23, of Dayton"
]
_STREET_TYPES = (r"Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Way|Court|Ct\.?|"
                 r"Place|Pl\.?|Highway|Hwy\.?|Parkway|Pkwy\.?|Terrace|Circle|Pike|Trail")
_STREET = re.compile(
    r"\b((?:(?:North|South|East|West|N\.?|S\.?|E\.?|W\.?)\s+)?(?:\d+(?:st|nd|rd|th)|[A-Z][a-zA-Z'’]+)(?:\s+[A-Z][a-zA-Z'’]+){0,2}\s+"
    r"(?:" + _STREET_TYPES + r"))(?![a-z])(?!\s+(?:Patrol|Department|Safety|Administration|Authority))")
_COUNTY = re.compile(r"\b((?:[A-Z][a-z'’]+\s){1,2})(?:County|Parish|Township|Borough)\b")
_ABBREV = {"st": "street", "ave": "avenue", "rd": "road", "dr": "drive", "blvd": "boulevard", "ln": "lane", "ct": "court",
           "pl": "place", "hwy": "highway", "pkwy": "parkway", "n": "north", "s": "south", "e": "east", "w": "west"}
_ACRONYM = re.compile(r"[A-Z]{2,3}")
_TOKEN = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_FIRST_WORDS = frozenset("the a an this that police officers officer authorities said says according".split())


def _count(raw: str) -> float | None:
    raw = raw.lower()
    if raw in ("a", "an"):
        return 1.0
    if raw in _NUM_WORDS:
        return float(_NUM_WORDS[raw])
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value < 100_000 else None


def _counts(patterns: Sequence[re.Pattern], text: str) -> tuple[float, ...]:
    found = {v for p in patterns for m in p.finditer(text) if (v := _count(m.group(1))) is not None}
    return tuple(sorted(found))


def _magnitudes(text: str) -> tuple[float, ...]:
    found = set()
    for p in _MAGNITUDE:
        for m in p.finditer(text):
            value = float(m.group(1).replace(",", "."))
            if 1.0 <= value <= 9.9:
                found.add(value)
    return tuple(sorted(found))


def _ages(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(m.group(1)) for p in _AGE for m in p.finditer(text) if 0 < int(m.group(1)) < 110}))


_ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
                  "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
_ORDINALS = {w: f"{n}{'th' if 11 <= n <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
             for n, w in enumerate(_ORDINAL_WORDS, 1)}
_DIRECTIONS = frozenset("north south east west".split())


def _street_key(raw: str) -> str:
    """"E. Fourth St." and "4th Street" -> street:4th street: abbreviations spelt out, ordinals as numbers, the
    direction dropped (reports of one place differ in it)."""
    words = [w.strip(".").lower() for w in raw.split()]
    words = [_ORDINALS.get(w, w) for w in (_ABBREV.get(w, w) for w in words)]
    if len(words) > 2 and words[0] in _DIRECTIONS:
        words = words[1:]
    return "street:" + " ".join(words)


def _places(head: str, entities: Sequence[Entity], dateline: dict | None) -> tuple[str, ...]:
    """Place keys below the country: gazetteer cities (entities, the dateline), counties, streets."""
    # a short all-capitals mention is an acronym before it is a town ("DUI" is an alternate name of Duisburg)
    keys = {f"city:{e.country}:{gazetteer_key(e.city)}" for e in entities if e.city and not _ACRONYM.fullmatch(e.text)}
    if dateline and dateline.get("place"):
        place = lookup_place(dateline["place"])
        if place is not None and place.city:
            keys.add(f"city:{place.country}:{gazetteer_key(place.city)}")
        elif place is None:
            keys.add("dateline:" + fold(dateline["place"]).strip())
    keys |= {"county:" + fold(m.group(1)).strip() for m in _COUNTY.finditer(head)}
    for m in _STREET.finditer(head):
        first = m.group(1).split()[0].lower()
        if first not in _FIRST_WORDS:
            keys.add(_street_key(m.group(1)))
    return tuple(sorted(keys))


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """Token -> IDF, and the IDF of a token the table lacks (seen in at most one document)."""
    data = json.loads(gzip.decompress(IDF_PATH.read_bytes()).decode("utf-8"))
    return data["idf"], float(data["unseen"])


def term_weights(text: str) -> dict[str, float]:
    """TF-IDF weights (sublinear tf, shipped IDF) of the text's words, unit length."""
    idf, unseen = _idf()
    tf = Counter(fold(t) for t in _TOKEN.findall(text))
    weights = {t: (1.0 + math.log(n)) * idf.get(t, unseen) for t, n in tf.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _terms(text: str) -> tuple[tuple[str, float], ...]:
    """The rare words (IDF at least ``_MIN_IDF``) with the largest TF-IDF weights, at most ``_MAX_TERMS``."""
    idf, unseen = _idf()
    weights = term_weights(text)
    rare = sorted(((t, w) for t, w in weights.items() if idf.get(t, unseen) >= _MIN_IDF), key=lambda tw: (-tw[1], tw[0]))
    return tuple((t, round(w, 4)) for t, w in rare[:_MAX_TERMS])


def _incident_days(text: str, published: datetime | None, language: str | None) -> tuple[date, ...]:
    days = stated_days(text, published, language)
    if published is None:
        return days
    base = published.date()
    return tuple(d for d in days if -_DAY_WINDOW <= (d - base).days <= 1)


def event_signature(title: str | None, text: str, published: datetime | None, language: str | None,
                    entities: Sequence[Entity], dateline: dict | None) -> EventSignature:
    """The signature of one article (see the module's docstring)."""
    head = f"{title}\n{text[:_HEAD]}" if title else text[:_HEAD]
    return EventSignature(
        days=_incident_days(text[:_HEAD], published, language),
        places=_places(head, entities, dateline),
        ages=_ages(head),
        killed=_counts(_KILLED, head),
        injured=_counts(_INJURED, head),
        magnitudes=_magnitudes(head),
        terms=_terms(head),
    )


def signature_to_list(sig: EventSignature) -> list:
    """The JSON form the store's cache keeps (``signature_from_list`` reads it; ``[version, ...]``)."""
    return [VERSION, [d.isoformat() for d in sig.days], list(sig.places), list(sig.ages), list(sig.killed), list(sig.injured),
            list(sig.magnitudes), [list(t) for t in sig.terms]]


def signature_from_list(data: list) -> EventSignature | None:
    """The signature a cache kept; None where it was made by another version of ``event_signature``."""
    if not data or data[0] != VERSION:
        return None
    days, places, ages, killed, injured, mags, terms = data[1:]
    return EventSignature(tuple(date.fromisoformat(d) for d in days), tuple(places), tuple(ages), tuple(killed),
                          tuple(injured), tuple(mags), tuple((t, w) for t, w in terms))
