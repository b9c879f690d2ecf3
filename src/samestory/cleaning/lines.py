"""What each line of a scraped page is: body, headline, or noise (and which noise).

Each rule is a pattern with a reason; a line matches a rule only in the shape
that noise has (a credit at the *end* of a caption, "By" + a name as the *whole*
line, a subscribe prompt as a *short* line), so body sentences and quotes that
merely mention Reuters, subscriptions or cookies stay.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from itertools import islice

__all__ = ["classify", "is_list_item", "opens_link_list", "norm_key", "split_dateline", "is_headline_like", "is_title_case", "NOISE"]

# kinds of noise; everything else is "body"
NOISE = frozenset({"caption", "credit", "byline", "timestamp", "boilerplate", "marker"})

_AGENCIES = (
    r"Reuters|REUTERS|AP|AFP|EPA|EPA-EFE|Getty Images|Getty|Xinhua|dpa|DPA|Anadolu Agency|Anadolu|AA|SANA|IANS|ANI|PTI|"
    r"Bloomberg|Pool|POOL|picture alliance|Sputnik|TASS|ANSA|EFE|PAP|Kyodo|Yonhap|WAFA|APA|Shutterstock|Alamy|"
    r"iStock|NurPhoto|SOPA Images|ZUMA|Imago|IMAGO|Keystone|Bildbyrån|NTB|Belga|AAP|Press Association|PA"
)
_CAPTION = [
    # "FILE PHOTO: ...", "FILE - In this ...", "PHOTO: ...", "Foto: ..."
    re.compile(
        r"^(?:FILE PHOTO|FILE PICTURE|FILE|PHOTO|PICTURE|IMAGE|Photo|Picture|Image|Foto|Bild|Imagen|Fotografía|"
        r"Zdjęcie|Fotoğraf|Фото|صورة|图片|图)\s*(?:[:|]|\s[-–—]\s)"
    ),
    # the agency glued after the caption's last sentence: "... in New York.Reuters"
    re.compile(rf"(?<=[a-z]\.)(?:{_AGENCIES})\.?\s*$"),
    # an image's address printed as text
    re.compile(r"^https?://\S+\.(?:jpe?g|png|gif|webp)(?:\?\S*)?$", re.IGNORECASE),
]
#: a credit at the end: "(AP Photo/Name)", "(Reuters)", "Name/Pool via REUTERS", "REUTERS/Name", "Name/AFP"; each
#: form holds one of ``_CREDIT_MARKS``, and the search (slow: it tries every word) runs only on a line that has one
_CAPTION_CREDIT = re.compile(
    rf"(?:\((?:{_AGENCIES}|Photo|Foto|Credit|Source)\b[^()]{{0,80}}\)"
    # "(Courier Photo/Name)", "(Staff Photo)", "(Courtesy photo)": a paper's own photo credit
    rf"|\((?:[\w.'’&-]+\s+){{1,3}}(?:Photo|photo|Photograph|Foto|Image)s?\b[^()]{{0,80}}\)"
    rf"|\bvia (?:{_AGENCIES})"
    rf"|\b(?:{_AGENCIES})\s*/\s*[\w.'’ -]{{2,40}}"
    rf"|[\w.'’-]+(?: [\w.'’-]+){{0,3}}\s*/\s*(?:{_AGENCIES})(?: via (?:{_AGENCIES}))?"
    rf"|\b(?:Photo|Photograph|Image|Credit|Foto|Bild|Fotoğraf|Фото)\s*(?:credit)?\s*:\s*[\w.'’ /-]{{2,60}})"
    r"\.?\s*$"
)
_CREDIT_MARKS = ("(", "/", ":", "via ")
_CREDIT = re.compile(
    r"^\(?\s*(?:Additional |Further )?(?:reporting|writing|editing|compiled|edited|reported|research|translated|"
    r"translation|graphics?|production|fact-checking) by\b"
    r"|^(?:write|email|contact) (?:to )?(?:the (?:author|writer|reporter)|[\w.'’ -]{2,40}) at \S+@\S+\s*$"
    # "Keith Bradsher contributed reporting from Hong Kong.", "Fox News' Jessica Napoli contributed to this report."
    r"|^(?:(?:[A-Z][\w.'’-]*|and|&)\s+){1,8}contributed (?:reporting|to this (?:report|story|article))"
    r"(?: from [A-Z][\w .,'’-]{0,40})?\.?\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:By|BY|Von|VON|Por|POR|Par|PAR|Di|Od|Автор:?)\s+"
    r"[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃÓĘĄÇĞİÖŞÜА-Я][\w.'’-]*(?:[ ,]+(?:and|und|y|et|e|i|ve|и|&)?\s*[\w.'’-]+){0,8}"
    r"(?:\s*[|,/-]\s*[\w .'’-]{0,40})?$"
)
_TIMESTAMP = re.compile(
    r"^(?:Published|Updated|Posted|Last updated|Last modified|First published|Veröffentlicht|Aktualisiert|Stand|"
    r"Publicado|Actualizado|Publié|Mis à jour|Pubblicato|Aggiornato|Opublikowano|Aktualizacja|Yayınlanma|"
    r"Güncelleme|Опубликовано|Обновлено|نشر|تحديث)\b\s*(?:on|am|el|le|il)?\s*:?",
    re.IGNORECASE,
)
# UI phrases: boilerplate on any line up to _BOILERPLATE_MAX characters
_BOILERPLATE = re.compile(
    r"\b(?:subscribe (?:now|today|to|for)|sign up (?:for|to|now)|sign in|log in to|our newsletter|newsletter sign|"
    r"we use cookies|accept (?:all )?cookies|cookie (?:policy|settings|consent)|read more|read also|see also|"
    r"related (?:articles?|stories|news|content|coverage|topics)|more on this (?:story|topic)|most read|"
    r"recommended for you|share this (?:article|story|page)|share on (?:facebook|twitter|whatsapp|x)|follow us on|"
    r"click here|download (?:our|the) app|all rights reserved|privacy policy|terms of (?:use|service)|"
    r"continue reading|skip to (?:main )?content|thank you for subscribing|email alerts|join our|whatsapp channel|"
    r"already a (?:subscriber|member)|(?:for|to) (?:our )?subscribers only|subscribers? exclusive|unlimited (?:digital )?access|"
    r"create a free account|(?:disable|turn off) your ad ?blocker|enable javascript|"
    r"thanks for signing up|keep an eye on your inbox|error processing your subscription|you may also like|"
    r"you might also like|more stories|more news|top stories|trending now|recommended stories|related posts?|"
    r"follow [\w .@()-]{0,40} on (?:facebook|twitter|instagram|x)\b|share it with|tell us what you think|"
    r"also on [a-z]+\.[a-z]{2,3}\b|reading time|min read|if you buy something through|share of the sale|"
    r"affiliate commission|sign up for (?:our|the)|get the [\w ]{0,30}newsletter|"
    r"order reprints|print (?:this )?article|for your personal,? non-commercial use|an error has occurred|"
    r"(?:this article|it) has been sent to|"
    r"lesezeit|tempo de leitura|tiempo de lectura|temps de lecture|"
    r"jetzt abonnieren|newsletter abonnieren|lesen sie auch|mehr zum thema|alle rechte vorbehalten|"
    r"suscr[ií]bete|lee también|leer más|todos los derechos reservados|"
    r"abonnez-vous|lire aussi|lire la suite|tous droits réservés|"
    r"leggi anche|iscriviti alla|riproduzione riservata|"
    r"czytaj (?:też|także|więcej)|zapisz się|subskrybuj|"
    r"abone ol|ilginizi çekebilir|devamını oku|"
    r"читайте также|подписывайтесь|подписаться на|"
    r"اقرأ أيضا|اشترك في|"
    r"相关阅读|相关新闻)"
    r"|©|\(c\) \d{4}|copyright \d{4}|^\W*copyright (?:[\w.&-]+ ){1,4}(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# notices that are furniture at any length (a reprint notice runs to three sentences)
_BOILERPLATE_LONG = re.compile(
    r"\bfor your personal,? non-commercial use only\b|\bdistribution and use of this material (?:are|is) governed by\b",
    re.IGNORECASE,
)
_BOILERPLATE_LONG_MAX = 500
# a line that is nothing but a machine time stamp (a page's metadata printed as text); a bare link is kept: it is
# content as often (a list of sources, of shop links) on the ScrapingHub pages
_ISO_STAMP = re.compile(r"^(?:19|20)\d\d-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?$")
# single cue words: boilerplate only as (almost) the whole line ("Advertisement", "Sponsored content")
_BOILERPLATE_WORD = re.compile(
    r"^\W*(?:advertisement|advertising|sponsored(?: content)?|newsletter|subscribe|cookies?|related|comments?|tags|"
    r"werbung|anzeige|publicidad|publicité|pubblicità|reklama|reklam|реклама|إعلان|广告|订阅)\W*$",
    re.IGNORECASE,
)
_RELATED_PREFIX = re.compile(
    r"^\[?(?:related|read more|see also|see more|watch|listen|more|also read|read|source|also|tags|filed under)\s*:"
    # a pointer to more coverage elsewhere: "Follow AP's full coverage of Brexit at https://...", "More AP NBA: https://..."
    r"|^(?:follow|more|download|listen|watch|subscribe)\b[^.]{0,80}(?::|\bat)\s+https?://",
    re.IGNORECASE,
)
# a blogging platform's shortcode left in the text: "[button link=...]Send us your review[/button]"
_SHORTCODE = re.compile(r"\[/?(?:button|embed|gallery|video|audio|playlist|su_\w+)\b[^\]]*\]")
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of off on onto or out over per so than the to up via vs with "
    "yet is are be its it his her their our after before amid over says said".split()
)
# "ANKARA (Reuters) - ", "BERLIN, June 3 (Reuters) - ", "WASHINGTON (AP) — ", "PARIS — ", "BERLIN, 4. März (dpa) - ",
# "ROTTERDAM, Netherlands (Courier) — " (a paper's own name in the parentheses: the place must then be upper case)
_KNOWN_AGENCY = re.compile(rf"(?:{_AGENCIES}|AP|UPI|CNN|Reuters Health)")
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}?(?:,\s*[A-ZÀ-Þ][\w.]{1,20}(?:\s[A-ZÀ-Þ][\w.]{1,20})?)?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\.\s*[A-ZÄÖÜ][a-zäöüé]{2,8}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w.&'’ -]{0,30})\)\s*)?"
    r"\s*(?:-{1,2}|–|—)\s+(?=\S)"
)
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")

_HEADING_WORDS = 4  # a link list's heading alone on its line ("Don't miss", "More from CNN") is boilerplate
_BOILERPLATE_MAX = 160  # a subscribe prompt is short; a body sentence mentioning one is not removed
_HEADLINE_MAX_CHARS = 160
_HEADLINE_MAX_WORDS = 22


def norm_key(text: str) -> str:
    """A line's identity for repeat detection: accents kept, case/punctuation/space folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


