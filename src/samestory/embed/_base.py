"""The Embedder protocol and the registry that maps names to embedders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import ConfigError

__all__ = ["Embedder", "register_embedder", "get_embedder", "embedder_names"]


@runtime_checkable
class Embedder(Protocol):
    """Texts -> L2-normalised float32 rows. ``name`` is stored next to every vector."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


_FACTORIES: dict[str, Callable[[], Embedder]] = {}
_LOADED: dict[str, Embedder] = {}


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    """Make ``factory`` available under ``name`` (settings: ``analyse.embedder``)."""
    _FACTORIES[name] = factory


def embedder_names() -> list[str]:
    return sorted(_FACTORIES)


def get_embedder(name: str) -> Embedder:
    """The embedder registered as ``name``, loaded once per process."""
    if name not in _LOADED:
        if name not in _FACTORIES:
            raise ConfigError(f"unknown embedder {name!r}; known: {', '.join(embedder_names())}", code="SS204")
        _LOADED[name] = _FACTORIES[name]()
    return _LOADED[name]
