"""samestory spark cluster: the clustering job on Apache Spark (optional extra)."""

from __future__ import annotations

import argparse
import sys

from ..errors import ConfigError
from ._common import settings_from

HELP = "run jobs on Apache Spark (needs: pip install 'samestory[spark]')"
HELP_CLUSTER = "group articles into stories on Spark; the same stories as 'samestory cluster'"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("spark", help=HELP, description=HELP)
    jobs = p.add_subparsers(title="jobs", metavar="JOB")
    c = jobs.add_parser("cluster", help=HELP_CLUSTER, description=HELP_CLUSTER)
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL (.gz) or Parquet files or folders; any Hadoop filesystem URI")
    c.add_argument("--out", required=True, metavar="OUTPUT", help="output folder: stories.parquet, stories.jsonl, assignments.parquet, problems.jsonl")
    c.add_argument("--master", default="local[2]", help="Spark master: local[N], spark://HOST:PORT, yarn (default local[2])")
    c.add_argument("--window-days", type=int, help="candidate time window (default: cluster.window_days)")
    c.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting, e.g. spark.executor.memory=8g (repeatable)")
    c.set_defaults(run=run_cluster)
    p.set_defaults(run=lambda args: (p.print_help(sys.stderr), 2)[1])


def run_cluster(args: argparse.Namespace) -> int:
    from ..spark import require_spark

    require_spark()
    from ..spark.job import cluster_files, spark_session

    settings = settings_from(args)
    conf = {}
    for item in args.conf:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"--conf takes KEY=VALUE, got '{item}'", code="SS224")
        conf[key.strip()] = value.strip()
    spark = spark_session(args.master, conf=conf)
    try:
        counts = cluster_files(spark, args.inputs, args.out, settings=settings, window_days=args.window_days)
    finally:
        spark.stop()
    if not args.quiet:
        print(f"samestory: {counts['articles']} articles in {counts['stories']} stories written to {args.out}"
              + (f"; {counts['skipped']} lines or files skipped (see {args.out}/problems.jsonl)" if counts["skipped"] else ""),
              file=sys.stderr)
    return 0
