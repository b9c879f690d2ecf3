"""samestory read: parse sources and print their articles as JSON lines."""

from __future__ import annotations

import argparse

from ..articles import article_to_dict
from ..pipeline import read_articles
from ..readers import ReadReport
from ._common import finish_read, progress, settings_from, write_json_line

HELP = "parse files, folders or - (stdin JSONL) and print the articles as read (not cleaned) as JSON lines"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("read", help=HELP, description=HELP)
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="file, folder (recursive) or - for stdin JSONL")
    p.add_argument("--encoding", help="force the encoding of text and HTML files")
    p.add_argument("--with-html", action="store_true", help="include the raw HTML of pages in the output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = ReadReport()
    with progress("reading", quiet=args.quiet) as advance:
        for article in read_articles(args.sources, settings=settings, report=report, clean=False):
            write_json_line(article_to_dict(article, with_html=args.with_html))
            advance(1)
    finish_read(report, quiet=args.quiet)
    return 0
