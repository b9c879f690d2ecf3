"""Entity matching across articles that tell the same story, on SemEval-2022 train pairs.

Samples 100 pairs with Overall <= 1.5, spread across language pairs (all de-en pairs
included), matches their entities, and writes a review listing
(benchmarks/results/entity_matching_review.txt: each pair's matches and the entities left
unmatched on each side). Hand judgments of that listing live in
benchmarks/data/entity_match_judgments.json: per judged pair, the matches judged wrong
and the entity pairs the matcher missed. Precision = 1 - wrong / matches, recall =
correct / (correct + missed), over the judged pairs.

    .venv/bin/python benchmarks/bench_entity_matching.py
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, RESULTS, need, save, table  # noqa: E402

from samestory import analyse_all, article_from_dict, clean_one, match_entities  # noqa: E402

JUDGMENTS = REPO / "benchmarks" / "data" / "entity_match_judgments.json"


def sample_pairs(n: int = 100, seed: int = 8) -> list[dict]:
    path = need(DATA / "semeval2022_task8" / "derived" / "hfl_sample_official_train_pairs.csv")
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if float(r["Overall"]) <= 1.5]
    by_lang = defaultdict(list)
    for r in rows:
        by_lang[f"{r['url1_lang']}-{r['url2_lang']}"].append(r)
    rng = random.Random(seed)
    chosen = list(by_lang.pop("de-en", []))
    pools = {k: rng.sample(v, len(v)) for k, v in sorted(by_lang.items())}
    while len(chosen) < n and any(pools.values()):
        for k in sorted(pools):
            if pools[k] and len(chosen) < n:
                chosen.append(pools[k].pop())
    return chosen


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=100, help="how many pairs to sample (100 for the reported figures)")
    args = ap.parse_args()
    pairs = sample_pairs(args.pairs)
    arts = []
    for r in pairs:
        a, b = r["pair_id"].split("_")
        arts += [clean_one(article_from_dict({"id": a, "text": r["text1"], "language": r["url1_lang"]})),
                 clean_one(article_from_dict({"id": b, "text": r["text2"], "language": r["url2_lang"]}))]
    ans = list(analyse_all(arts))
    RESULTS.mkdir(parents=True, exist_ok=True)
    review = []
    stats = defaultdict(lambda: [0, 0])  # language pair -> [pairs, matches]
    listing = {}
    for k, r in enumerate(pairs):
        m = match_entities(ans[2 * k], ans[2 * k + 1])
        lp = f"{r['url1_lang']}-{r['url2_lang']}"
        stats[lp][0] += 1
        stats[lp][1] += len(m.matched)
        listing[r["pair_id"]] = [[x.text, y.text] for x, y in m.matched]
        review.append(f"== {r['pair_id']} ({lp}, Overall {r['Overall']})")
        review += [f"  MATCH  {x.text!r} ~ {y.text!r}" for x, y in m.matched]
        review.append("  only A: " + "; ".join(e.text for e in m.only_a))
        review.append("  only B: " + "; ".join(e.text for e in m.only_b))
    (RESULTS / "entity_matching_review.txt").write_text("\n".join(review), encoding="utf-8")
    table("matched entities per pair (100 same-story SemEval pairs)", ["languages", "pairs", "matches/pair"],
          [[lp, n, m / n] for lp, (n, m) in sorted(stats.items())])
    result = {"pairs": len(pairs), "per_language_pair": {lp: {"pairs": n, "matches": m} for lp, (n, m) in stats.items()}}
    if JUDGMENTS.exists():
        judged = json.loads(JUDGMENTS.read_text())
        correct = wrong = missed = 0
        for pid, j in judged["pairs"].items():
            matches = [tuple(x) for x in listing.get(pid, [])]
            bad = {tuple(x) for x in j.get("wrong", [])}
            wrong += sum(1 for x in matches if x in bad)
            correct += sum(1 for x in matches if x not in bad)
            missed += len(j.get("missed", []))
        p = correct / max(1, correct + wrong)
        rec = correct / max(1, correct + missed)
        table(f"hand-checked pairs ({len(judged['pairs'])})", ["correct", "wrong", "missed", "precision", "recall"],
              [[correct, wrong, missed, p, rec]])
        result["hand_checked"] = {"pairs": len(judged["pairs"]), "correct": correct, "wrong": wrong, "missed": missed,
                                  "precision": p, "recall": rec}
    print(f"review listing: {(RESULTS / 'entity_matching_review.txt').relative_to(REPO)}")
    save("entity_matching" if args.pairs == 100 else "entity_matching-smoke", result)


if __name__ == "__main__":
    main()
