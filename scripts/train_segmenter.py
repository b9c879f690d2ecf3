"""Rebuild the shipped boundary model of story segmentation and print what it was tuned to.

    .venv/bin/python scripts/train_segmenter.py [--pages N] [--no-save]

First the lead model: a logistic regression over the sentence embeddings of ECB+ train
documents' paragraphs, the first paragraph of each against the (up to eleven) next ones.
Then pages are built from ECB+ train documents as benchmarks/bench_segmentation.py builds
them (1-3 stories, headlines, captions, markers, photos inside articles). The candidates a
perfect segmenter meets on them are the rows; a logistic regression over
``Candidate.vector()`` is the boundary model. The threshold is the one with the fewest
missed splits among those that split at most 1% of the train pages falsely. Saves both
models in src/samestory/cleaning/model/boundary.json; the threshold goes into
defaults.toml ([clean] boundary_probability). The dev split is left for the benchmark.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_segmentation import CachedEmbed, collect, evaluate, load_docs, make_pages  # noqa: E402
from samestory.cleaning.lines import is_headline_like  # noqa: E402
from samestory.cleaning.segmenter import (  # noqa: E402
    SIDE_CHARS, BOUNDARY_FEATURES, BOUNDARY_MODEL, BoundaryModel, LeadModel, model_decision,
)

THRESHOLDS = tuple(round(0.7 + 0.01 * k, 2) for k in range(29))  # 0.70 ... 0.98
MAX_FALSE = 0.01
LEAD_NEXT = 11  # later paragraphs per document, as the lead model's negatives


def fit_lead(docs: list[dict], embed: CachedEmbed) -> LeadModel:
    """First paragraphs against the next ones (headline-like lines are no paragraphs), on unit embeddings."""
    from sklearn.linear_model import LogisticRegression

    texts, y = [], []
    for d in docs:
        body = [t for t in d["text_lines"] if not is_headline_like(t)][: 1 + LEAD_NEXT]
        if not body:
            continue
        texts += [t[:SIDE_CHARS] for t in body]
        y += [1] + [0] * (len(body) - 1)
    v = embed(texts).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-12
    lr = LogisticRegression(C=0.1, max_iter=3000, class_weight="balanced").fit(v, y)
    print(f"lead model: {len(y)} paragraphs of {len(docs)} ECB+ train documents, {sum(y)} of them first")
    return LeadModel(tuple(map(float, lr.coef_[0])), float(lr.intercept_[0]))


def fit(X: np.ndarray, y: np.ndarray, lead: LeadModel, embedder: str) -> BoundaryModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
    lr = LogisticRegression(C=1.0, max_iter=1000).fit((X - mean) / scale, y)
    return BoundaryModel(tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, lr.coef_[0])),
                         float(lr.intercept_[0]), lead, embedder)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2400)
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args()
    embed = CachedEmbed()
    docs = load_docs("train")
    lead = fit_lead(docs, embed)
    pages = make_pages(docs, args.pages, seed=1)
    X, y = collect(pages, embed, lead)
    X, y = np.array(X), np.array(y)
    print(f"ECB+ train pages: {len(pages)}, boundary candidates: {len(y)}, true boundaries among them: {int(y.sum())}")
    model = fit(X, y, lead, embed.name)
    for name, w in sorted(zip(BOUNDARY_FEATURES, model.coef), key=lambda t: -abs(t[1])):
        print(f"  {name:14s} {w:+.3f}")
    print("threshold  false-split rate  missed-split rate  Pk   (train pages)")
    best = None
    for t in THRESHOLDS:
        r = evaluate(pages, embed, model_decision(t, model), lead)
        print(f"{t:9.2f}  {r['false_split_rate']:16.3f}  {r['missed_split_rate']:17.3f}  {r['pk']:.3f}")
        if r["false_split_rate"] <= MAX_FALSE and (best is None or r["missed_split_rate"] < best[1]):
            best = (t, r["missed_split_rate"])
    threshold = best[0] if best else THRESHOLDS[-1]
    print(f"chosen: boundary_probability = {threshold}")
    if not args.no_save:
        BOUNDARY_MODEL.parent.mkdir(parents=True, exist_ok=True)
        BOUNDARY_MODEL.write_text(json.dumps({**model.to_dict(), "chosen_threshold": threshold}, indent=2) + "\n")
        print(f"saved {BOUNDARY_MODEL.relative_to(REPO / 'src')} (set [clean] boundary_probability = {threshold} in defaults.toml)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
