"""samestory clean: read sources, clean them, split pages into stories, print JSON lines."""

from __future__ import annotations

import argparse

from ..articles import article_to_dict
from ..pipeline import read_articles
from ..readers import ReadReport
from ._common import finish_read, progress, settings_from, write_json_line

HELP = "clean articles (captions, credits, bylines, boilerplate out; pages split into stories) and print them as JSON lines"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clean", help=HELP, description=HELP + ". What was removed, and why, is in meta.removed.")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder (recursive) or - for stdin JSONL")
    p.add_argument("--encoding", help="force the encoding of text and HTML files")
    p.add_argument("--no-split", action="store_true", help="never split a page into several stories")
    p.add_argument("--no-audit", action="store_true", help="leave meta.removed out of the output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = ReadReport()
    with progress("cleaning", quiet=args.quiet) as advance:
        for article in read_articles(args.sources, settings=settings, report=report):
            out = article_to_dict(article)
            if args.no_audit and "meta" in out:
                out["meta"] = {k: v for k, v in out["meta"].items() if k != "removed"}
            write_json_line(out)
            advance(1)
    finish_read(report, quiet=args.quiet)
    return 0
