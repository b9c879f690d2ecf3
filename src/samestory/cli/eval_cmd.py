"""samestory eval: measure samestory on your own labels (stories or pair scores)."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError
from ..evaluate import cluster_scores, pair_correlations, read_gold, stories_assignment
from ..store import open_store
from ._common import add_db_option, settings_from

HELP = "measure the stories (BCubed, pairwise precision/recall) or the pair scores (Pearson) against your labels"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help=HELP, description=HELP + ". LABELS.csv has columns article,story (article id -> gold "
                       "story) or a,b,score (gold Overall on the SemEval scale, 1 = very similar .. 4).")
    p.add_argument("--gold", required=True, metavar="LABELS.csv", help="the labels")
    p.add_argument("--stories", metavar="FILE", help="measure a 'samestory cluster' output instead of the store's stories")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    kind, gold = read_gold(args.gold)
    if kind == "stories":
        if args.stories:
            pred = stories_assignment(args.stories)
        else:
            with open_store(settings=settings, create=False) as store:
                pred = {row["article"]: row["story"] for row in store.iter_assignments()}
        s = cluster_scores(pred, gold)
        out = {"articles": s.articles, "missing": s.missing, "gold_stories": s.gold_stories, "stories": s.stories,
               "bcubed": dict(zip(("precision", "recall", "f1"), s.bcubed)),
               "pairwise": dict(zip(("precision", "recall", "f1"), s.pairwise))}
        if args.json:
            print(json.dumps(out))
            return 0
        print(f"{s.articles} labelled articles measured ({s.missing} not found), {s.gold_stories} gold stories, {s.stories} stories")
        for name, (p, r, f) in (("BCubed", s.bcubed), ("pairwise", s.pairwise)):
            print(f"{name:<9} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
        return 0
    if args.stories:
        raise InputError("pair labels are scored from the store's articles: give --db, not --stories", code="SS109")
    return _pairs(gold, settings, args.json)


def _pairs(gold: list[tuple[str, str, float]], settings, as_json: bool) -> int:
    from ..pipeline import stored_analyses
    from ..scoring import compare_many

    with open_store(settings=settings, create=False) as store:
        found = stored_analyses(store, sorted({x for a, b, _ in gold for x in (a, b)}), settings=settings)
    usable = [(a, b, g) for a, b, g in gold if a in found and b in found]
    if not usable:
        raise InputError("none of the labelled pairs has both articles in the store (check the ids)", code="SS103")
    scores = list(compare_many([(found[a], found[b]) for a, b, _ in usable], settings=settings))
    kept = [(s, g, f"{found[a].language}-{found[b].language}") for s, (a, b, g) in zip(scores, usable) if s.overall is not None]
    table = pair_correlations([s.overall for s, _, _ in kept], [g for _, g, _ in kept], [lang for _, _, lang in kept])
    out = {"pairs": len(gold), "scored": len(kept), "unknown": len(usable) - len(kept), "missing": len(gold) - len(usable),
           "pearson_overall": {k: {"pairs": n, "r": r} for k, (n, r) in table.items()}}
    if as_json:
        print(json.dumps(out))
        return 0
    print(f"{len(kept)} pairs scored ({out['missing']} with an article not in the store, {out['unknown']} unknown: site furniture)")
    for name, (n, r) in table.items():
        print(f"Pearson(Overall) {name:<8} {r:6.3f}  ({n} pairs)")
    sys.stdout.flush()
    return 0
