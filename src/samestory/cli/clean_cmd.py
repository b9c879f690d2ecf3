"""samestory clean: read sources, clean them, split pages into stories, print JSON lines."""

from __future__ import annotations

import argparse
from typing import Any

from ..articles import article_to_dict
from ..records import Article
from ._common import add_source_options, print_articles

HELP = "clean articles (captions, credits, bylines, boilerplate out; pages split into stories) and print them as JSON lines"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clean", help=HELP, description=HELP + ". What was removed, and why, is in meta.removed.")
    add_source_options(p)
    p.add_argument("--no-split", action="store_true", help="never split a page into several stories")
    p.add_argument("--no-audit", action="store_true", help="leave meta.removed out of the output")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    def to_json(article: Article) -> dict[str, Any]:
        out = article_to_dict(article)
        if args.no_audit and "meta" in out:
            out["meta"] = {k: v for k, v in out["meta"].items() if k != "removed"}
        return out

    return print_articles(args, "cleaning", clean=True, to_json=to_json)
