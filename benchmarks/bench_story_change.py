"""How well does the evidence at hand tell a story's next lines from another story's first lines?

The question behind story segmentation's hardest boundaries: the next story comes with no headline,
and it is another event of the same topic (ECB+ chose its documents to look alike). Pairs from ECB+
documents: the story so far (a document's first k lines, k drawn from 1 to its length less one; the
last 40 of them at most) against

- its own next lines (up to six): a continuation, the negatives;
- the first six lines of a document about another event of the same topic;
- the first six lines of a document of another topic.

Each signal's ROC AUC of "another story" against "continuation" is printed for the two kinds. The
signals: the cosine of the mean sentence embeddings (the analysis embedder, or ``--embedder``), a
logistic regression over the embedding pair, the share of the names after that the story has given
(the segmenter's names), the share of the people after that it has named (spaCy's entities, matched
across spellings as the analysis matches them), the TF-IDF cosine, the share of rare words after
(IDF over 4 in the train documents) that the story has used, and a logistic regression over all of
those. Learned signals are fitted on pairs from the train split; every figure is read on the dev split.

    .venv/bin/python benchmarks/bench_story_change.py [--docs N] [--embedder NAME]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import save, table  # noqa: E402
from bench_segmentation import CachedEmbed, load_docs  # noqa: E402

from samestory.analysis.names import names_match  # noqa: E402
from samestory.analysis.ner import extract_entities_batch  # noqa: E402
from samestory.cleaning.segmenter import SIDE_CHARS, _names  # noqa: E402

PER_DOC = 6  # pairs drawn per document
AFTER = 6
TOLD = 40
RARE_IDF = 4.0
_WORD = re.compile(r"(?u)\b\w\w+\b")
KINDS = ("same topic, another event", "another topic")


def pairs(docs: list[dict], seed: int) -> list[tuple[list[str], list[str], str]]:
    """(the story so far, the lines after, kind): kind is "continuation" or one of KINDS."""
    rng = random.Random(seed)
    by_topic: dict[int, dict[str, list[dict]]] = {}
    for d in docs:
        by_topic.setdefault(d["topic"], {}).setdefault(d["subtopic"], []).append(d)
    out = []
    for d in docs:
        lines = [t[:SIDE_CHARS] for t in d["text_lines"]]
        if len(lines) < 2:
            continue
        for _ in range(PER_DOC):
            k = rng.randint(1, len(lines) - 1)
            told = lines[:k][-TOLD:]
            r = rng.random()
            events = [s for s in by_topic[d["topic"]] if s != d["subtopic"]]
            if r < 1 / 3:
                out.append((told, lines[k:k + AFTER], "continuation"))
            elif r < 2 / 3 and events:
                other = rng.choice(by_topic[d["topic"]][rng.choice(events)])
                out.append((told, [t[:SIDE_CHARS] for t in other["text_lines"][:AFTER]], KINDS[0]))
            else:
                other = rng.choice([x for x in docs if x["topic"] != d["topic"]])
                out.append((told, [t[:SIDE_CHARS] for t in other["text_lines"][:AFTER]], KINDS[1]))
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v, axis=-1, keepdims=True) + 1e-12)


def _people_share(told: list[str], after: list[str]) -> list[float]:
    """Per pair: the share of the people (PER entities) after that the story so far has named (0.5: none after)."""
    told_e, after_e = (extract_entities_batch(texts, ["en"] * len(texts)) for texts in (told, after))
    out = []
    for t, a in zip(told_e, after_e):
        pa, pt = [e for e in a if e.label == "PER"], [e for e in t if e.label == "PER"]
        out.append(sum(any(e.key == f.key or names_match(e.text, f.text) for f in pt) for e in pa) / len(pa) if pa else 0.5)
    return out


def signals(ps, embed, tfidf, idf: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: the scalar signals (each larger for "another story") and the embedding-pair features."""
    scalars, pair = [], []
    people = _people_share([" ".join(t) for t, _, _ in ps], [" ".join(a) for _, a, _ in ps])
    for (told, after, _), known in zip(ps, people):
        u, v = _unit(_unit(embed(told)).mean(axis=0)), _unit(_unit(embed(after)).mean(axis=0))
        cos = float(u @ v)
        nt, na = _names(told), _names(after)
        names = len(na & nt) / len(na) if na else 0.5
        a, b = tfidf.transform([" ".join(told), " ".join(after)])
        words_t, words_a = set(_WORD.findall(" ".join(told).lower())), set(_WORD.findall(" ".join(after).lower()))
        rare = {w for w in words_a if idf.get(w, RARE_IDF + 1) > RARE_IDF}
        rare_share = len(rare & words_t) / len(rare) if rare else 0.5
        scalars.append([-cos, -names, -known, -float((a @ b.T).toarray()[0, 0]), -rare_share])
        pair.append(np.concatenate([u * v, np.abs(u - v), [cos]]))
    return np.array(scalars), np.array(pair)


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=0, help="use at most this many documents of each split (0: all)")
    ap.add_argument("--embedder", default=None, help="a registry name (default: the analysis embedder)")
    args = ap.parse_args()
    train, dev = load_docs("train"), load_docs("dev")
    if args.docs:
        train, dev = random.Random(0).sample(train, min(args.docs, len(train))), random.Random(0).sample(dev, min(args.docs, len(dev)))
    embed = CachedEmbed(args.embedder)
    tfidf = TfidfVectorizer(sublinear_tf=True, token_pattern=_WORD.pattern).fit([" ".join(d["text_lines"]) for d in train])
    idf = dict(zip(tfidf.get_feature_names_out(), tfidf.idf_))
    p_tr, p_dv = pairs(train, seed=1), pairs(dev, seed=2)
    s_tr, e_tr = signals(p_tr, embed, tfidf, idf)
    s_dv, e_dv = signals(p_dv, embed, tfidf, idf)
    y_tr = np.array([k != "continuation" for _, _, k in p_tr], dtype=int)
    kind = np.array([k for _, _, k in p_dv])
    pair_lr = LogisticRegression(C=1.0, max_iter=3000).fit(e_tr, y_tr)
    pair_tr, pair_dv = pair_lr.decision_function(e_tr), pair_lr.decision_function(e_dv)
    all_lr = LogisticRegression(max_iter=3000).fit(np.column_stack([s_tr, pair_tr]), y_tr)
    scores = {
        f"cosine of mean embeddings ({embed.name})": s_dv[:, 0],
        "logistic regression over the embedding pair": pair_dv,
        "share of names after that the story gave": s_dv[:, 1],
        "share of people after (spaCy) that the story named": s_dv[:, 2],
        "TF-IDF cosine": s_dv[:, 3],
        f"share of rare words after (IDF > {RARE_IDF:g}) that the story used": s_dv[:, 4],
        "logistic regression over all of these": all_lr.decision_function(np.column_stack([s_dv, pair_dv])),
    }
    rows, result = [], {}
    for name, s in scores.items():
        aucs = []
        for k in KINDS:
            sel = (kind == "continuation") | (kind == k)
            y = (kind[sel] == k).astype(int)
            aucs.append(float(roc_auc_score(y, s[sel])) if 0 < y.sum() < len(y) else float("nan"))
        rows.append([name, *aucs])
        result[name] = dict(zip(KINDS, aucs))
    counts = {k: int((kind == k).sum()) for k in ("continuation", *KINDS)}
    table(f"ROC AUC, another story against the story's own next lines (ECB+ dev: {counts['continuation']} continuations, "
          f"{counts[KINDS[0]]} same-topic, {counts[KINDS[1]]} other-topic; learned signals fitted on {len(p_tr)} train pairs)",
          ["signal", *KINDS], rows)
    save("story-change" if not args.docs else "story-change-smoke", {"auc": result, "pairs": counts})


if __name__ == "__main__":
    main()
