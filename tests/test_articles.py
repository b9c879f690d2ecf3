from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samestory import Article, InputError, article_from_dict, article_to_dict


def test_json_form_round_trip():
    obj = {
        "id": "a1",
        "url": "https://www.example.com/news/1",
        "title": "Quake hits",
        "text": "A quake hit the city.",
        "language": "EN",
        "published": "2013-05-03T10:00:00Z",
        "meta": {"k": 1},
        "extra": "kept",
    }
    art = article_from_dict(obj)
    assert art.source == "example.com"
    assert art.language == "en"
    assert art.published == datetime(2013, 5, 3, 10, tzinfo=timezone.utc)
    assert art.meta == {"k": 1, "extra": "kept"}
    back = article_to_dict(art)
    assert article_from_dict(back) == art


def test_newspaper3k_names_are_accepted():
    art = article_from_dict(
        {"text": "Body.", "meta_lang": "de", "publish_date": "2020-06-11 00:00:00", "meta_description": "Desc"}
    )
    assert art.language == "de"
    assert art.published == datetime(2020, 6, 11, tzinfo=timezone.utc)
    assert art.meta["description"] == "Desc"


def test_missing_id_comes_from_content_and_is_stable():
    a = article_from_dict({"text": "Same text."})
    b = article_from_dict({"text": "Same   text."})
    assert a.id == b.id and a.id.startswith("h")
    assert article_from_dict({"text": "Other text."}).id != a.id


def test_integer_id_is_kept_as_string():
    assert article_from_dict({"id": 1484039360, "text": "x y"}).id == "1484039360"


@pytest.mark.parametrize(
    "obj, code",
    [
        ({"title": "no body"}, "SS102"),
        ({"text": "   "}, "SS102"),
        ([1, 2], "SS101"),
        ({"text": 5}, "SS103"),
        ({"text": "x", "meta": []}, "SS103"),
    ],
)
def test_bad_articles_say_why(obj, code):
    with pytest.raises(InputError) as exc:
        article_from_dict(obj)
    assert exc.value.code == code


def test_unreadable_date_is_kept_not_fatal(caplog):
    art = article_from_dict({"text": "x", "published": "last Tuesday-ish"})
    assert art.published is None
    assert art.meta["published_raw"] == "last Tuesday-ish"
    assert "ISO 8601" in caplog.text


def test_rfc2822_dates_from_feeds():
    art = article_from_dict({"text": "x", "published": "Fri, 03 May 2013 10:00:00 GMT"})
    assert art.published == datetime(2013, 5, 3, 10, tzinfo=timezone.utc)


@given(st.text(min_size=1).filter(lambda s: s.strip()), st.one_of(st.none(), st.text(max_size=40)))
def test_round_trip_property(text, title):
    art = article_from_dict({"text": text, "title": title})
    again = article_from_dict(article_to_dict(art))
    assert again.id == art.id and again.content_hash == art.content_hash
    assert isinstance(art, Article)
