"""What every command shares: settings from flags, JSON lines out, progress, logging."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable

from ..errors import InputError
from ..readers import ReadReport
from ..settings import Settings, load_settings

__all__ = [
    "settings_from",
    "write_json_line",
    "progress",
    "setup_logging",
    "add_db_option",
    "add_source_options",
    "finish_read",
    "print_articles",
    "sources_of",
]


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="SQLite store file (default: store.path, ./samestory.db)")


def settings_from(args: argparse.Namespace) -> Settings:
    """Packaged defaults, the --config file, then flags."""
    overrides: dict[str, dict[str, Any]] = {"store": {}, "read": {}, "clean": {}, "analyse": {}}
    if getattr(args, "ner", None):
        overrides["analyse"]["ner"] = args.ner
    if getattr(args, "no_split", False):
        overrides["clean"]["segment"] = False
    if getattr(args, "db", None):
        overrides["store"]["path"] = args.db
    for key in ("encoding", "source", "published", "language", "date_format"):
        if getattr(args, key, None):
            overrides["read"][key] = getattr(args, key)
    if getattr(args, "map", None):
        overrides["read"]["columns"] = ",".join(args.map)
    return load_settings(args.config, overrides)


def write_json_line(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


class _StderrFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"samestory: {record.levelname.lower()}: {record.getMessage()}"


def setup_logging(verbosity: int) -> None:
    """-q: errors only; default: warnings; -v: info; -vv: debug."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_StderrFormatter())
    root = logging.getLogger("samestory")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@contextmanager
def progress(label: str, *, quiet: bool, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (only on a terminal, never with -q); yields advance(n)."""
    if quiet or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn() if total else TextColumn("{task.completed}")]
    if total:
        columns.append(BarColumn())
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def finish_read(report: ReadReport, *, quiet: bool, what: str = "") -> None:
    """Print the read summary on stderr; fail when sources were given and nothing could be read."""
    if not quiet:
        print(f"samestory: {report.summary()}{what}", file=sys.stderr)
    if report.problems and not report.articles:
        raise InputError("nothing could be read from the sources given (see the messages above)", code="SS106")


def add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE",
                        help="file, folder (recursive), http(s) URL of a page or feed, or - for stdin JSONL")
    parser.add_argument("--urls", metavar="FILE", help="a file of URLs to read, one per line (# starts a comment)")
    parser.add_argument("--encoding", help="force the encoding of text and HTML files")
    parser.add_argument("--source", help="the outlet of documents that name none (a text file), such as 'reuters.com'")
    parser.add_argument("--published", metavar="TIME", help="the publication time of documents that carry none, ISO 8601 "
                        "(2024-03-04 or 2024-03-04T08:15:00+01:00)")
    parser.add_argument("--language", metavar="CODE", help="the language of documents that name none, such as 'de'")
    parser.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="a table's column for an article field "
                        "where its name is not a usual one: --map published=Datum --map text=Inhalt (or comma-separated)")
    parser.add_argument("--date-format", metavar="FORMAT", help="the form of a table's dates, as strftime writes it: "
                        "'%%d/%%m/%%Y %%H:%%M' (default: ISO 8601, RFC 2822, else read month first by dateparser)")


def sources_of(args: argparse.Namespace) -> list[str]:
    """The sources given: SOURCE arguments, then the URLs listed in ``--urls``; an error when there are none."""
    sources = list(args.sources)
    if getattr(args, "urls", None):
        try:
            with open(args.urls, encoding="utf-8-sig") as fh:
                sources += [line.split("#", 1)[0].strip() for line in fh if line.split("#", 1)[0].strip()]
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the URL list '{args.urls}': {getattr(exc, 'strerror', None) or exc}", code="SS110") from None
    if not sources:
        raise InputError("no sources given: name files, folders or URLs, or --urls FILE", code="SS109")
    return sources


def print_articles(args: argparse.Namespace, label: str, *, clean: bool, to_json: Callable[[Any], dict]) -> int:
    """Read (and clean) the sources, print one JSON line per article, then the read summary."""
    from ..pipeline import read_articles

    settings = settings_from(args)
    report = ReadReport()
    with progress(label, quiet=args.quiet) as advance:
        for article in read_articles(sources_of(args), settings=settings, report=report, clean=clean):
            write_json_line(to_json(article))
            advance(1)
    finish_read(report, quiet=args.quiet)
    return 0
