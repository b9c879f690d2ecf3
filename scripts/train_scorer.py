"""Rebuild the shipped pair scorers from ../shared/data and print the dev figures.

    .venv/bin/python scripts/train_scorer.py [--data PATH] [--no-save] [--scorer both|opening|base] [--cache DIR]

Trains on the train part of the SemEval-2022 pairs (by pair id) and of HFL's machine-translated copies of them
(those whose original pair is on the dev side stay out), measures Pearson on the dev part, then retrains on all
pairs and saves the models into the package (src/samestory/scoring/model/). ``samestory train`` runs the same.
The story linker is trained on the base scorer's outputs: after saving that one, run scripts/train_linker.py.
"""

from __future__ import annotations

import argparse
import sys

from samestory.scoring.train_job import train_and_report

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="SemEval pairs CSV (default: ../shared/data/.../hfl_sample_official_train_pairs.csv)")
    ap.add_argument("--no-save", action="store_true", help="measure only; leave the shipped model as it is")
    ap.add_argument("--scorer", choices=("both", "opening", "base"), default="both")
    ap.add_argument("--cache", default=None, help="keep the feature matrices in this folder between runs")
    args = ap.parse_args()
    sys.exit(train_and_report(args.data, save=not args.no_save, scorers=args.scorer, cache=args.cache))
