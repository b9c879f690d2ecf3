"""Embedders behind one protocol, chosen by name in settings; the model name travels with the vectors."""

from __future__ import annotations

from ._base import Embedder, embedder_names, get_embedder, register_embedder
from .e5 import E5Embedder
from .use import USEEmbedder

register_embedder(USEEmbedder.name, USEEmbedder)
register_embedder(E5Embedder.name, E5Embedder)

__all__ = ["Embedder", "USEEmbedder", "E5Embedder", "get_embedder", "register_embedder", "embedder_names"]
