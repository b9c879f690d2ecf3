"""Canonical keys for names, so that spellings across outlets, scripts and languages match.

``Fayez al Serraj`` / ``Fayez al Sarraj``, ``Tayyip Erdogan`` / ``Recep Tayyip Erdogan`` /
``Эрдоган``, ``Abdel Fattah al-Sisi`` / ``el-Sisi`` / ``Sisi``, ``Turkey`` / ``Türkiye`` /
``Turkish``, ``U.S.`` / ``US`` / ``United States``, ``U.N.`` / ``UN``.

A name's key is its tokens after: possessive and punctuation removal, accent folding and
transliteration to Latin (anyascii), dropping titles ("President", "Mr") and Arabic
article particles ("al-", "el-"), and, per token, a consonant skeleton that forgives the
vowel variations of transliterated names (Serraj/Sarraj -> srrj). Countries, major
organisations and demonyms map to one code through :mod:`.gazetteer`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "name_tokens", "skeleton", "names_match", "strip_possessive"]

_TITLES = frozenset(
    """mr mrs ms dr prof sir lord lady president vice prime minister foreign defence defense interior
    secretary general chancellor king queen prince princess sheikh emir marshal field gen col lt capt sgt
    senator sen rep representative governor gov mayor judge justice pope saint st rev reverend father
    chief ceo chairman spokesman spokeswoman spokesperson commander ambassador envoy
    herr frau präsident präsidentin bundeskanzler kanzler minister ministerin
    senor señor sr sra presidente ministro monsieur m mme président ministre signor presidente
    pan pani prezydent premier cumhurbaşkanı bakan bakanı sayın
    президент министр господин""".split()
)
_PARTICLES = frozenset("al el ad ad- as ash an ar at az bin ibn bint".split())
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_NON_WORD = re.compile(r"[^\w\s-]", re.UNICODE)
_VOWELS = re.compile(r"(?<=.)[aeiouy]")


def strip_possessive(text: str) -> str:
    return " ".join(_POSSESSIVE.sub("", t) for t in text.split())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, accents off, any script transliterated to Latin: 'Çavuşoğlu' -> 'cavusoglu'."""
    from anyascii import anyascii

    text = unicodedata.normalize("NFKC", text)
    return anyascii(text).lower()


@lru_cache(maxsize=1)
def _folded_titles() -> frozenset[str]:
    return frozenset(fold(t) for t in _TITLES)


_TITLE_SUFFIXES = ("minister", "ministerin", "prasident", "prasidentin", "kanzler", "kanzlerin", "chef", "chefin",
                   "sekretar", "botschafter", "veteran", "sprecher", "sprecherin", "superstar", "star")


def _is_title(token: str) -> bool:
    """'president', and German compounds such as 'aussenminister', 'us-prasident', 'weltkriegsveteran'."""
    return token in _folded_titles() or (len(token) > 6 and token.endswith(_TITLE_SUFFIXES))


@lru_cache(maxsize=65536)
def name_tokens(text: str) -> tuple[str, ...]:
    """The tokens that identify a person or organisation name, folded, titles and particles dropped."""
    text = strip_possessive(text.strip())
    folded = _NON_WORD.sub(" ", fold(text).replace("-", " "))
    tokens = [t for t in folded.split() if t]
    while tokens and tokens[0] in ("the", "der", "die", "das", "la", "le", "el", "il", "los", "las", "les"):
        tokens = tokens[1:]
    kept = [t for t in tokens if not _is_title(t) and t not in _PARTICLES]
    return tuple(kept or tokens)


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """First letter plus the consonants: forgives vowel variation (serraj/sarraj, mohammed/muhammad)."""
    sk = _VOWELS.sub("", token)
    return re.sub(r"(.)\1+", r"\1", sk)  # doubled letters once: mohammed/mohamed


@lru_cache(maxsize=262144)  # the same names meet again in every pair of a story
def names_match(a: str, b: str) -> bool:
    """Two person/organisation names refer to the same one.

    Equal skeleton keys, or the shorter name's tokens all found in the longer one
    (Sisi / Abdel Fattah el-Sisi; Tayyip Erdogan / Recep Tayyip Erdogan), compared by skeleton,
    where a one-token name must match the other's last token (a surname), not any token.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    sa, sb = tuple(_key(t) for t in ta), tuple(_key(t) for t in tb)
    if sa == sb:
        return True
    short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if len(short) == 1:  # a surname alone: it must be the other name's surname, spelt nearly alike
        s_tok, l_tok = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
        return len(short[0]) >= 3 and short[0] == long_[-1] and _close(s_tok[0], l_tok[-1])
    return set(short) <= set(long_) and short[-1] == long_[-1]


@lru_cache(maxsize=65536)
def surname_key(text: str) -> str | None:
    """The key of a name's last token: names that ``names_match`` always share it (every rule above
    compares the last tokens' keys), so it narrows the names worth comparing. None: no tokens."""
    tokens = name_tokens(text)
    return _key(tokens[-1]) if tokens else None


def _close(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.8


def _key(token: str) -> str:
    """Skeletons for long tokens; short ones (Sisi, Ali) are too lossy as skeletons and compare as they are."""
    return skeleton(token) if len(token) >= 5 else token
