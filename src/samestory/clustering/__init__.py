"""Stories: which articles tell the same story.

``cluster`` is the batch definition (deterministic, order- and partition-independent; the
Spark job computes the same). ``StoryClusterer`` places a stream incrementally and repairs
itself with the batch definition. ``make_story`` / ``coverage`` build story records.
"""

from __future__ import annotations

from .batch import cluster
from .candidates import candidate_pairs
from .incremental import Placement, RepairReport, StoryClusterer
from .linker import link_probabilities
from .stories import copy_groups, coverage, make_story, story_from_dict, story_to_dict

__all__ = ["cluster", "candidate_pairs", "StoryClusterer", "Placement", "RepairReport", "link_probabilities", "copy_groups", "coverage", "make_story",
           "story_to_dict", "story_from_dict"]
