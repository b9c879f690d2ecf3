"""Pair scoring away from its training data: languages it was not trained on, and other views of the texts.

The dev split (20% of the 1,464 original train pairs) looks like the training data: the same eight language
pairs, the same kind of excerpt. Users give other languages and other cuts of the text. Measured here:

- **leave-one-language-pair-out**: for each language pair, a scorer trained on every other language pair (and on
  no pair sharing an article or an original pair with it) scores it. Over the 1,464 original pairs and HFL's 968
  machine-translated ones (it-it, ru-ru, zh-zh, zh-en, es-it, de-fr, pl-en, es-en, fr-fr: the language pairs of
  the official evaluation that training lacks), so every score is of a language pair the scorer never saw;
- **leave-one-source-out**: the same, holding out each outlet (the host of the first article's link) with more
  than 15 pairs, over the original pairs;
- **other views of the texts**: the dev pairs cut to their first 600 characters (a shorter excerpt), and as
  scraped pages (a site's navigation above, its links, sign-up and footer below), cleaned or not, scored by a scorer
  trained on the usual excerpts: Pearson under each view, and how far each view's scores lie from the excerpt's.

Each beside the zero-shot cosines of the same pairs (USE document vectors, e5 opening vectors), for the shipped
recipe and for the recipes tried against it.

    .venv/bin/python -u benchmarks/bench_scoring_robust.py [--recipes shipped@original,shipped]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, RESULTS, need, save, table  # noqa: E402

from samestory import load_settings  # noqa: E402
from samestory.articles import article_from_dict  # noqa: E402
from samestory.cleaning import clean_one  # noqa: E402
from samestory.scoring.features import FEATURE_NAMES_WITH_OPENING  # noqa: E402
from samestory.scoring.training import (  # noqa: E402
    DIMENSIONS,
    LabelledPair,
    RECIPES,
    featurise_cached,
    is_dev,
    load_semeval_pairs,
    load_translated_pairs,
    pearson,
)

SEMEVAL = DATA / "semeval2022_task8"


def _features(name: str, pairs: list[LabelledPair]) -> np.ndarray:
    t0 = time.perf_counter()
    X = featurise_cached(pairs, load_settings(), RESULTS, name)
    print(f"{name}: {len(pairs)} pairs featurised (or read from {RESULTS.relative_to(REPO)}) in {time.perf_counter() - t0:.0f} s",
          flush=True)
    return X


# a page's furniture as a scrape of the whole page brings it: navigation above the story, sign-up and links below
_TOP = ["Home", "News", "Politics", "Business", "Sport", "Weather", "Menu", "Sign in", "Subscribe now for unlimited access"]
_BOTTOM = ["Related articles", "Storm closes schools across the region", "Council approves new budget", "Most read",
           "Sign up to our daily newsletter", "Thank you for subscribing", "Follow us on Facebook",
           "© 2022 Example Media Group. All rights reserved.", "Privacy policy", "Terms of use", "Cookie settings"]


def _furnished(p: LabelledPair, cleaned: bool) -> LabelledPair:
    """The pair as whole scraped pages: furniture above and below each text; cleaned as samestory reads it, or not."""
    out = []
    for x in (p.a, p.b):
        article = article_from_dict({"id": x.id, "text": "\n".join([*_TOP, x.text, *_BOTTOM]), "language": x.language})
        out.append(clean_one(article) if cleaned else article)
    return LabelledPair(p.pair_id, p.lang_a, p.lang_b, out[0], out[1], p.gold)


def _head(p: LabelledPair, chars: int) -> LabelledPair:
    cut = [clean_one(article_from_dict({"id": x.id, "text": x.text[:chars], "language": x.language})) for x in (p.a, p.b)]
    return LabelledPair(p.pair_id, p.lang_a, p.lang_b, cut[0], cut[1], p.gold)


def _zero(X: np.ndarray) -> dict[str, np.ndarray]:
    return {z: X[:, FEATURE_NAMES_WITH_OPENING.index(c)] for z, c in (("USE", "doc_cos"), ("e5", "opening_cos"))}


def _held_out(recipe: str, X, Y, pairs, key, min_pairs: int = 1) -> tuple[np.ndarray, dict[str, list[int]]]:
    """Overall predicted for each pair by a scorer that never saw its ``key`` (language pair or source), nor any pair
    that shares an article or an original pair with the held-out ones; groups of fewer than ``min_pairs`` are not
    held out (nor predicted)."""
    groups = defaultdict(list)
    for k, p in enumerate(pairs):
        if key(p) is not None:
            groups[key(p)].append(k)
    groups = {g: idx for g, idx in groups.items() if len(idx) >= min_pairs}
    pred = np.full(len(pairs), np.nan)
    for g, idx in groups.items():
        held_ids = {x for k in idx for x in (pairs[k].a.id.rstrip("abcdefghijklmnopqrstuvwxyz"),
                                              pairs[k].b.id.rstrip("abcdefghijklmnopqrstuvwxyz"))}
        held_groups = {pairs[k].group for k in idx}
        train = np.array([key(p) != g and p.group not in held_groups
                          and not ({p.a.id.rstrip("abcdefghijklmnopqrstuvwxyz"), p.b.id.rstrip("abcdefghijklmnopqrstuvwxyz")} & held_ids)
                          for p in pairs])
        name, _, only = recipe.partition("@")
        if only == "original":  # trained as the shipped scorer is: on the original pairs alone
            train &= np.array([not re.search("[a-z]", p.pair_id) for p in pairs])
        scorer = RECIPES[name](X[train], {"overall": Y["overall"][train]})
        pred[idx] = scorer.predict(X[idx][:, [FEATURE_NAMES_WITH_OPENING.index(c) for c in scorer.features]])["overall"]
    return pred, groups


def _report_held_out(title: str, recipes: list[str], X, Y, pairs, key, min_pairs: int = 1) -> dict:
    gold = -Y["overall"]
    zero = _zero(X)
    preds = {r: _held_out(r, X, Y, pairs, key, min_pairs) for r in recipes}
    groups = next(iter(preds.values()))[1]
    rows, out = [], {}
    for g, idx in sorted(groups.items(), key=lambda t: (-len(t[1]), t[0])):
        if len(idx) < min_pairs:
            continue
        vals = [pearson(-preds[r][0][idx], gold[idx]) for r in recipes] + [pearson(z[idx], gold[idx]) for z in zero.values()]
        rows.append([g, len(idx), *vals])
        out[g] = dict(zip(["pairs", *recipes, *(f"zero-shot {z}" for z in zero)], [len(idx), *vals]))
    allidx = [k for idx in groups.values() if len(idx) >= min_pairs for k in idx]
    pooled = [pearson(-preds[r][0][allidx], gold[allidx]) for r in recipes] + [pearson(z[allidx], gold[allidx]) for z in zero.values()]
    mean = [float(np.nanmean([row[2 + i] for row in rows])) for i in range(len(recipes) + len(zero))]
    rows += [["all (pooled)", len(allidx), *pooled], ["mean over groups", len(rows), *mean]]
    out["pooled"] = dict(zip([*recipes, *(f"zero-shot {z}" for z in zero)], pooled))
    out["mean_over_groups"] = dict(zip([*recipes, *(f"zero-shot {z}" for z in zero)], mean))
    table(title, ["held out", "pairs", *recipes, *(f"zero-shot {z}" for z in zero)], rows)
    return out


def _source(p: LabelledPair, links: dict[str, str]) -> str | None:
    link = links.get(p.pair_id)
    return urlsplit(link).hostname.removeprefix("www.") if link else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipes", default=",".join(RECIPES), help=f"comma-separated, of: {', '.join(RECIPES)}; "
                    "NAME@original: trained on the original pairs alone")
    args = ap.parse_args()
    recipes = args.recipes.split(",")
    need(SEMEVAL / "derived" / "hfl_sample_official_train_pairs.csv")
    original = load_semeval_pairs(SEMEVAL / "derived" / "hfl_sample_official_train_pairs.csv")
    translated = load_translated_pairs(SEMEVAL / "text_sample_hfl", SEMEVAL / "gold" / "semeval-2022_task8_train-data_batch_2.csv")
    pairs = original + translated
    X = np.vstack([_features("original", original), _features("translated", translated)])
    Y = {d: np.array([p.gold[d] for p in pairs]) for d in DIMENSIONS}
    result: dict = {"pairs": {"original": len(original), "translated": len(translated)}}

    result["leave_one_language_pair_out"] = _report_held_out(
        "Overall, Pearson, each language pair scored by a scorer trained without it (original and translated pairs)",
        recipes, X, Y, pairs, key=lambda p: p.languages)

    import csv

    with (SEMEVAL / "derived" / "hfl_sample_official_train_pairs.csv").open(encoding="utf-8") as fh:
        links = {r["pair_id"]: r["link1"] for r in csv.DictReader(fh)}
    n = len(original)
    result["leave_one_source_out"] = _report_held_out(
        "Overall, Pearson, each source (first article's host, > 15 pairs) scored by a scorer trained without it",
        recipes, X[:n], {d: y[:n] for d, y in Y.items()}, original, key=lambda p: _source(p, links), min_pairs=16)

    # another view: the dev pairs cut to their first 600 characters, beside the usual excerpts
    dev = np.array([is_dev(p.pair_id) for p in original])
    dev_pairs = [p for p, d in zip(original, dev) if d]
    views_X = {"excerpt": X[:n][dev], "first 600 chars": _features("dev-head600", [_head(p, 600) for p in dev_pairs]),
               "scraped page, cleaned": _features("dev-furnished-cleaned", [_furnished(p, True) for p in dev_pairs]),
               "scraped page, not cleaned": _features("dev-furnished-raw", [_furnished(p, False) for p in dev_pairs])}
    train = ~dev
    rows, views = [], {}
    gold = -Y["overall"][:n][dev]
    for r in recipes:
        scorer = RECIPES[r.partition("@")[0]](X[:n][train], {d: y[:n][train] for d, y in Y.items()})
        cols = [FEATURE_NAMES_WITH_OPENING.index(c) for c in scorer.features]
        preds = {v: scorer.predict(M[:, cols]) for v, M in views_X.items()}
        for dim in DIMENSIONS:
            gd = -Y[dim][:n][dev]
            views.setdefault(r, {})[dim] = {v: pearson(-p[dim], gd) for v, p in preds.items()}
            views[r][dim]["mean_abs_difference"] = {v: float(np.mean(np.abs(p[dim] - preds["excerpt"][dim]))) for v, p in preds.items()
                                                    if v != "excerpt"}
        rows.append([r, *(views[r]["overall"][v] for v in views_X), *views[r]["overall"]["mean_abs_difference"].values()])
    for z in ("USE", "e5"):
        rows.append([f"zero-shot {z}", *(pearson(_zero(M)[z], gold) for M in views_X.values()), *([float("nan")] * (len(views_X) - 1))])
    table(f"Overall on the dev split ({int(dev.sum())} pairs) under four views of the texts: Pearson, then the mean "
          "|difference| of each view's scores from the excerpt's", ["scorer", *views_X, *(f"|diff| {v}" for v in list(views_X)[1:])], rows)
    per_dim = [[dim, *(views[r][dim][v] for r in recipes for v in views_X)] for dim in DIMENSIONS]
    table("every dimension on the dev split, Pearson under each view",
          ["dimension", *(f"{r}: {v}" for r in recipes for v in views_X)], per_dim)
    result["views"] = views
    save("scoring_robust", result)


if __name__ == "__main__":
    main()
