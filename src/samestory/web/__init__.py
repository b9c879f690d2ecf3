"""The HTTP API and web page (``samestory serve``): a FastAPI app over the library and the store."""

from __future__ import annotations

from .app import create_app
from .service import Service

__all__ = ["create_app", "Service"]
