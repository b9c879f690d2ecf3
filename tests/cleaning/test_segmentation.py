"""Page splitting on pages built from ECB+ documents (demo corpus, CC BY 3.0)."""

import pytest

from samestory import article_from_dict, clean
from tests._data import DEMO, demo_docs

DOCS = demo_docs()


def _story(doc_id, caption_credit="(AP Photo/Nick Ut)", repeat=False):
    d = DOCS[doc_id]
    first = d["text"].split("\n")[0].rstrip(".")
    head = [d["title"], f"{' '.join(first.split()[:12])}. {caption_credit}", "TT"]
    if repeat:
        head += [d["title"]]
    return head + d["text"].split("\n")


def _page(*stories):
    return article_from_dict({"id": "page", "text": "\n".join(line for s in stories for line in s)})


@pytest.mark.parametrize("repeat", [True, False])
def test_two_stories_from_different_topics_split(repeat):
    a, b = "ecb/1_10ecbplus", "ecb/8_1ecbplus"  # Lohan enters rehab / rioters bomb a Greek bank
    out = clean(_page(_story(a), _story(b, repeat=repeat)))
    assert [x.title for x in out] == [DOCS[a]["title"], DOCS[b]["title"]]
    assert [x.id for x in out] == ["page", "page#2"]
    assert out[1].meta["segment"]["of"] == 2 and out[1].meta["segment"]["evidence"]


def test_three_stories_split_in_order():
    ids = ["ecb/1_10ecbplus", "ecb/8_1ecbplus", "ecb/3_10ecbplus"]
    out = clean(_page(*(_story(i, repeat=True) for i in ids)))
    assert [x.title for x in out] == [DOCS[i]["title"] for i in ids]


def test_one_story_with_a_photo_in_the_middle_stays_whole():
    d = DOCS["ecb/1_11ecbplus"]
    lines = d["text"].split("\n")
    mid = len(lines) // 2
    caption = "Lindsay Lohan leaves court in Los Angeles on Thursday. (AP Photo/Nick Ut)"
    page = article_from_dict({"id": "p", "title": d["title"], "text": "\n".join(lines[:mid] + [caption, "AP"] + lines[mid:])})
    out = clean(page)
    assert len(out) == 1 and caption in out[0].meta["captions"]


def test_no_split_when_disabled():
    from samestory import load_settings

    settings = load_settings(overrides={"clean": {"segment": False}})
    out = clean(_page(_story("ecb/1_10ecbplus"), _story("ecb/8_1ecbplus", repeat=True)), settings=settings)
    assert len(out) == 1


def test_demo_corpus_has_no_false_splits():
    """772 single-story documents: none may be split."""
    from samestory import read_articles

    assert sum(1 for _ in read_articles(DEMO)) == len(DOCS)
