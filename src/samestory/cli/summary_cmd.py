"""samestory summary: what the store holds."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from ..store import open_store
from ._common import add_db_option, settings_from, write_json_line

HELP = "show what the store holds: articles, sources, languages, date range"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help=HELP, description=HELP)
    add_db_option(p)
    p.add_argument("--top", type=int, default=10, help="how many sources and languages to list (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_store(settings=settings, create=False) as store:
        stats = store.stats(top=args.top)
    if args.json:
        write_json_line(asdict(stats))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    span = (
        f"{stats.first_published:%Y-%m-%d} .. {stats.last_published:%Y-%m-%d}"
        if stats.first_published and stats.last_published
        else "no dates"
    )
    console.print(
        f"[bold]{stats.articles}[/] articles in {settings.store.path}: {stats.titled} with a title, "
        f"{stats.dated} with a publication date ({span})"
    )
    for label, rows in (("source", stats.sources), ("language", stats.languages)):
        table = Table(label, "articles", title=f"top {label}s", title_justify="left")
        for name, n in rows:
            table.add_row(name, str(n))
        console.print(table)
    return 0
