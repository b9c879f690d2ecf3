"""samestory cluster: group articles into stories (batch) and write one JSON line per story."""

from __future__ import annotations

import argparse
import json
import sys

from ..analysis import analyse_all
from ..clustering import cluster, story_to_dict
from ..pipeline import read_articles
from ..readers import ReadReport
from ._common import add_source_options, finish_read, progress, settings_from, sources_of

HELP = "group articles into stories and write one JSON line per story (batch; same input, same stories)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cluster", help=HELP, description=HELP)
    add_source_options(p)
    p.add_argument("--out", metavar="stories.jsonl", help="write the stories here (default: stdout)")
    p.add_argument("--top", type=int, default=10, help="print this many of the biggest stories on stderr (default 10)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = ReadReport()
    articles = list(read_articles(sources_of(args), settings=settings, report=report))
    finish_read(report, quiet=args.quiet)
    with progress("analysing", quiet=args.quiet, total=len(articles)) as advance:
        analyses = []
        for an in analyse_all(articles, settings=settings):
            analyses.append(an)
            advance(1)
    stories = cluster(analyses, settings=settings)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        for s in stories:
            out.write(json.dumps(story_to_dict(s), ensure_ascii=False) + "\n")
    finally:
        if args.out:
            out.close()
    if not args.quiet:
        print(f"samestory: {len(articles)} articles in {len(stories)} stories", file=sys.stderr)
        for s in sorted(stories, key=lambda s: (-len(s.articles), s.id))[: args.top]:
            print(f"  {len(s.articles):4d}  {s.title[:90]}", file=sys.stderr)
    return 0
