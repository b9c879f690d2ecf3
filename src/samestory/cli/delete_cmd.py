"""samestory delete: take articles out of the store; their stories are re-formed without them."""

from __future__ import annotations

import argparse
import sys

from ..errors import InputError
from ..pipeline import delete
from ..store import open_store
from ._common import add_db_option, settings_from

HELP = "delete stored articles by id; their stories are re-formed without them"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("delete", help=HELP, description=HELP)
    p.add_argument("ids", nargs="+", metavar="ID", help="article ids (as 'samestory stories' and 'story' show them)")
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_store(settings=settings, create=False) as store:
        deleted, missing = delete(store, args.ids, settings=settings)
        stories = store.count_stories()
    if not args.quiet:
        print(f"samestory: deleted {len(deleted)} articles; {stories} stories in the store", file=sys.stderr)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise InputError(f"no article {shown} in the store; the others were deleted", code="SS122")
    return 0
