"""Analysis throughput on this machine: articles/s end to end and per stage, peak memory.

Corpora: the ECB+ demo corpus (English) and the SemEval-2022 train texts (en, de, es, fr,
pl, tr, ar; skipped where ../shared is absent). Entity backends side by side: "models"
(spaCy en/fr/es, natasha, jieba; rules elsewhere) and "rules" (every language), and the
entity truncation (characters of body given to NER).

    .venv/bin/python benchmarks/bench_analysis.py [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, REPO, peak_rss_mb, save, table  # noqa: E402

from samestory import StageTimes, analyse_all, article_from_dict, load_settings  # noqa: E402


def corpora(limit: int | None) -> dict[str, list]:
    out = {"ECB+ demo (en)": [article_from_dict(json.loads(l)) for l in (REPO / "demo" / "ecbplus.jsonl").open()][:limit]}
    path = DATA / "semeval2022_task8" / "derived" / "hfl_sample_official_train_pairs.csv"
    if path.exists():
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        arts, seen = [], set()
        for r in rows:
            for k in ("1", "2"):
                aid = r["pair_id"].split("_")[int(k) - 1]
                if aid not in seen:
                    seen.add(aid)
                    arts.append(article_from_dict({"id": aid, "text": r[f"text{k}"], "language": r[f"url{k}_lang"]}))
        out["SemEval train texts (7 languages)"] = arts[:limit]
    return out


def run(arts, ner: str, ner_chars: int, sentences: int | None = None) -> tuple[float, StageTimes]:
    analyse = {"ner": ner, "ner_chars": ner_chars, **({"max_sentences": sentences} if sentences else {})}
    settings = load_settings(overrides={"analyse": analyse})
    warm = {a.language: a for a in arts}  # one article per language: every model loads outside the timing
    list(analyse_all(list(warm.values()) + arts[:8], settings=settings))
    times = StageTimes()
    t0 = time.perf_counter()
    n = sum(1 for _ in analyse_all(arts, settings=settings, times=times))
    return n / (time.perf_counter() - t0), times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    rows, result = [], {}
    for name, arts in corpora(args.limit).items():
        # the last: the lean settings of the README's stream rows (ECB+ clustering as good as the defaults)
        for ner, chars, sentences in (("models", 4000, None), ("models", 1500, None), ("rules", 4000, None), ("models", 1500, 8)):
            rate, times = run(arts, ner, chars, sentences)
            total = sum(times.values())  # stage seconds, summed over the worker processes
            share = {k: v / total for k, v in times.items()}
            label = f"{ner}, {chars} chars" + (f", {sentences} sentences" if sentences else "")
            rows.append([name, label, len(arts), rate, f"{1000 * total / len(arts):.1f}",
                         *(f"{share.get(k, 0):.0%}" for k in ("language", "embeddings", "entities", "dates+numbers", "signature", "minhash"))])
            result[f"{name} | {label}"] = {"articles": len(arts), "per_s": rate, "stage_seconds": dict(times)}
    table("analysis throughput (analysis workers as analyse.workers sets them: one per core)",
          ["corpus", "entities", "articles", "articles/s", "stage ms/article (all processes)", "language", "embeddings", "entities", "dates+numbers", "signature", "minhash"], rows)
    print(f"peak memory: {peak_rss_mb():.0f} MB")
    result["peak_rss_mb"] = peak_rss_mb()
    save("analysis" if args.limit is None else "analysis-smoke", result)


if __name__ == "__main__":
    main()
