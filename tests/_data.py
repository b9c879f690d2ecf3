"""Paths and the demo corpus, shared by the test modules."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).parent.parent
DEMO = REPO / "demo" / "ecbplus.jsonl"
SEEDS = REPO.parent / "shared" / "seeds"


@lru_cache(maxsize=1)
def demo_docs() -> dict[str, dict]:
    """The demo corpus (ECB+, CC BY 3.0) by id, in the Article JSON form."""
    return {d["id"]: d for d in map(json.loads, DEMO.read_text().splitlines())}
