"""samestory stories / story / repair: the stories in the store."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from ..articles import parse_datetime
from ..clustering import coverage, story_to_dict
from ..errors import InputError
from ..pipeline import repair_all, stored_analyses, update_stories
from ..store import open_store
from ._common import add_db_option, settings_from, write_json_line

HELP_LIST = "list the stories in the store, newest first"
HELP_ONE = "show one story: timeline by source, copies, what each source reports that others don't"
HELP_REPAIR = "place any unplaced articles, then re-cluster every story (merge and split where needed)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stories", help=HELP_LIST, description=HELP_LIST)
    add_db_option(p)
    p.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--search", metavar="TEXT", help="only stories whose title or articles mention TEXT")
    p.add_argument("--entity", metavar="NAME", help="only stories about NAME")
    p.add_argument("--source", metavar="SOURCE", help="only stories SOURCE covered")
    p.add_argument("--since", metavar="DATE", help="only stories seen on or after DATE")
    p.add_argument("--until", metavar="DATE", help="only stories that began on or before DATE")
    p.add_argument("--language", metavar="CODE", help="only stories with an article in this language (en, de)")
    p.add_argument("--json", action="store_true", help="one JSON line per story")
    p.set_defaults(run=run_list)
    p = sub.add_parser("story", help=HELP_ONE, description=HELP_ONE)
    add_db_option(p)
    p.add_argument("id", help="a story id (from 'samestory stories'), or an article id: the story it is in")
    p.add_argument("--json", action="store_true", help="print the story (with coverage) as JSON")
    p.set_defaults(run=run_one)
    p = sub.add_parser("repair", help=HELP_REPAIR, description=HELP_REPAIR)
    add_db_option(p)
    p.set_defaults(run=run_repair)


def _date(value: str | None, flag: str) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise InputError(f"{flag}: cannot read '{value}' as a date (try 2024-05-01)", code="SS108")
    return parsed


def _day(d: datetime | None) -> str:
    return f"{d:%Y-%m-%d}" if d else "undated"


def run_list(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_store(settings=settings, create=False) as store:
        total, page = store.list_stories(limit=args.limit, offset=args.offset, text=args.search, entity=args.entity,
                                         source=args.source, since=_date(args.since, "--since"), until=_date(args.until, "--until"),
                                         language=args.language.strip().lower() if args.language else None)
    if args.json:
        for s in page:
            write_json_line(story_to_dict(s))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("story", "last seen", "articles", "sources", "title", title=f"{total} stories (showing {len(page)})", title_justify="left")
    for s in page:
        table.add_row(s.id, _day(s.last_seen), str(len(s.articles)), str(len(s.sources)), s.title[:80])
    Console().print(table)
    return 0


def run_one(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_store(settings=settings, create=False) as store:
        story = store.get_story(args.id)
        if story is None and (placed := store.story_of(args.id)) is not None:
            story = store.get_story(placed[0])  # an article's id: the story it is in
        if story is None:
            raise InputError(f"no story or article '{args.id}' in {settings.store.path} (see 'samestory stories')", code="SS109")
        found = stored_analyses(store, list(story.articles), settings=settings)
        cov = coverage([found[a] for a in story.articles if a in found])
    if args.json:
        write_json_line({**story_to_dict(story), "coverage": [
            {"source": c.source, "articles": list(c.articles), "only_here": list(c.only_here), "only_here_entities": list(c.only_here_entities)}
            for c in cov]})
        return 0
    from rich.console import Console
    from rich.markup import escape

    con = Console()
    con.print(f"[bold]{escape(story.title)}[/]  ({story.id})")
    con.print(f"{len(story.articles)} articles from {len(story.sources)} sources, {_day(story.first_seen)} .. {_day(story.last_seen)}")
    if story.entities or story.countries:
        con.print(f"about: {escape(', '.join(story.entities))}" + (f"; places: {', '.join(story.countries)}" if story.countries else ""))
    con.print("\n[bold]timeline[/]")
    for t in story.timeline:
        copy = f"  [dim](copy of {t.copy_of})[/]" if t.copy_of else ""
        con.print(f"  {_day(t.published)}  {escape(t.source or '(no source)'):<24} {escape((t.title or t.id)[:70])}{copy}")
    if story.copies:
        con.print("\n[bold]copies[/] (original first)")
        for g in story.copies:
            con.print("  " + ", ".join(g))
    if cov:
        con.print("\n[bold]only here[/]")
        for c in cov:
            if c.only_here or c.only_here_entities:
                con.print(f"  [bold]{escape(c.source)}[/]" + (f"  names: {escape(', '.join(c.only_here_entities))}" if c.only_here_entities else ""))
                for sent in c.only_here[:3]:
                    con.print(f"    - {escape(sent[:160])}")
    return 0


def run_repair(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_store(settings=settings, create=False) as store:
        up = update_stories(store, settings=settings, repair=False)
        merged, split, moved = repair_all(store, settings=settings)
        n = store.count_stories()
    if not args.quiet:
        print(f"samestory: placed {up.placed} articles; repair merged {merged} stories, split off {split}, moved {moved} articles; "
              f"{n} stories", file=sys.stderr)
    return 0
