"""Story segmentation on pages built from ECB+: false splits, missed splits, Pk.

Pages hold 1-3 stories (a second story from another topic, or from the same topic
but a different event), each rendered as a scraped page renders it: headline (when
the document has one; sometimes printed twice), photo captions with agency credits,
a site marker, then the body; or, a quarter of the stories with a headline, as a wire brief
(the headline right above a text opening with a dateline, "ROTTERDAM, Netherlands (Courier) — ",
no photo: a "World briefs" page). Half of the stories (on single- and multi-story pages)
also get a photo inside the article, after its first paragraph or anywhere further
down, its caption about any sentence of the article and, a third of the time, a site
marker ("Advertisement", "AP") beside it: the cases that must not split.

The boundary model is trained and its threshold chosen on pages from the train
split and on real one-article pages (``scripts/train_segmenter.py``, which uses
``make_pages``, ``real_pages`` and ``collect`` from here); figures are reported on the
dev split.

    .venv/bin/python benchmarks/bench_segmentation.py [--pages N] [--also P ...]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import DATA, need, save, table  # noqa: E402

from samestory import get_embedder, load_settings  # noqa: E402
from samestory.cleaning import _kinds, _lines  # noqa: E402
from samestory.cleaning.segmenter import embed_once, is_date_text, load_boundary_model, model_decision, segment  # noqa: E402

PHOTOGRAPHERS = ["Nick Ut", "Mario Anzuoni", "Lucy Nicholson", "Mike Blake", "Jae C. Hong", "Carlos Barria"]
MARKERS = ["TT", "AP", "Advertisement", "***"]
WIRE = 0.25  # stories rendered as wire briefs (train and dev pages alike)


def _caption(rng: random.Random, doc: dict, anywhere: bool = False) -> str:
    """A photo caption about one of the first sentences (a story's top photo) or, ``anywhere``, any sentence."""
    pool = doc["sentences"] if anywhere else doc["sentences"][: max(1, min(6, len(doc["sentences"])))]
    sent = rng.choice(pool).rstrip(".")
    words = " ".join(sent.split()[:14])
    style = rng.randrange(3)
    who = rng.choice(PHOTOGRAPHERS)
    if style == 0:
        return f"{words}. (AP Photo/{who})"
    if style == 1:
        return f"FILE PHOTO: {words}. REUTERS/{who}"
    return f"{words}. {who}/Pool via Reuters"


WIRE_PLACES = ["WASHINGTON", "LONDON, England", "PARIS", "NEW YORK", "LOS ANGELES", "BERLIN", "ROTTERDAM, Netherlands",
               "PIRAEUS, Greece", "ANKARA", "LIMA, Peru", "SYDNEY", "CHICAGO", "MADRID", "TOKYO"]
WIRE_AGENCIES = ["Reuters", "AP", "AFP", "dpa", "Courier", "Tribune"]


def wire_brief(rng: random.Random, doc: dict) -> list[str]:
    """A wire brief's lines: the headline right above a dateline-opened text ("ROTTERDAM, Netherlands (Courier) — ..."),
    no photo and no marker; a wire brief prints no date line of its own (the dateline stands for it)."""
    body = list(doc["text_lines"])
    while len(body) > 1 and is_date_text(body[0]):
        body.pop(0)
    body[0] = f"{rng.choice(WIRE_PLACES)} ({rng.choice(WIRE_AGENCIES)}) {rng.choice(['—', '-', '–'])} {body[0]}"
    return [doc["title"], *body]


def render(rng: random.Random, doc: dict, first: bool, wire: float = 0.0) -> tuple[list[str], int]:
    """Lines of one story, and how many header lines (title, captions, markers) precede its body; ``wire``: the share
    of stories with a headline that are rendered as wire briefs (``wire_brief``)."""
    head: list[str] = []
    title = doc.get("title")
    if wire and title and doc["text_lines"] and rng.random() < wire:
        return wire_brief(rng, doc), 1
    caps = [_caption(rng, doc) for _ in range(rng.randint(1, 2))]
    if title:
        head.append(title)
    head += caps
    if rng.random() < 0.6:
        head.append(rng.choice(MARKERS))
    if title and rng.random() < 0.4:
        head += [title, *caps]  # the template prints headline and captions twice
    body = list(doc["text_lines"])
    return head + body, len(head)


def make_pages(docs: list[dict], n: int, seed: int, wire: float = 0.0) -> list[dict]:
    rng = random.Random(seed)
    by_topic: dict[int, dict[str, list[dict]]] = {}
    for d in docs:
        by_topic.setdefault(d["topic"], {}).setdefault(d["subtopic"], []).append(d)
    pages = []
    for _ in range(n):
        k = rng.choices([1, 2, 3], weights=[0.4, 0.35, 0.25])[0]
        story = [rng.choice(docs)]
        while len(story) < k:
            prev = story[-1]
            if rng.random() < 0.5:  # same topic, another event
                other = [s for s in by_topic[prev["topic"]] if s != prev["subtopic"]]
                story.append(rng.choice(by_topic[prev["topic"]][other[0]]))
            else:
                story.append(rng.choice([d for d in docs if d["topic"] != prev["topic"]]))
        lines: list[str] = []
        bounds: list[tuple[int, int, bool]] = []  # (first line of the story, first body line, has a headline)
        for j, doc in enumerate(story):
            rendered, n_head = render(rng, doc, j == 0, wire)
            if rng.random() < 0.5 and len(rendered) - n_head > 2:
                # a photo inside the article: after its first paragraph, or anywhere further down
                body = len(rendered) - n_head
                mid = n_head + (1 if rng.random() < 0.5 else rng.randrange(2, body))
                noise = [_caption(rng, doc, anywhere=True)]
                if rng.random() < 0.33:
                    noise.insert(rng.randrange(2), rng.choice(MARKERS))
                rendered = rendered[:mid] + noise + rendered[mid:]
            if j:
                bounds.append((len(lines), len(lines) + n_head, bool(doc.get("title"))))
            lines += rendered
        same_topic = [story[j]["topic"] == story[j - 1]["topic"] for j in range(1, k)]  # per boundary
        pages.append({"lines": lines, "bounds": bounds, "n": k, "same_topic": same_topic})
    return pages


def real_pages(limit: int | None = None) -> list[dict]:
    """Pages of one article or post each (the trafilatura evaluation set, extracted as ``clean`` extracts HTML), as
    pages without boundaries: any split is a false one. Those too short to be segmented are left out."""
    from bench_extraction import trafilatura_eval_html

    from samestory.cleaning import NOISE, _normalise
    from samestory.readers.html import extract_html

    max_chars = load_settings().clean.max_chars
    pages = []
    for html in trafilatura_eval_html(limit)[1].values():
        found = extract_html(html)
        lines = _lines(_normalise(found["text"], max_chars)[0]) if found else []
        if sum(k not in NOISE for k in _kinds(lines)) > 2:
            pages.append({"lines": lines, "bounds": [], "n": 1, "same_topic": []})
    return pages


def load_docs(split: str) -> list[dict]:
    """The split's ECB+ documents; an ECB+ (second part) document's first line that is no sentence is its title. A
    date line above it is the page's date, not a title: it is printed below the headline, as news sites print it."""
    path = need(DATA / "ecbplus" / "derived" / "ecbplus_documents.jsonl")
    docs = []
    for line in path.open():
        r = json.loads(line)
        if r["split"] != split:
            continue
        sents = list(r["sentences"])
        dates = []
        while len(sents) > 1 and r["corpus_part"] == "ecbplus" and is_date_text(sents[0]):
            dates.append(sents.pop(0))
        title = sents[0] if r["corpus_part"] == "ecbplus" and sents and sents[0][-1:] not in ".!?\"”" and len(sents[0]) < 160 else None
        docs.append({**r, "title": title, "text_lines": dates + (sents[1:] if title else sents)})
    return docs


class CachedEmbed:
    """An embedder (a registry name; default the analysis one) that embeds each text once over all pages."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name or load_settings().analyse.embedder
        self._embed = embed_once(get_embedder(self.name).embed)

    def __call__(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)


def pk(true_b: list[int], pred_b: list[int], n: int, k: int) -> float:
    """Beeferman's Pk over line positions (boundary = index where a new segment starts)."""
    if n <= k:
        return 0.0

    def seg_ids(bs: list[int]) -> list[int]:
        ids, cur, bset = [], 0, set(bs)
        for i in range(n):
            if i in bset:
                cur += 1
            ids.append(cur)
        return ids

    t, p = seg_ids(true_b), seg_ids(pred_b)
    errs = sum((t[i] == t[i + k]) != (p[i] == p[i + k]) for i in range(n - k))
    return errs / (n - k)


def page_lines(page: dict) -> tuple[list[str], list[str]]:
    """The page's lines and their kinds as ``clean`` makes them (kept on the page: a page is segmented many times)."""
    if "_lines" not in page:
        lines = _lines("\n".join(page["lines"]))
        page["_lines"] = (lines, _kinds(lines))
    return page["_lines"]


def true_bound(page: dict, b: int) -> int | None:
    """The page's boundary that a split at line b finds (its header spans lines lo..hi), if any."""
    return next((t for t, (lo, hi, _) in enumerate(page["bounds"]) if lo <= b <= hi), None)


def collect(pages: list[dict], embed, lead) -> tuple[list[list[float]], list[int]]:
    """The boundary candidates of the pages, decided by the truth (so that each page is walked as a perfect
    segmenter walks it), as feature vectors and labels: training data for the boundary model."""
    X, y = [], []
    for page in pages:
        lines, kinds = page_lines(page)

        def oracle(i: int, c) -> tuple[bool, float]:
            label = true_bound(page, i) is not None
            X.append(c.vector())
            y.append(int(label))
            return label, float(label)

        segment(lines, kinds, embed=embed, decide=oracle, lead=lead)
    return X, y


def evaluate(pages: list[dict], embed, decide=None, lead=None) -> dict:
    false_pages = false_bounds = missed = true_total = 0
    by_kind = {(topic, titled): [0, 0] for topic in ("other topic", "same topic") for titled in (True, False)}  # missed, total
    pks = []
    single = [p for p in pages if p["n"] == 1]
    for page in pages:
        lines, kinds = page_lines(page)
        segs = segment(lines, kinds, embed=embed, decide=decide, lead=lead)
        pred = [s.start for s in segs[1:]]
        hits = set()
        wrong = 0
        for b in pred:
            match = true_bound(page, b)
            if match is None or match in hits:
                wrong += 1
            else:
                hits.add(match)
        false_bounds += wrong
        false_pages += wrong > 0
        missed += len(page["bounds"]) - len(hits)
        for t, (_, _, titled) in enumerate(page["bounds"]):
            cell = by_kind["same topic" if page["same_topic"][t] else "other topic", titled]
            cell[0] += t not in hits
            cell[1] += 1
        true_total += len(page["bounds"])
        seg_len = len(lines) / (len(page["bounds"]) + 1)
        pks.append(pk([lo for lo, _, _ in page["bounds"]], pred, len(lines), max(2, int(seg_len / 2))))
    by_headline = {"with_headline": [0, 0], "without_headline": [0, 0]}  # both topics together
    for (_, titled), (m, n) in by_kind.items():
        cell = by_headline["with_headline" if titled else "without_headline"]
        cell[0] += m
        cell[1] += n
    return {
        "pages": len(pages),
        "falsely_split_pages": false_pages,
        "boundaries": true_total,
        "missed": missed,
        "single_story_pages": len(single),
        "false_split_rate": false_pages / len(pages),
        "false_splits_per_boundary_slot": false_bounds / max(1, sum(len(p["lines"]) for p in pages)),
        "missed_split_rate": missed / max(1, true_total),
        "pk": float(np.mean(pks)),
        **{name: {"missed_split_rate": m / max(1, n), "boundaries": n} for name, (m, n) in by_headline.items()},
        "missed_by_boundary": {f"{t}, {'headline' if titled else 'no headline'}": {"missed": m, "boundaries": n}
                               for (t, titled), (m, n) in by_kind.items()},
    }


def _interval(k: int, n: int) -> tuple[float, float]:
    """The 95% Wilson interval of a rate of k in n: how far another draw of pages may move it."""
    from scipy.stats import binomtest

    ci = binomtest(k, max(1, n)).proportion_ci(method="wilson")
    return float(ci.low), float(ci.high)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--also", type=float, nargs="*", default=[], metavar="P",
                    help="also report the packaged model at these thresholds (for reading only: the threshold is "
                         "chosen on held-out train pages by scripts/train_segmenter.py)")
    ap.add_argument("--wire", type=float, default=WIRE, metavar="SHARE",
                    help=f"share of stories with a headline rendered as wire briefs (default {WIRE}; 0: the pages of "
                         "earlier runs, every story with captions)")
    args = ap.parse_args()
    embed = CachedEmbed(load_boundary_model().embedder)
    threshold = load_settings().clean.boundary_probability
    dev = make_pages(load_docs("dev"), args.pages, seed=2, wire=args.wire)
    t0 = time.perf_counter()
    rows, result = [], {}
    configs = [
        (f"boundary model, p >= {threshold} (packaged)", embed, model_decision(threshold)),
        *((f"boundary model, p >= {t} (not the chosen threshold)", embed, model_decision(t)) for t in args.also),
        ("structure only (no embeddings)", None, None),
    ]
    for name, emb, decide in configs:
        r = evaluate(dev, emb, decide)
        rows.append([name, r["false_split_rate"], r["missed_split_rate"], r["pk"],
                     r["with_headline"]["missed_split_rate"], r["without_headline"]["missed_split_rate"]])
        result[name] = r
    elapsed = time.perf_counter() - t0
    table(f"dev pages ({len(dev)}, {sum(p['n'] == 1 for p in dev)} single-story), ECB+ dev split",
          ["setting", "false-split rate", "missed-split rate", "Pk", "missed (headline)", "missed (no headline)"], rows)
    r = result[configs[0][0]]
    table("missed boundaries by kind (packaged model): the next story from another topic or the same topic (another event)",
          ["boundary", "missed", "of", "rate"],
          [[k, c["missed"], c["boundaries"], c["missed"] / max(1, c["boundaries"])] for k, c in r["missed_by_boundary"].items()])
    lo_f, hi_f = _interval(r["falsely_split_pages"], r["pages"])
    lo_m, hi_m = _interval(r["missed"], r["boundaries"])
    print(f"95% intervals of the packaged model (Wilson; {r['pages']} pages, {r['boundaries']} boundaries): "
          f"false splits {lo_f:.3f}-{hi_f:.3f}, missed splits {lo_m:.3f}-{hi_m:.3f}")
    print("goals: false splits <= 0.01, missed splits <= 0.05")
    save("segmentation" if args.pages >= 100 else "segmentation-smoke", {"dev": result, "seconds": elapsed})


if __name__ == "__main__":
    main()
