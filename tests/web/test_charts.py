"""The story's charts: coverage over time by source (SVG, drawn on the server) and who reported first."""

import re

from samestory.web.charts import coverage_chart, first_reports, sparkline


def _timeline():
    rows = [("2024-03-04T03:40:00+00:00", "dpa.de"), ("2024-03-04T05:10:00+00:00", "efe.com"),
            ("2024-03-04T05:50:00+00:00", "dpa.de"), ("2024-03-05T09:00:00+00:00", "<b>evil</b>"), (None, "apnews.com")]
    return [{"id": f"a{k}", "published": p, "source": s, "title": "t", "url": None, "copy_of": None} for k, (p, s) in enumerate(rows)]


def test_coverage_chart_bins_by_hour_for_a_short_story_and_escapes_names():
    svg = coverage_chart(_timeline())
    assert svg.startswith("<svg") and 'viewBox="0 0 640' in svg and 'width="100%"' in svg
    bars = re.findall(r"<title>([^<]+)</title></rect>", svg)
    assert "2024-03-04T03:00: 1 from dpa.de" in bars and "2024-03-04T05:00: 2 from dpa.de" not in bars
    assert "2024-03-04T05:00: 1 from efe.com" in bars and "2024-03-04T05:00: 1 from dpa.de" in bars
    assert "<b>" not in svg and "&lt;b&gt;evil" in svg  # a source name is text, never markup
    assert "per hour" in svg
    assert coverage_chart(_timeline()[:1]) is None


def test_who_reported_first_and_the_lags():
    firsts = first_reports(_timeline())
    assert [(f["source"], f["lag"]) for f in firsts] == [("dpa.de", "first"), ("efe.com", "+90 min"), ("<b>evil</b>", "+29 h")]


def test_sparkline():
    svg = sparkline(_timeline())
    assert svg.startswith('<svg class="spark"') and svg.count("<rect") == 3
    assert sparkline([]) is None


def test_the_story_page_shows_the_chart_and_the_list_its_sparklines(client):
    story = client.get("/stories").json()["stories"][0]
    page = client.get(f"/story/{story['story']}").text
    dated = sum(1 for t in story["timeline"] if t["published"])
    assert ('id="coverage-chart"' in page) == (dated >= 2)
    assert 'class="spark"' in client.get("/").text


def test_the_story_list_filters_by_source_name_and_dates(client):
    stories = client.get("/stories").json()["stories"]
    source = stories[0]["sources"][0]
    page = client.get("/", params={"source": source}).text
    shown = re.findall(r'href="/story/([^"]+)"', page)
    assert shown and set(shown) == {s["story"] for s in client.get("/stories", params={"source": source, "size": 200}).json()["stories"]}
    assert "from " + source in page
    assert "not a date" in client.get("/", params={"since": "March"}).text
    none = client.get("/", params={"since": "2100-01-01"}).text
    assert 'href="/story/' not in none


def test_a_source_page_lists_its_stories_and_how_often_it_was_first(client):
    stories = client.get("/stories", params={"size": 200}).json()["stories"]
    source = stories[0]["sources"][0]
    mine = [s for s in stories if source in s["sources"]]
    page = client.get(f"/source/{source}")
    assert page.status_code == 200 and f"In {len(mine)} stor" in page.text
    assert set(re.findall(r'href="/story/([^"]+)"', page.text)) == {s["story"] for s in mine}
    assert f'href="/source/{source}"' in client.get(f"/story/{mine[0]['story']}").text
    assert client.get("/source/nobody.example").status_code == 404
