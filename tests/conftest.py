from __future__ import annotations

import logging
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent (a fresh clone without the shared data)")
    return SEEDS


@pytest.fixture(autouse=True)
def _samestory_logs_propagate():
    """The CLI routes samestory's logger to stderr; tests want caplog to see it."""
    yield
    root = logging.getLogger("samestory")
    root.handlers[:] = [logging.NullHandler()]
    root.propagate = True
    root.setLevel(logging.NOTSET)
