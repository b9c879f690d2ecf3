"""A text that is site furniture (a sign-up form, a paywall notice, a footer) is scored as unknown, with the reason."""

import json

from samestory import article_from_dict, clean, compare
from samestory.cleaning.furniture import not_an_article
from samestory.cli import main
from tests._data import demo_docs

SIGN_UP = """Sign up to FREE daily email alerts
Subscribe
Thank you for subscribing
We have more newsletters
See our privacy notice
Invalid email"""

PAYWALL = """This article is for subscribers only.
Already a subscriber? Sign in
Subscribe now for unlimited access to all our journalism.
Create a free account to read two articles a month."""

FOOTER = """© 2024 Example Media Group. All rights reserved.
Privacy policy
Terms of use
Cookie settings
Follow us on Facebook"""


def _story(doc_id="ecb/1_10ecbplus"):
    return clean(article_from_dict(demo_docs()[doc_id]))[0]


def _raw(text):
    return article_from_dict({"id": "x", "text": text})


def test_furniture_is_named_and_an_article_is_not():
    for text in (SIGN_UP, PAYWALL, FOOTER):
        assert "site furniture" in not_an_article(_raw(text))
    # a real article, and one with a sign-up form under it, read as articles, raw or cleaned; so does a short brief
    story = _story()
    assert not_an_article(story) is None
    assert not_an_article(_raw(story.text + "\n" + SIGN_UP)) is None
    assert not_an_article(clean(_raw(story.text + "\n" + SIGN_UP))[0]) is None
    assert not_an_article(_raw("Two people were hurt when a car hit a tram in central Lyon on Tuesday morning.")) is None
    # a few words of story in a screen of furniture: furniture, raw or cleaned (the cleaning's removed lines count)
    screen = "Storm closes schools.\n" + SIGN_UP + "\n" + FOOTER
    assert not_an_article(_raw(screen)) is not None
    assert not_an_article(clean(_raw(screen))[0]) is not None


def test_a_furniture_side_scores_unknown_not_confidently():
    a = _story()
    score = compare(a, article_from_dict({"id": "signup", "text": PAYWALL}))
    assert score.unknown.startswith("B: ") and "site furniture" in score.unknown
    assert score.overall is None and score.probability is None and not score.same_story
    both = compare(_story("ecb/1_11ecbplus"), a)
    assert both.unknown is None and both.overall is not None


def test_compare_command_says_unknown(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(_story().text)
    (tmp_path / "b.txt").write_text("Storm closes schools.\n" + PAYWALL + "\n" + FOOTER)
    assert main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    assert "UNKNOWN" in capsys.readouterr().out
    assert main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--json"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["overall"] is None and "site furniture" in row["unknown"]
