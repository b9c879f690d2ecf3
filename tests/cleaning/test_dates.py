"""Dates stated in a text, read by table (``cleaning.dates``), beside dateparser, which read them before."""

from __future__ import annotations

import json
from datetime import date

import pytest

from samestory.cleaning.dates import DATE_PATTERN, find_dates, parse_date_line

from ..conftest import SHARED


@pytest.mark.parametrize("text, expected", [
    ("May 3, 2013", date(2013, 5, 3)),
    ("SEPT. 4th, 2019", date(2019, 9, 4)),
    ("3. März 2021", date(2021, 3, 3)),
    ("1 de diciembre de 2019", date(2019, 12, 1)),
    ("12 Mart 2020", date(2020, 3, 12)),  # Turkish (dateparser read it as 1 December)
    ("5 KASIM 2020", date(2020, 11, 5)),  # Turkish kasım in capitals: a dotless i
    ("4 października 2018", date(2018, 10, 4)),
    ("2013-05-03", date(2013, 5, 3)),
    ("03.05.2013", date(2013, 5, 3)),  # after dots, day first
    ("5/3/2013", date(2013, 5, 3)),  # after slashes, month first
    ("13/5/2013", date(2013, 5, 13)),  # unless the first number cannot be a month
    ("Published: Thursday, May 2, 2013, 1:32 PM", date(2013, 5, 2)),
])
def test_a_stated_date_is_read_by_its_form(text, expected):
    assert parse_date_line(text).date() == expected


@pytest.mark.parametrize("text", ["February 30, 2020", "2013-13-01", "no date here", "31/31/2013"])
def test_a_day_the_calendar_lacks_is_none(text):
    assert parse_date_line(text) is None


def test_letters_that_only_ignoring_case_makes_a_month_are_read():
    # the pattern ignores case as Unicode does: a long s is an s ("ſept"), a dotted capital I an i ("NİSAN")
    assert parse_date_line("\u017fept. 4, 2019").date() == date(2019, 9, 4)
    assert parse_date_line("3 KASIM 2020").date() == date(2020, 11, 3)
    assert parse_date_line("3 N\u0130SAN 2020").date() == date(2020, 4, 3)  # Turkish capitals


def test_the_table_reads_real_articles_dates_as_dateparser_did():
    """The dates of 300 gun-violence articles, each read by the table and by dateparser (month first, English, as
    before): the same day for every one that dateparser can read."""
    path = SHARED / "data" / "gun_violence" / "gva_articles.jsonl"
    if not path.is_file():
        pytest.skip("../shared/data/gun_violence is absent (a fresh clone without the shared data)")
    import dateparser

    found: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            found |= {m.group(0) for m in DATE_PATTERN.finditer(json.loads(line).get("text") or "")}
            if len(found) >= 300:
                break
    assert len(found) >= 300
    compared = 0
    for text in sorted(found):
        order = "DMY" if "." in text else "MDY"
        theirs = dateparser.parse(text.replace(" de ", " "), languages=["en"],
                                  settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": order})
        if theirs is None:  # a misspelt month ("Septeber 23, 2015"): dateparser gives up, the table reads the prefix
            continue
        compared += 1
        assert parse_date_line(text).date() == theirs.date(), text
    assert compared >= 290


def test_dates_are_found_before_years_as_the_pattern_finds_them_anywhere():
    texts = ["On May 3, 2013 and 2013-05-04, then 3. Mai 2013; 1999 alone; 12/11/2010 and 2010-1-1 and 2015-05-031.",
             "mayhem 3 2013 " * 3 + "x" * 70 + " May 3, 2013", "", "no years at all: May 3"]
    path = SHARED / "data" / "gun_violence" / "gva_articles.jsonl"
    if path.is_file():
        with path.open(encoding="utf-8") as lines:
            texts += [json.loads(line).get("text") or "" for _, line in zip(range(400), lines)]
    for text in texts:
        assert find_dates(text) == [m.group(0) for m in DATE_PATTERN.finditer(text)]
