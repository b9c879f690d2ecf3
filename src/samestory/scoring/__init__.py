"""compare(a, b) -> PairScore: the seven SemEval-2022 scores, a same-story probability, and why.

Scores are on the SemEval scale, 1 = very similar ... 4 = very dissimilar, for Overall and
Geography, Entities, Time, Narrative, Style, Tone: graded similarity. ``probability`` and
``same_story`` answer another question, *do the two report the same real-world event (follow-ups
included)?*, and come from the story linker (``clustering.linker``), the model the clusterer links
with: ``same_story`` is ``probability >= cluster.link_probability``, so compare, the CLI, the API,
the pages and the stories mean one thing by it. Symmetric by construction: every feature is a
symmetric function of the two analyses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from ..analysis import analyse_all
from ..analysis.matching import EntityMatch, match_entities
from ..analysis.opening import has_opening, with_openings
from ..cleaning.furniture import not_an_article
from ..records import Analysis, Article, Explanation, PairScore
from ..settings import Settings, load_settings
from .evidence import evidence_words
from .features import feature_matrix, sentence_similarity
from .model import DIMENSIONS, load_scorer

__all__ = ["compare", "compare_many", "explain", "DIMENSIONS"]

_ALIGNED = 0.6  # a sentence with a counterpart at least this similar is "shared"
_MAX_LISTED = 8


def explain(a: Analysis, b: Analysis, *, match: EntityMatch | None = None, sim: np.ndarray | None = None) -> Explanation:
    """What the two articles share and where they differ: entities, places, dates, sentences."""
    m = match_entities(a, b) if match is None else match
    sim = sentence_similarity(a, b) if sim is None else sim
    aligned, only_a, only_b = [], [], []
    if sim.size:
        best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
        for i, j in enumerate(best_b):
            s = float(sim[i, j])
            if s >= _ALIGNED and best_a[j] == i:  # mutual best: an aligned pair
                aligned.append((a.sentences[i], b.sentences[j], round(s, 3)))
        only_a = [a.sentences[i] for i in range(sim.shape[0]) if sim[i].max() < _ALIGNED]
        only_b = [b.sentences[j] for j in range(sim.shape[1]) if sim[:, j].max() < _ALIGNED]
    else:
        only_a, only_b = list(a.sentences), list(b.sentences)
    ca, cb = set(a.countries), set(b.countries)
    da, db = set(a.days), set(b.days)
    aligned.sort(key=lambda t: -t[2])
    return Explanation(
        matched_entities=tuple((x.text, y.text, x.key) for x, y in m.matched),
        only_a_entities=tuple(e.text for e in m.only_a),
        only_b_entities=tuple(e.text for e in m.only_b),
        shared_countries=tuple(sorted(ca & cb)),
        only_a_countries=tuple(sorted(ca - cb)),
        only_b_countries=tuple(sorted(cb - ca)),
        shared_days=tuple(sorted(da & db)),
        only_a_days=tuple(sorted(da - db)),
        only_b_days=tuple(sorted(db - da)),
        aligned_sentences=tuple(aligned[:_MAX_LISTED]),
        only_a_sentences=tuple(only_a[:_MAX_LISTED]),
        only_b_sentences=tuple(only_b[:_MAX_LISTED]),
        evidence=evidence_words(a, b),
    )


def _identical(a: Analysis, b: Analysis) -> bool:
    return " ".join(a.article.text.split()) == " ".join(b.article.text.split()) and bool(a.article.text.strip())


def _predict(pairs: Sequence[tuple[Analysis, Analysis]], contexts) -> dict[str, np.ndarray]:
    """Scores per pair: by the scorer with the opening feature where both sides have an opening vector from
    the embedder it was trained with, by the base scorer elsewhere."""
    if any(a.opening is not None and b.opening is not None for a, b in pairs):  # the scorer loaded only when it may be used
        made_by = load_scorer(opening=True).opening_embedder
        both = np.array([has_opening(a, made_by) and has_opening(b, made_by) for a, b in pairs], dtype=bool)
    else:
        both = np.zeros(len(pairs), dtype=bool)
    preds = {dim: np.zeros(len(pairs)) for dim in DIMENSIONS}
    for opening in (True, False):
        rows = np.flatnonzero(both == opening)
        if not len(rows):
            continue
        scorer = load_scorer(opening=opening)
        X = feature_matrix([pairs[k] for k in rows], [contexts[k] for k in rows] if contexts else None, scorer.features)
        for dim, values in scorer.predict(X).items():
            preds[dim][rows] = values
    return preds


def _score_rows(pairs: Sequence[tuple[Analysis, Analysis]], settings: Settings, *, explain_pairs: bool) -> list[PairScore]:
    from ..clustering.linker import link_probabilities  # the linker reads this package's features

    # with explanations, the entity matching and sentence matrix are computed once and serve both
    contexts = [(match_entities(a, b), sentence_similarity(a, b)) for a, b in pairs] if explain_pairs else None
    preds = _predict(pairs, contexts)
    probs = link_probabilities(pairs)  # identical texts: 1
    furniture: dict[str, str | None] = {}  # per article id: why it is not an article, if it is not

    def why_not(an: Analysis) -> str | None:
        if an.id not in furniture:
            furniture[an.id] = not_an_article(an.article)
        return furniture[an.id]

    out = []
    for k, (a, b) in enumerate(pairs):
        scores: dict[str, float | None] = {dim: round(float(preds[dim][k]), 3) for dim in DIMENSIONS}
        prob: float | None = float(probs[k])
        if _identical(a, b):  # the same text: every dimension "very similar"
            scores = {dim: 1.0 for dim in DIMENSIONS}
        unknown = next((f"{side}: {why}" for side, an in (("A", a), ("B", b)) if (why := why_not(an))), None)
        if unknown:  # a score of a sign-up form is no score: unknown, not confidently "different"
            scores, prob = {dim: None for dim in DIMENSIONS}, None
        out.append(
            PairScore(
                a=a.id,
                b=b.id,
                **scores,
                same_story=prob is not None and prob >= settings.cluster.link_probability,
                probability=None if prob is None else round(prob, 4),
                explanation=explain(a, b, match=contexts[k][0], sim=contexts[k][1]) if contexts else None,
                unknown=unknown,
            )
        )
    return out


def _analysed(items: Sequence[Article | Analysis], settings: Settings) -> list[Analysis]:
    """Analyses of the items (articles analysed, analyses as they are), with opening vectors where
    ``score.opening_embedder`` names an embedder."""
    todo = [x for x in items if not isinstance(x, Analysis)]
    done = {an.id: an for an in analyse_all(todo, settings=settings)} if todo else {}
    analyses = [x if isinstance(x, Analysis) else done[x.id] for x in items]
    embedder = settings.score.opening_embedder
    return with_openings(analyses, embedder) if embedder else analyses


def compare(a: Article | Analysis, b: Article | Analysis, *, settings: Settings | None = None, explanation: bool = True) -> PairScore:
    """Score one pair; articles are analysed first, analyses are used as they are (given an opening vector
    when they lack one and ``score.opening_embedder`` is set)."""
    settings = settings or load_settings()
    an_a, an_b = _analysed([a, b], settings)
    return _score_rows([(an_a, an_b)], settings, explain_pairs=explanation)[0]


def compare_many(
    pairs: Iterable[tuple[Article | Analysis, Article | Analysis]],
    *,
    settings: Settings | None = None,
    batch_size: int = 64,
    explanation: bool = False,
) -> Iterator[PairScore]:
    """Score a stream of pairs in batches (analysis batched too)."""
    settings = settings or load_settings()
    batch: list[tuple] = []

    def flush() -> list[PairScore]:
        flat = _analysed([x for pair in batch for x in pair], settings)
        return _score_rows([(flat[2 * i], flat[2 * i + 1]) for i in range(len(batch))], settings, explain_pairs=explanation)

    for pair in pairs:
        batch.append(pair)
        if len(batch) == batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
