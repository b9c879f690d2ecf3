"""samestory export: stories, assignments or articles as CSV, JSON lines or Parquet."""

from __future__ import annotations

import argparse
import sys

from ..errors import InputError
from ..export import FORMATS, WHAT, export_rows, write_csv, write_jsonl, write_parquet
from ..store import open_store
from ._common import add_db_option, settings_from

HELP = "export the stories, the article-to-story assignment or the articles as CSV, JSON lines or Parquet"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=HELP, description=HELP)
    p.add_argument("--what", choices=WHAT, default="stories", help="what to export (default: stories)")
    p.add_argument("--format", choices=FORMATS, default="csv", help="default: csv")
    p.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output; Parquet needs a file)")
    add_db_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.format == "parquet" and not args.out:
        raise InputError("Parquet is a binary file: give --out FILE", code="SS109")
    with open_store(settings=settings, create=False) as store:
        rows = export_rows(store, args.what)
        if args.format == "parquet":
            n = write_parquet(rows, args.what, args.out)
        else:
            fh = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
            try:
                n = write_csv(rows, args.what, fh) if args.format == "csv" else write_jsonl(rows, fh)
            finally:
                if args.out:
                    fh.close()
    if not args.quiet:
        print(f"samestory: exported {n} {args.what}" + (f" to {args.out}" if args.out else ""), file=sys.stderr)
    return 0
