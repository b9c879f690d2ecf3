"""The two example pages (read from ../shared/seeds; skipped where absent): exact expectations."""

import re

import pytest

from samestory import read
from samestory.cleaning import clean

SEED_A = "000_14a40139ceb91c26.txt"
SEED_B = "004_d8a212c3383b2f6c.txt"
NOISE = re.compile(r"FILE PHOTO|via REUTERS|via Reuters|AP Photo|Reporting by|Editing by|^TT$", re.M)


def _clean(seeds, name):
    (doc,) = read(seeds / name)
    return doc, clean(doc)


def _body_paragraphs(text):
    """The original's body paragraphs: lines that are not captions, credits, markers or headlines."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    title = lines[0]
    return [
        l for l in lines
        if l != title and not NOISE.search(l) and len(l.split()) > 3 and not re.match(r"^More Than 50,000", l)
    ]


def test_seed_000_is_one_article(seeds):
    doc, out = _clean(seeds, SEED_A)
    assert len(out) == 1
    art = out[0]
    assert art.title == "Turkey says U.S. needs to play more active role in Libya"
    assert art.language == "en"
    assert art.meta["dateline"] == {"place": "ANKARA", "agency": "Reuters"}
    assert art.text.startswith("The United States needs to play a more active role in Libya")
    assert "ANKARA" not in art.text.split("\n")[0]
    assert any("FILE PHOTO" in c for c in art.meta["captions"])
    credit_line = doc.article.text.strip().splitlines()[-1]  # the page's last line: "Reporting by ...; Editing by ..."
    assert credit_line.startswith("Reporting by") and art.meta["credits"] == [credit_line]


def test_seed_004_splits_into_two_titled_articles(seeds):
    doc, out = _clean(seeds, SEED_B)
    assert [a.title for a in out] == [
        "Turkey Calls on US to Play ‘More Active Role’ in Libya",
        "More Than 50,000 Refugees Return to Syria from Türkiye",
    ]
    assert out[1].id == out[0].id + "#2"
    assert "Libya" in out[0].text and "Syria" not in out[0].text.split("\n")[-1]
    assert out[1].text.startswith("Türkiye’s Interior Affairs Minister said Thursday")
    assert out[1].meta["segment"]["of"] == 2


@pytest.mark.parametrize("name", [SEED_A, SEED_B])
def test_no_noise_left_and_every_body_paragraph_kept(seeds, name):
    doc, out = _clean(seeds, name)
    for art in out:
        assert not NOISE.search(art.text), art.text
        assert art.title not in art.text
        assert "\nTT\n" not in f"\n{art.text}\n"
    joined = "\n".join(a.text for a in out)
    for para in _body_paragraphs(doc.article.text):
        para = para.replace("ANKARA (Reuters) - ", "")
        assert para in joined, para


def test_cleaning_is_idempotent_on_seeds(seeds):
    for name in (SEED_A, SEED_B):
        _, out = _clean(seeds, name)
        for art in out:
            (again,) = clean(art)
            assert again.text == art.text and again.title == art.title