def count_up_to(text: str, limit: int, test: Callable[[str], bool] = str.isalpha) -> int:
    """How many characters of ``text`` pass ``test`` (letters by default), counted only up to ``limit``: a long
    text is not read to its end for a question about its first few."""
    return sum(1 for _ in islice(filter(test, text), limit))


def _is_marker(text: str) -> bool:
    """A site marker: no letters ("***", "|"), at most two ("TT", "AP"), or one short all-caps token ("AFP")."""
    letters = count_up_to(text, 5, str.isalnum)  # up to 5: what the tests below tell apart
    if letters == 0:
        return True
    if text[-1:] in ".!?\"”»'’)" or any(q in text for q in "\"“”«»"):
        return False
    return letters <= 2 or (" " not in text and text.isupper() and letters <= 4 and not any(c.isdigit() for c in text))


def classify(text: str) -> str:
    """The kind of one line: "body" or a kind of noise (see NOISE)."""
    t = text.strip()
    if not t:
        return "marker"
    if _is_marker(t):
        return "marker"
    if _CREDIT.match(t):
        return "credit"
    if len(t) <= 400 and (any(p.search(t) for p in _CAPTION) or (any(m in t for m in _CREDIT_MARKS) and _CAPTION_CREDIT.search(t))):
        return "caption"
    if len(t) <= 90 and (_TIMESTAMP.match(t) or _ISO_STAMP.match(t)):
        return "timestamp"
    if len(t) <= 90 and _BYLINE.match(t) and not t.endswith("."):
        return "byline"
    if len(t) <= _BOILERPLATE_MAX and _SHORTCODE.search(t):
        return "boilerplate"
    if len(t.split()) <= _HEADING_WORDS and opens_link_list(t):  # a bare heading: "DON'T MISS", "Explore further"
        return "boilerplate"
    quoted = any(q in t for q in "\"“”«»„")  # quoted speech is body, whatever it says
    if not quoted and (
        _BOILERPLATE_WORD.match(t)
        or (len(t) <= _BOILERPLATE_MAX and (_RELATED_PREFIX.match(t) or _BOILERPLATE.search(t)))
        or (len(t) <= _BOILERPLATE_LONG_MAX and _BOILERPLATE_LONG.search(t))
    ):
        return "boilerplate"
    return "body"


