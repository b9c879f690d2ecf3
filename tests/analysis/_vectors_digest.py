"""Run as a script by test_workers: analyse 100 demo articles (more than two batches: the workers are used) with and without workers, print one digest each."""

import hashlib
import sys
from dataclasses import replace

import numpy as np

from samestory import analyse_all, article_from_dict, load_settings
from tests._data import demo_docs


def digest(analyses) -> str:
    h = hashlib.sha256()
    for an in analyses:
        for k in ("doc", "title", "lead", "chunks", "sentence_vectors"):
            h.update(np.ascontiguousarray(getattr(an, k)).tobytes())
    return h.hexdigest()


if __name__ == "__main__":
    fast = load_settings(overrides={"analyse": {"ner": "rules", "max_sentences": 8}})
    arts = [article_from_dict(d) for d in list(demo_docs().values())[:100]]
    for n in (1, 2):
        print(digest(analyse_all(arts, settings=replace(fast, analyse=replace(fast.analyse, workers=n)))))
    sys.stdout.flush()
