"""samestory analyse: read, clean and analyse articles; print each analysis as a JSON line."""

from __future__ import annotations

import argparse

from ..analysis import analyse_all
from ..analysis.serial import analysis_to_dict
from ..pipeline import read_articles
from ..readers import ReadReport
from ._common import (
    add_source_options,
    finish_read,
    progress,
    settings_from,
    sources_of,
    write_json_line,
)

HELP = "analyse articles (language, entities matched across spellings, places, dates, numbers, embeddings) as JSON lines"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyse", aliases=["analyze"], help=HELP, description=HELP)
    add_source_options(p)
    p.add_argument("--vectors", action="store_true", help="include the document, title and lead vectors")
    p.add_argument("--ner", choices=["models", "rules"], help="entity backend (default: analyse.ner)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = ReadReport()
    articles = read_articles(sources_of(args), settings=settings, report=report)
    with progress("analysing", quiet=args.quiet) as advance:
        for an in analyse_all(articles, settings=settings):
            write_json_line(analysis_to_dict(an, vectors=args.vectors))
            advance(1)
    finish_read(report, quiet=args.quiet)
    return 0
