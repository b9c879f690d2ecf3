"""Rebuild the IDF table the event signature weighs rare words with (src/samestory/analysis/idf.json.gz).

    .venv/bin/python scripts/build_idf.py

Documents: the demo corpus (ECB+, English), the SemEval-2022 train texts (en, de, es, fr, pl, tr, ar) and the
gun-violence articles of the training side of its time split (the incidents first reported before its last twelve
weeks: the dev side stays unseen); the last two are read from ../shared/data and skipped where absent. Words are
folded (lower case, accents off, any script in Latin letters) runs of 3+ letters; IDF = ln((N + 1) / (df + 1)) + 1;
words in one document only are left out of the table (they take its ``unseen`` value).
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import sys
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"

from samestory.analysis.names import fold  # noqa: E402
from samestory.analysis.signature import _TOKEN, IDF_PATH  # noqa: E402
from samestory.clustering.training import dev_incidents  # noqa: E402


def documents():
    for line in (REPO / "demo" / "ecbplus.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        yield f"{d.get('title') or ''}\n{d['text']}"
    sem = DATA / "semeval2022_task8" / "derived" / "hfl_sample_official_train_pairs.csv"
    if sem.exists():
        seen = set()
        for r in csv.DictReader(sem.open(encoding="utf-8")):
            for k, aid in zip("12", r["pair_id"].split("_")):
                if aid not in seen:
                    seen.add(aid)
                    yield r[f"text{k}"]
    gv = DATA / "gun_violence" / "gva_articles.jsonl"
    if gv.exists():
        docs = [json.loads(line) for line in gv.open(encoding="utf-8")]
        held = dev_incidents([(str(d["incident"]), date.fromisoformat(d["published"][:10]) if d.get("published") else None) for d in docs])
        for d in docs:
            if str(d["incident"]) not in held:
                yield f"{d.get('title') or ''}\n{d.get('text') or ''}"


def main() -> int:
    df: Counter[str] = Counter()
    n = 0
    for text in documents():
        n += 1
        df.update({fold(t) for t in _TOKEN.findall(text)})
    idf = {t: round(math.log((n + 1) / (c + 1)) + 1, 3) for t, c in sorted(df.items()) if c >= 2}
    unseen = round(math.log((n + 1) / 2) + 1, 3)
    IDF_PATH.write_bytes(gzip.compress(json.dumps({"documents": n, "unseen": unseen, "idf": idf}, ensure_ascii=True).encode(), mtime=0))
    print(f"{n} documents, {len(idf)} words in the table, unseen IDF {unseen}; wrote {IDF_PATH} ({IDF_PATH.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
