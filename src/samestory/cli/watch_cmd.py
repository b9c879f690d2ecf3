"""samestory watch: follow feeds and news sitemaps over time; samestory sources: the ones followed, and their health."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone

from ..errors import InputError
from ..readers import ReadReport
from ..readers.fetch import is_url
from ..store import open_store
from ..watch import parse_every, poll, seconds_to_next, source_to_dict
from ._common import add_db_option, settings_from, write_json_line

HELP = "follow feeds and news sitemaps: fetch them every so often, store what is new and place it in stories"
SOURCES_HELP = "the sources 'samestory watch' follows, and their health (last fetch, failures, next fetch)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("watch", help=HELP, description=HELP + ". Sources given are added to the store's; with none, "
                       "the store's are followed. Stop with Ctrl-C: a later watch goes on where this one stopped.")
    p.add_argument("sources", nargs="*", metavar="URL", help="feed (RSS, Atom, JSON Feed) or news sitemap URLs to follow")
    p.add_argument("--every", default="15m", metavar="INTERVAL", help="how often each source is fetched (15m, 1h, 90s; default 15m)")
    p.add_argument("--once", action="store_true", help="fetch every source once, then stop")
    add_db_option(p)
    p.set_defaults(run=run_watch)
    s = sub.add_parser("sources", help=SOURCES_HELP, description=SOURCES_HELP)
    s.add_argument("--remove", nargs="+", metavar="URL", help="stop following these sources (their articles stay)")
    s.add_argument("--json", action="store_true", help="one JSON line per source")
    add_db_option(s)
    s.set_defaults(run=run_sources)


def _say(args: argparse.Namespace, line: str) -> None:
    if not args.quiet:
        print(f"samestory: {line}", file=sys.stderr)


def run_watch(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    every = parse_every(args.every)
    bad = [u for u in args.sources if not is_url(u)]
    if bad:
        raise InputError(f"not an http(s) URL: {bad[0][:200]} (watch follows feeds on the web; ingest reads files)", code="SS130")
    with open_store(settings=settings) as store:
        added = store.add_sources(args.sources)
        followed = store.sources()
        if not followed:
            raise InputError("no sources to follow: give feed URLs (samestory watch URL...)", code="SS106")
        _say(args, f"following {len(followed)} sources ({len(added)} new), each every {args.every}")
        try:
            while True:
                report = ReadReport()
                done = poll(store, settings=settings, every=every, everything=args.once, report=report)
                if done.sources:
                    _say(args, f"{datetime.now(timezone.utc):%H:%M:%S} fetched {done.sources} sources: {done.new} new articles, "
                               f"{done.updated} updated, {done.unchanged} unchanged, {done.failed} failing; placed {done.placed}")
                if args.once:
                    if done.failed and done.failed == done.sources:
                        raise InputError("every source failed (see the messages above; samestory sources shows them)", code="SS106")
                    return 0
                time.sleep(seconds_to_next(store, every))
        except KeyboardInterrupt:
            _say(args, "stopped; a later 'samestory watch' goes on from here")
            return 0


def run_sources(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_store(settings=settings, create=False) as store:
        if args.remove:
            removed = store.remove_sources(args.remove)
            missing = [u for u in args.remove if u not in removed]
            _say(args, f"no longer following {len(removed)} sources")
            if missing:
                raise InputError(f"not followed: {missing[0][:200]}" + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""),
                                 code="SS122")
            return 0
        sources = store.sources()
    if args.json:
        for s in sources:
            write_json_line(source_to_dict(s))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("source", "status", "last fetched well", "failures", "next fetch", "articles", "message",
                  title=f"{len(sources)} sources followed", title_justify="left")
    for s in sources:
        table.add_row(s.url, s.status, _when(s.last_ok), str(s.failures), _when(s.next_fetch), str(s.items), (s.message or "")[:80])
    Console().print(table)
    return 0


def _when(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at else "—"

