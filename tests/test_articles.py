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


@given(st.text(min_size=1).filter(str.strip), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()),
       st.one_of(st.none(), st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1),
                                         timezones=st.timezones())),
       st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(), st.lists(st.text(), max_size=3)), max_size=3))
def test_stored_form_is_read_back_as_the_checks_would(text, title, url, published, meta):
    """The analysis cache reads back without the checks: the same article as ``article_from_dict`` makes."""
    from samestory.articles import article_from_stored

    made = article_from_dict({"id": "x", "text": text, "title": title, "url": url, "published": published, "meta": meta})
    stored = article_to_dict(made)
    assert article_from_stored(stored) == article_from_dict(stored) == made
    assert article_from_stored(stored).published.isoformat() == made.published.isoformat() if made.published else True


@pytest.mark.parametrize("stored", [
    {"id": "x", "text": "t", "published": "2024-03-04"},  # a day: UTC, as the checks read it
    {"id": "x", "text": "t", "published": "2024-03-04T08:15:00"},  # no zone
    {"id": "x", "text": "t", "publish_date": "2024-03-04T08:15:00Z"},  # another name for it
    {"id": 7, "text": "t"},
])
def test_another_stored_form_goes_through_the_checks(stored):
    from samestory.articles import article_from_stored

    assert article_from_stored(dict(stored)) == article_from_dict(dict(stored))
