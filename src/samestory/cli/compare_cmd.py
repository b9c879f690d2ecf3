"""samestory compare: score two articles the way SemEval-2022 annotators did, and say why."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from itertools import product

from ..articles import article_from_dict
from ..cleaning import clean_one
from ..errors import InputError
from ..pipeline import read_articles
from ..readers import ReadReport
from ..records import Article, PairScore
from ..scoring import DIMENSIONS, compare_many
from ._common import finish_read, progress, settings_from, write_json_line

HELP = "score two articles (1 = very similar .. 4 = very dissimilar, 7 dimensions) and explain; or a JSONL of pairs"
_MAX_ARTICLES = 20
_WORDS = {1: "very similar", 2: "somewhat similar", 3: "somewhat dissimilar", 4: "very dissimilar"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help=HELP, description=HELP + ". With two sources, every article of A is compared "
                       "with every article of B (a page that splits into stories gives one line per story).")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="A and B: files (or - for stdin JSONL)")
    p.add_argument("--pairs", metavar="PAIRS.jsonl", help='batch: lines {"id": ..., "a": ARTICLE, "b": ARTICLE}')
    p.add_argument("--json", action="store_true", help="print PairScore JSON instead of the readable verdict")
    p.add_argument("--encoding", help="force the encoding of text and HTML files")
    p.set_defaults(run=run)


def _first(articles: list[Article], what: str) -> list[Article]:
    if not articles:
        raise InputError(f"no article could be read from {what}", code="SS108")
    return articles[:_MAX_ARTICLES]


def _verdict(score: PairScore) -> str:
    if score.overall is None:
        return f"{score.a}  vs  {score.b}\n  UNKNOWN: {score.unknown}"
    word = _WORDS[min(4, max(1, round(score.overall)))]
    head = "SAME STORY" if score.same_story else "DIFFERENT STORIES"
    lines = [f"{score.a}  vs  {score.b}", f"  {head} (p={score.probability:.2f}); overall {score.overall:.2f} ({word})",
             "  " + ", ".join(f"{d} {getattr(score, d):.2f}" for d in DIMENSIONS[1:])]
    ex = score.explanation
    if ex is not None:
        if ex.evidence:
            lines.append("  evidence: " + "; ".join(ex.evidence))
        if ex.matched_entities:
            lines.append("  shared entities: " + "; ".join(a if a == b else f"{a} = {b}" for a, b, _ in ex.matched_entities[:12]))
        if ex.only_a_entities or ex.only_b_entities:
            lines.append(f"  only in A: {'; '.join(ex.only_a_entities[:8]) or '-'}")
            lines.append(f"  only in B: {'; '.join(ex.only_b_entities[:8]) or '-'}")
        if ex.shared_countries or ex.only_a_countries or ex.only_b_countries:
            lines.append(f"  places: shared {', '.join(ex.shared_countries) or '-'}; only A {', '.join(ex.only_a_countries) or '-'}; "
                         f"only B {', '.join(ex.only_b_countries) or '-'}")
        if ex.shared_days or ex.only_a_days or ex.only_b_days:
            lines.append(f"  dates: shared {', '.join(map(str, ex.shared_days)) or '-'}; only A {', '.join(map(str, ex.only_a_days)) or '-'}; "
                         f"only B {', '.join(map(str, ex.only_b_days)) or '-'}")
        for sa, sb, s in ex.aligned_sentences[:3]:
            lines.append(f"  aligned ({s:.2f}): A «{sa[:110]}» ~ B «{sb[:110]}»")
        for label, sents in (("only A reports", ex.only_a_sentences), ("only B reports", ex.only_b_sentences)):
            for sent in sents[:2]:
                lines.append(f"  {label}: «{sent[:160]}»")
    return "\n".join(lines)


def _pair_lines(path: str, report: ReadReport):
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict) or "a" not in obj or "b" not in obj:
                    raise InputError('a pair line needs "a" and "b" (articles in the Article JSON form)', code="SS109")
                a, b = (clean_one(article_from_dict(obj[k])) for k in ("a", "b"))
            except json.JSONDecodeError as exc:
                report.skip(where, f"malformed JSON ({exc.msg}); line skipped", "SS105")
                continue
            except InputError as exc:
                report.skip(where, f"{exc.message}; line skipped", exc.code)
                continue
            report.articles += 2
            yield obj.get("id", where), (a, b)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = ReadReport()
    if args.pairs:
        if args.sources:
            raise InputError("give either two sources or --pairs, not both", code="SS109")
        report.files += 1
        items = list(_pair_lines(args.pairs, report))
        with progress("scoring pairs", quiet=args.quiet, total=len(items)) as advance:
            scores = compare_many((pair for _, pair in items), settings=settings)
            for (pid, _), score in zip(items, scores):
                out = {"id": pid, **{k: v for k, v in asdict(score).items() if k not in ("explanation", "a", "b")}}
                write_json_line(out)
                advance(1)
        finish_read(report, quiet=args.quiet)
        return 0
    if len(args.sources) != 2:
        raise InputError("compare needs two sources, A and B (or --pairs PAIRS.jsonl)", code="SS109")
    side_a = _first(list(read_articles(args.sources[0], settings=settings, report=report)), args.sources[0])
    side_b = _first(list(read_articles(args.sources[1], settings=settings, report=report)), args.sources[1])
    for score in compare_many(product(side_a, side_b), settings=settings, explanation=True):
        if args.json:
            write_json_line(asdict(score))
        else:
            print(_verdict(score) + "\n")
    return 0
