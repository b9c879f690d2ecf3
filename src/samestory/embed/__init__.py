"""Embedders behind one protocol, chosen by name in settings; the model name travels with the vectors."""

from __future__ import annotations

from ._base import Embedder, embedder_names, get_embedder, register_embedder
from .use import USEEmbedder

register_embedder(USEEmbedder.name, USEEmbedder)

__all__ = ["Embedder", "USEEmbedder", "get_embedder", "register_embedder", "embedder_names"]
