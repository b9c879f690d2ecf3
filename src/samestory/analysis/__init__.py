"""analyse(article) -> Analysis: language, entities matched across spellings, places, dates, numbers,
embeddings and a MinHash signature. Batched (``analyse_all``) and cached in the store."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice

from ..cleaning.language import SUPPORTED_LANGUAGES, detect_language
from ..embed import get_embedder
from ..records import Analysis, Article, Entity
from ..settings import Settings, load_settings
from .facts import mentioned_days, numbers
from .gazetteer import VERSION as PLACES_VERSION
from .gazetteer import lookup_place
from .matching import EntityMatch, match_entities
from .ner import backend_for, extract_entities_batch
from .opening import with_openings
from .signature import event_signature
from .vectors import embed_articles, minhash_of, sentences_of
from .workers import analyse_in_workers, worker_count

__all__ = ["analyse", "analyse_all", "analyse_cached", "match_entities", "EntityMatch", "model_names", "StageTimes",
           "with_openings"]


class StageTimes(Counter):
    """Seconds spent per stage, summed over a run (for the benchmarks)."""


def model_names(settings: Settings, language: str | None) -> dict[str, str]:
    """The models behind an analysis: embedder, the NER backend used for its language, the NER mode asked for, how
    much of the text they read (``limits``: entities from the first ``ner_chars`` characters, ``max_sentences``
    sentences embedded) and the version of the place table (``places``), since each changes the result."""
    cfg = settings.analyse
    limits = f"ner_chars={cfg.ner_chars},max_sentences={cfg.max_sentences}"
    return {"embedder": cfg.embedder, "ner": backend_for(language, cfg.ner), "ner_mode": cfg.ner, "limits": limits,
            "places": PLACES_VERSION}


def _countries(entities: Sequence[Entity], dateline: dict | None) -> tuple[str, ...]:
    weight: Counter[str] = Counter()
    for e in entities:
        if e.country:
            weight[e.country] += e.mentions
    if dateline and (place := lookup_place(dateline.get("place", ""))):
        weight[place.country] += 3  # the dateline says where it happened
    return tuple(c for c, _ in weight.most_common())


def analyse_all(
    articles: Iterable[Article],
    *,
    settings: Settings | None = None,
    batch_size: int = 32,
    times: StageTimes | None = None,
) -> Iterator[Analysis]:
    """Analyse a stream, one batch of articles at a time, in order; more than two batches are shared
    among ``analyse.workers`` processes (see ``analysis.workers``)."""
    settings = settings or load_settings()
    times = times if times is not None else StageTimes()
    stream = iter(articles)
    batches = iter(lambda: list(islice(stream, batch_size)), [])
    first = list(islice(batches, 3))
    workers = worker_count(settings)
    if workers > 1 and len(first) > 2:
        yield from analyse_in_workers(chain(first, batches), settings, workers, times.update)
        return
    embedder = get_embedder(settings.analyse.embedder)
    for batch in chain(first, batches):
        yield from _analyse_batch(batch, settings, embedder, times)


def _analyse_batch(batch: list[Article], settings: Settings, embedder, times: StageTimes) -> list[Analysis]:
    cfg = settings.analyse
    t0 = time.perf_counter()
    langs = [a.language or detect_language(f"{a.title or ''}\n{a.text}") for a in batch]
    t1 = time.perf_counter()
    sents = [sentences_of(a.text, max_sentences=cfg.max_sentences) for a in batch]
    vectors = embed_articles(batch, sents, embedder.embed)
    t2 = time.perf_counter()
    texts = [f"{a.title}\n{a.text}" if a.title else a.text for a in batch]
    all_entities = extract_entities_batch(texts, langs, mode=cfg.ner, max_chars=cfg.ner_chars)
    times["entities"] += time.perf_counter() - t2
    out = []
    for art, lang, sent, vec, entities in zip(batch, langs, sents, vectors, all_entities):
        s1 = time.perf_counter()
        days = mentioned_days(art.text, art.published, lang)
        nums = numbers(art.text)
        s2 = time.perf_counter()
        sig = event_signature(art.title, art.text, art.published, lang, entities, art.meta.get("dateline"))
        s2b = time.perf_counter()
        mh = minhash_of(art.text)
        s3 = time.perf_counter()
        times["dates+numbers"] += s2 - s1
        times["signature"] += s2b - s2
        times["minhash"] += s3 - s2b
        notes = []
        if lang is None:
            notes.append("language unknown: rules-based entities only")
        elif lang not in SUPPORTED_LANGUAGES:
            notes.append(f"language {lang} is not supported: rules-based entities, embeddings may be weak")
        if not art.text.strip():
            notes.append("empty text")
        out.append(
            Analysis(
                article=art,
                language=lang,
                entities=entities,
                countries=_countries(entities, art.meta.get("dateline")),
                days=days,
                numbers=nums,
                sentences=tuple(sent),
                models=model_names(settings, lang),
                notes=tuple(notes),
                **vec,
                minhash=mh,
                signature=sig,
            )
        )
    times["language"] += t1 - t0
    times["embeddings"] += t2 - t1
    return out


def analyse(article: Article, *, settings: Settings | None = None) -> Analysis:
    """Analyse one article (use ``analyse_all`` or a store's cache for many)."""
    return next(analyse_all([article], settings=settings))


def analyse_cached(
    articles: Sequence[Article], store, *, settings: Settings | None = None, times: StageTimes | None = None
) -> list[Analysis]:
    """Analyses from the store's cache where article content, embedder, NER mode and limits match (an analysis cached
    before the limits were recorded is made again); the rest computed and cached. An event signature cached by
    another version is made again and cached (once: not at every reading of an upgraded store)."""
    settings = settings or load_settings()
    # every name but the per-language NER backend, which the NER mode determines
    wanted = {k: v for k, v in model_names(settings, None).items() if k != "ner"}
    remade: set[str] = set()
    cached = store.get_analyses(articles, wanted, remade=remade)
    todo = [a for a in articles if a.id not in cached]
    fresh = {an.id: an for an in analyse_all(todo, settings=settings, times=times)}
    if fresh or remade:
        store.put_analyses([*fresh.values(), *(cached[i] for i in sorted(remade))])
    return [cached.get(a.id) or fresh[a.id] for a in articles]
