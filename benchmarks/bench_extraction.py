"""HTML extraction and cleaning: trafilatura alone vs trafilatura + samestory's cleaning.

1. ScrapingHub article-extraction benchmark (121 pages here): word 4-gram shingle
   precision/recall/F1 of the body against the gold ``articleBody``, computed as the
   benchmark describes it (per-page TP/FP/FN normalised, P and R averaged over pages).
2. trafilatura's own evaluation set (990 pages): share of must-keep segments kept and
   of must-drop segments dropped.

Run: .venv/bin/python benchmarks/bench_extraction.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, need, save, table  # noqa: E402

from samestory import article_from_dict, load_settings  # noqa: E402
from samestory.cleaning import clean  # noqa: E402
from samestory.errors import InputError  # noqa: E402
from samestory.readers.html import extract_html  # noqa: E402

WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter:
    toks = WORD.findall(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1)))


def prf(golds: list[str], preds: list[str]) -> tuple[float, float, float]:
    ps, rs = [], []
    for gold, pred in zip(golds, preds):
        g, p = shingles(gold), shingles(pred)
        tp = sum((g & p).values())
        fp = sum(p.values()) - tp
        fn = sum(g.values()) - tp
        total = tp + fp + fn
        if total == 0:
            ps.append(1.0)
            rs.append(1.0)
            continue
        tp, fp, fn = tp / total, fp / total, fn / total
        if tp + fp > 0:
            ps.append(tp / (tp + fp))
        if tp + fn > 0:
            rs.append(tp / (tp + fn))
    p = sum(ps) / len(ps)
    r = sum(rs) / len(rs)
    return p, r, 2 * p * r / (p + r)


def cleaned(text: str, title: str | None, settings, stories: list[int] | None = None) -> str:
    """The cleaned body (all stories of the page joined); ``stories`` gets how many stories the page gave."""
    if not text.strip():
        return ""
    try:
        arts = clean(article_from_dict({"id": "x", "text": text, "title": title}), settings=settings)
    except InputError:
        return ""
    if stories is not None:
        stories.append(len(arts))
    return "\n\n".join(a.text for a in arts)


def scrapinghub(limit: int | None) -> dict:
    root = need(DATA / "scrapinghub_article_extraction_benchmark")
    gold = json.loads((root / "ground-truth.json").read_text())
    ids = sorted(gold)[:limit]
    settings = load_settings(overrides={"clean": {"segment": False}})
    settings_split = load_settings()
    golds, raw, ours, ours_split, stories = [], [], [], [], []
    t_extract = t_clean = 0.0
    for item in ids:
        html = gzip.decompress((root / "html" / f"{item}.html.gz").read_bytes()).decode("utf-8", "replace")
        t0 = time.perf_counter()
        found = extract_html(html, gold[item].get("url"))
        t1 = time.perf_counter()
        text, title = (found["text"], found["title"]) if found else ("", None)
        ours.append(cleaned(text, title, settings))
        t2 = time.perf_counter()
        ours_split.append(cleaned(text, title, settings_split, stories))
        t_extract += t1 - t0
        t_clean += t2 - t1
        golds.append(gold[item]["articleBody"])
        raw.append(text)
    rows = {}
    rows["trafilatura (samestory's call)"] = prf(golds, raw)
    rows["trafilatura + samestory clean"] = prf(golds, ours)
    rows["trafilatura + clean + split (all stories)"] = prf(golds, ours_split)
    for name in ("trafilatura", "rs_trafilatura", "newspaper", "readability_js", "AutoExtract"):
        path = root / "extractor_outputs" / f"{name}.json"
        data = json.loads(path.read_text())
        data = data.get("output", data)
        preds = [data.get(i, {}).get("articleBody") or "" for i in ids]
        rows[f"stored output: {name}"] = prf(golds, preds)
        if name in ("newspaper", "rs_trafilatura"):  # the cleaning over another extractor's output
            rows[f"stored {name} + samestory clean"] = prf(golds, [cleaned(p, None, settings) for p in preds])
    fast = resiliparse_rows(ids, root, golds, settings)
    rows.update(fast.pop("rows"))
    table(
        f"ScrapingHub article extraction ({len(ids)} pages): word 4-gram shingles",
        ["extractor", "precision", "recall", "F1"],
        [[k, *v] for k, v in rows.items()],
    )
    speed = {"pages": len(ids), "extract_pages_per_s": len(ids) / t_extract, "clean_pages_per_s": len(ids) / t_clean, **fast}
    print(f"speed: trafilatura {speed['extract_pages_per_s']:.1f} pages/s; cleaning {speed['clean_pages_per_s']:.1f} pages/s"
          + (f"; resiliparse {fast['resiliparse_pages_per_s']:.1f} pages/s" if fast else ""))
    split = sum(n > 1 for n in stories)
    print(f"pages split into several stories: {split} of {len(stories)} (one article per page: each split is a false one)")
    return {"scores": {k: dict(zip(("precision", "recall", "f1"), v)) for k, v in rows.items()}, "speed": speed,
            "split_pages": split, "pages": len(stories)}


#: resiliparse's main-content extraction as measured best on these pages (alt texts, bullets, noscript and comments
#: off; its paragraphs kept)
RESILIPARSE = {"main_content": True, "alt_texts": False, "preserve_formatting": True, "list_bullets": False,
               "noscript": False, "comments": False}


def resiliparse_rows(ids: list[str], root: Path, golds: list[str], settings) -> dict:
    """resiliparse (the C++ extractor of fastwarc's makers; a dev dependency) run here on the same pages, alone and
    under samestory's cleaning, and its pages/s: the fast peer. Nothing when it is not installed."""
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree
    except ImportError:
        print("resiliparse is not installed: its rows are left out")
        return {"rows": {}}
    pages = [gzip.decompress((root / "html" / f"{item}.html.gz").read_bytes()).decode("utf-8", "replace") for item in ids]
    t0 = time.perf_counter()
    preds = [extract_plain_text(HTMLTree.parse(html), **RESILIPARSE) for html in pages]
    took = time.perf_counter() - t0
    return {"rows": {"resiliparse (main content, run here)": prf(golds, preds),
                     "resiliparse + samestory clean": prf(golds, [cleaned(p, None, settings) for p in preds])},
            "resiliparse_pages_per_s": len(pages) / took}


def trafilatura_eval_html(limit: int | None = None) -> tuple[dict, dict[str, str]]:
    """The trafilatura evaluation set: its spec (must-keep / must-drop segments per page) and each page's HTML."""
    root = need(DATA / "trafilatura_eval")
    spec = json.loads((root / "evaldata.json").read_text())
    names = sorted(spec)[:limit]
    pages = {}
    with tarfile.open(root / "eval_html.tar.xz") as tar:
        members = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
        for name in names:
            member = members.get(Path(spec[name].get("file", name)).name) or members.get(Path(name).name)
            if member is None:
                continue
            data = tar.extractfile(member).read()
            if member.name.endswith(".gz"):
                data = gzip.decompress(data)
            pages[name] = data.decode("utf-8", "replace")
    return spec, pages


def trafilatura_eval(limit: int | None) -> dict:
    spec, pages = trafilatura_eval_html(limit)
    settings = load_settings(overrides={"clean": {"segment": False}})
    settings_split = load_settings()
    stories: list[int] = []
    counts = {"trafilatura": [0, 0, 0, 0], "trafilatura + clean": [0, 0, 0, 0]}  # keep hit, keep n, drop hit, drop n
    for name, html in pages.items():
        found = extract_html(html)
        text = found["text"] if found else ""
        variants = {"trafilatura": text, "trafilatura + clean": cleaned(text, found and found["title"], settings)}
        cleaned(text, found and found["title"], settings_split, stories)
        norm = {k: " ".join(v.split()) for k, v in variants.items()}
        for key, out in norm.items():
            c = counts[key]
            for seg in spec[name].get("with", []):
                c[1] += 1
                c[0] += " ".join(seg.split()) in out
            for seg in spec[name].get("without", []):
                c[3] += 1
                c[2] += " ".join(seg.split()) not in out
    rows = [[k, c[0] / max(1, c[1]), c[2] / max(1, c[3])] for k, c in counts.items()]
    table(
        f"trafilatura evaluation set ({len(pages)} pages): segments",
        ["extractor", "must-keep kept", "must-drop dropped"],
        rows,
    )
    split = sum(n > 1 for n in stories)
    print(f"pages split into several stories: {split} of {len(stories)} (pages of one article or post: a split is most likely false;"
          " the boundary model is trained on these pages as negatives, so this figure is in-sample)")
    return {"pages": len(pages), "scores": {r[0]: {"keep": r[1], "drop": r[2]} for r in rows}, "split_pages": split}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="only the first N pages of each set (smoke runs)")
    args = ap.parse_args()
    result = {"scrapinghub": scrapinghub(args.limit), "trafilatura_eval": trafilatura_eval(args.limit)}
    save("extraction" if args.limit is None else "extraction-smoke", result)


if __name__ == "__main__":
    main()