_LINK_LIST_HEADING = re.compile(
    r"^\W*(?:related|read more|read also|see also|see more|more (?:stories|news|on this|from)|"
    r"you (?:may|might) also like|most (?:read|popular)|popular on|don[’']?t miss|tags|top stories|trending|"
    r"recommended|explore further|lesen sie auch|mehr zum thema|lee también|lire aussi|leggi anche|czytaj (?:też|także)|"
    r"читайте также)\b",
    re.IGNORECASE,
)


def opens_link_list(text: str) -> bool:
    """A "Related" / "You may also like" heading: the short lines under it are links, not body."""
    return len(text.split()) <= 8 and bool(_LINK_LIST_HEADING.match(text))


def is_list_item(text: str) -> bool:
    return text[:2] in ("- ", "• ", "* ", "– ", "· ")


def is_headline_like(text: str) -> bool:
    """Short, no final sentence punctuation: the shape of a headline (or a subheading)."""
    t = text.strip().rstrip("\"”’'» ").strip()
    if not t or len(t) > _HEADLINE_MAX_CHARS or t[-1] in ".!?:;,…":
        return False
    words = t.split()
    return 3 <= len(words) <= _HEADLINE_MAX_WORDS or (len(words) >= 1 and not t.isascii() and len(t) <= 60)


def is_title_case(text: str) -> bool:
    """English-style Title Case: most words that are not small words start with a capital."""
    words = [w.strip("‘’'\"“”()[]") for w in text.split()]
    content = [w for w in words if w and w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    if len(content) < 2:
        return False
    caps = sum(w[0].isupper() for w in content)
    return caps / len(content) >= 0.8


def split_dateline(paragraph: str) -> tuple[dict[str, str] | None, str]:
    """``ANKARA (Reuters) - The ...`` -> ({"place": "ANKARA", "agency": "Reuters"}, "The ...")."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None, paragraph
    place = m.group("place").strip(" ,-")
    agency = m.group("agency")
    known = agency is not None and _KNOWN_AGENCY.fullmatch(agency) is not None
    # a dateline place is upper case ("ANKARA", "NEW YORK", "ROTTERDAM, Netherlands"); a sentence starting
    # "The US - " is not one, and neither is "The Senate (Democrats) - "
    town = place.split(",")[0]
    if not known and not (town.replace(" ", "").replace(".", "").isupper() and len(town) >= 3):
        return None, paragraph
    info = {"place": place}
    if agency:
        info["agency"] = agency
    if m.group("date"):
        info["date"] = m.group("date")
    return info, paragraph[m.end() :]
