"""Build demo/ecbplus.jsonl, the bundled demo corpus, from ECB+ (CC BY 3.0).

Reads ../shared/data/ecbplus/derived/ecbplus_documents.jsonl (train and dev
splits only) and writes one article per line in samestory's Article JSON form:
id, title (the first line, when it reads like a headline), text, url and source
(ECB+ part only), published (from the URL or a date line near the top, when
either gives one), and the gold labels under meta (topic, subtopic) so that
demos and benchmarks can score themselves. Rerun:

    .venv/bin/python scripts/build_demo_corpus.py [--src PATH] [--out demo/ecbplus.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
URL_DATE = re.compile(r"/(20\d\d|19\d\d)[/-](\d\d?|[a-z]{3})[a-z]*[/-](\d\d?)(?:/|$|[^0-9])", re.I)
URL_YYYYMMDD = re.compile(r"(?<!\d)(20\d\d)(\d\d)(\d\d)(?!\d)")
TEXT_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b", re.I)
TEXT_DATE_DMY = re.compile(
    r"\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b", re.I)


def _day(y: str, m: str, d: str) -> date | None:
    month = MONTHS.get(m[:3].lower()) if m.isalpha() else int(m)
    try:
        return date(int(y), month, int(d)) if month else None
    except ValueError:
        return None


def published_of(url: str | None, lines: list[str]) -> date | None:
    if url:
        path = urlsplit(url).path
        if m := URL_DATE.search(path):
            if found := _day(*m.groups()):
                return found
        if m := URL_YYYYMMDD.search(path):
            if found := _day(*m.groups()):
                return found
    for line in lines[:4]:
        m = TEXT_DATE.search(line)
        found = m and _day(m.group(3), m.group(1), m.group(2))
        if not m and (m := TEXT_DATE_DMY.search(line)):
            found = _day(m.group(3), m.group(2), m.group(1))
        # a date line ("May 03, 2013", "Updated: May 24, 2005, 3: 23 PM ET"), not a date inside a sentence
        if m and found and len(line) - len(m.group(0)) <= 30:
            return found
    return None


def is_headline(line: str) -> bool:
    return 10 <= len(line) <= 200 and line[-1] not in ".!?:;,\"”" and not TEXT_DATE.search(line) and not TEXT_DATE_DMY.search(line)


def convert(row: dict) -> dict:
    lines = row["sentences"]
    url = row.get("source_url") or None
    out: dict = {"id": "ecb/" + row["doc_name"].removesuffix(".xml")}
    text_lines = lines
    if row["corpus_part"] == "ecbplus" and lines and is_headline(lines[0]):
        out["title"] = lines[0]
        text_lines = lines[1:]
    if url:
        out["url"] = url
        host = urlsplit(url).hostname or ""
        out["source"] = host.removeprefix("www.")
    if day := published_of(url, lines):
        out["published"] = day.isoformat()
    out["text"] = "\n".join(text_lines)
    out["language"] = "en"
    out["meta"] = {"corpus": "ECB+", "topic": row["topic"], "subtopic": row["subtopic"], "split": row["split"]}
    return out


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", default=str(here.parent / "shared/data/ecbplus/derived/ecbplus_documents.jsonl"))
    ap.add_argument("--out", default=str(here / "demo/ecbplus.jsonl"))
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.src, encoding="utf-8")]
    rows = [r for r in rows if r["split"] in ("train", "dev")]
    rows.sort(key=lambda r: (r["topic"], r["doc_name"]))
    dated = titled = 0
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in rows:
            art = convert(row)
            dated += "published" in art
            titled += "title" in art
            fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} articles to {args.out} ({titled} with titles, {dated} with dates)")


if __name__ == "__main__":
    main()
