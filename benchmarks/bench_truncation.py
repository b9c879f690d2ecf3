"""What embedding truncation costs: zero-shot Pearson of document-vector cosine vs SemEval Overall.

For each ``analyse.max_sentences`` (sentences embedded per article), the document vector
(mean of title, lead and chunk vectors) of both articles of the 1,464 SemEval-2022 train
pairs, and Pearson of their cosine with -Overall (1 = very similar, so negated), with the
articles/s of the embedding step.

    .venv/bin/python benchmarks/bench_truncation.py [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, need, save, table  # noqa: E402

from samestory import get_embedder, load_settings  # noqa: E402
from samestory.analysis.vectors import embed_articles, sentences_of  # noqa: E402
from samestory.articles import make_article  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    path = need(DATA / "semeval2022_task8" / "derived" / "hfl_sample_official_train_pairs.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))[: args.limit]
    gold = -np.array([float(r["Overall"]) for r in rows])
    embed = get_embedder(load_settings().analyse.embedder).embed
    out, result = [], {}
    for max_sent in (2, 4, 8, 16, 64):
        arts = [make_article(r[f"text{k}"]) for r in rows for k in ("1", "2")]
        t0 = time.perf_counter()
        vecs = []
        for i in range(0, len(arts), 64):
            part = arts[i : i + 64]
            vecs += embed_articles(part, [sentences_of(a.text, max_sentences=max_sent) for a in part], embed)
        rate = len(arts) / (time.perf_counter() - t0)
        cos = np.array([float(vecs[2 * i]["doc"] @ vecs[2 * i + 1]["doc"]) for i in range(len(rows))])
        r = float(np.corrcoef(cos, gold)[0, 1])
        out.append([max_sent, r, rate])
        result[str(max_sent)] = {"pearson_overall": r, "articles_per_s": rate}
    table(f"document-vector cosine vs -Overall, {len(rows)} SemEval train pairs (zero-shot)",
          ["max sentences", "Pearson", "articles/s (embedding)"], out)
    save("truncation" if args.limit is None else "truncation-smoke", result)


if __name__ == "__main__":
    main()
