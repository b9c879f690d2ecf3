"""samestory train: rebuild the pair scorer from the SemEval-2022 data and print the dev figures."""

from __future__ import annotations

import argparse

from ..scoring.train_job import train_and_report
from ..scoring.training import TRANSLATED_DATA

HELP = "train the pair scorer on SemEval-2022 Task 8 pairs, print dev Pearson, save it into the package"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help=HELP, description=HELP)
    p.add_argument("--data", help="pairs CSV (default: ../shared/data/semeval2022_task8/derived/hfl_sample_official_train_pairs.csv)")
    p.add_argument("--no-save", action="store_true", help="measure only; keep the shipped scorer")
    p.add_argument("--out", help="save the scorer into this folder instead of the package")
    p.add_argument("--translated", default=str(TRANSLATED_DATA),
                   help="HFL's text folder, whose machine-translated pairs are trained on too ('' for none)")
    p.add_argument("--scorer", choices=("both", "opening", "base"), default="both",
                   help="which scorer to measure and save (the story linker is trained on the base scorer's outputs: "
                   "after saving it, run scripts/train_linker.py)")
    p.add_argument("--cache", metavar="DIR", help="keep the feature matrices in DIR between runs")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return train_and_report(args.data, save=not args.no_save, out_dir=args.out, translated=args.translated or None,
                            scorers=args.scorer, cache=args.cache)
