"""samestory ingest: read sources into the store (re-ingesting is a no-op)."""

from __future__ import annotations

import argparse

from ..pipeline import ingest
from ..readers import ReadReport
from ..store import open_store
from ._common import (
    add_db_option,
    add_source_options,
    finish_read,
    progress,
    settings_from,
)

HELP = "read sources and store their articles (same id or same content: no-op)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help=HELP, description=HELP)
    add_source_options(p)
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = ReadReport()
    with open_store(settings=settings) as store, progress("ingesting", quiet=args.quiet) as advance:
        result = ingest(args.sources, store, settings=settings, report=report, progress=advance)
        stored = store.count_articles()
    finish_read(
        report,
        quiet=args.quiet,
        what=f"; stored {result.added} new, {result.updated} updated, {result.unchanged} unchanged "
        f"({stored} in {settings.store.path})",
    )
    return 0
