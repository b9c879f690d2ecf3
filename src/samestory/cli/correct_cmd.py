"""samestory correct: fix a grouping by hand (merge, move, split); kept as pins that placing and repair respect."""

from __future__ import annotations

import argparse
import sys

from ..pipeline import correct
from ..store import open_store
from ._common import add_db_option, settings_from, write_json_line

HELP = "fix a grouping by hand: merge stories, move articles to a story, split articles off; 'log' lists the corrections"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("correct", help=HELP, description=HELP + ". Later placing and 'samestory repair' respect them.")
    p.add_argument("action", choices=("merge", "move", "split", "log"))
    p.add_argument("ids", nargs="*", metavar="ID", help="merge: STORY STORY...; move: STORY ARTICLE...; split: STORY ARTICLE...")
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_store(settings=settings, create=False) as store:
        if args.action == "log":
            for entry in store.corrections():
                write_json_line(entry)
            return 0
        if args.action == "merge":
            made = correct(store, "merge", stories=args.ids, settings=settings)
        else:
            made = correct(store, args.action, stories=args.ids[:1], articles=args.ids[1:], settings=settings)
    if not args.quiet:
        print(f"samestory: {args.action}: story {made}", file=sys.stderr)
    print(made)
    return 0
