"""The ``samestory`` command. Each sub-command lives in its own module; this one wires them.

Errors the library raises on purpose print one line and exit 2; anything else
prints one line too (the traceback only with -v) and exits 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback

from .. import __version__
from ..errors import SamestoryError
from . import (
    analyse_cmd,
    clean_cmd,
    cluster_cmd,
    compare_cmd,
    correct_cmd,
    delete_cmd,
    eval_cmd,
    export_cmd,
    ingest_cmd,
    read_cmd,
    serve_cmd,
    spark_cmd,
    stories_cmd,
    summary_cmd,
    train_cmd,
    watch_cmd,
)
from ._common import setup_logging

__all__ = ["main", "build_parser"]

COMMANDS = (read_cmd, clean_cmd, analyse_cmd, compare_cmd, cluster_cmd, ingest_cmd, watch_cmd, delete_cmd, stories_cmd, correct_cmd, export_cmd, eval_cmd, serve_cmd, spark_cmd, summary_cmd, train_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samestory",
        description="Which news articles tell the same story, and how do they differ.",
    )
    parser.add_argument("--version", action="version", version=f"samestory {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more messages (-vv: debug); tracebacks")
    parser.add_argument("-q", "--quiet", action="store_true", help="errors only, no progress or summary")
    parser.add_argument("--config", metavar="FILE", help="settings file (TOML) over the packaged defaults")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    setup_logging(-1 if args.quiet else args.verbose)
    try:
        return int(args.run(args) or 0)
    except SamestoryError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"samestory: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("samestory: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `samestory read ... | head`
        sys.stderr.close()
        return 0
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        print(
            f"samestory: internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)", file=sys.stderr
        )
        return 1
    finally:
        logging.shutdown()
