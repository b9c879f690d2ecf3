"""samestory ingest: read sources into the store and place their articles in stories
(re-ingesting is a no-op)."""

from __future__ import annotations

import argparse
import sys

from ..pipeline import ingest, update_stories
from ..readers import ReadReport
from ..store import open_store
from ._common import (
    add_db_option,
    add_source_options,
    finish_read,
    progress,
    settings_from,
    sources_of,
)

HELP = "read sources, store their articles and place them in stories (same id or same content: no-op)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help=HELP, description=HELP)
    add_source_options(p)
    add_db_option(p)
    p.add_argument("--no-stories", action="store_true", help="store the articles only; a later ingest or 'samestory repair' places them")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = ReadReport()
    with open_store(settings=settings) as store:
        with progress("ingesting", quiet=args.quiet) as advance:
            result = ingest(sources_of(args), store, settings=settings, report=report, progress=advance, stories=False)
        stored = store.count_articles()
        finish_read(
            report,
            quiet=args.quiet,
            what=f"; stored {result.added} new, {result.updated} updated, {result.unchanged} unchanged "
            f"({stored} in {settings.store.path})",
        )
        if args.no_stories:
            return 0
        with progress("placing in stories", quiet=args.quiet) as advance:
            up = update_stories(store, settings=settings, progress=advance)
    if not args.quiet:
        extra = []
        if up.updated:
            extra.append(f"{up.updated} updated articles placed again")
        if up.undated:
            extra.append(f"{up.undated} undated placed by arrival")
        if up.merged or up.split:
            extra.append(f"repair: {up.merged} merged, {up.split} split off, {up.moved} articles moved")
        print(f"samestory: placed {up.placed} articles, {up.new_stories} new stories; {up.stories} stories in the store"
              + (f" ({'; '.join(extra)})" if extra else ""), file=sys.stderr)
    return 0
