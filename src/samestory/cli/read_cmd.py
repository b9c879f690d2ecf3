"""samestory read: parse sources and print their articles as JSON lines."""

from __future__ import annotations

import argparse

from ..articles import article_to_dict
from ._common import add_source_options, print_articles

HELP = "parse files, folders or - (stdin JSONL) and print the articles as read (not cleaned) as JSON lines"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("read", help=HELP, description=HELP)
    add_source_options(p)
    p.add_argument("--with-html", action="store_true", help="include the raw HTML of pages in the output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return print_articles(args, "reading", clean=False, to_json=lambda a: article_to_dict(a, with_html=args.with_html))
