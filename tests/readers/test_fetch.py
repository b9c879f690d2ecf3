"""URLs: pages and feeds fetched over HTTP from a local server (loopback only), politely and within bounds; each
failure reported with its URL, the rest read."""

import time
from datetime import datetime, timezone

import pytest

from samestory import ReadReport, load_settings, read
from samestory.cli import main
from samestory.readers.fetch import Fetcher, normal_url, url_id
from tests._site import Handler, serving


@pytest.fixture(scope="module")
def site():
    with serving() as base:
        yield base


SETTINGS = load_settings(overrides={"fetch": {"delay": 0.0, "retries": 1, "timeout": 1.0, "max_bytes": 200_000}})


def test_a_page_is_fetched_extracted_and_keeps_its_time(site):
    [doc] = read(f"{site}/article.html", settings=SETTINGS)
    a = doc.article
    assert a.title == "Storm hits Brittany" and "Brittany" in a.text
    assert a.published == datetime(2024, 3, 4, 3, 40, tzinfo=timezone.utc)  # not cut to midnight
    assert a.url == f"{site}/article.html" and a.id == url_id(f"{site}/article.html")
    assert Handler.agents[-1].startswith("samestory/")


def test_a_feed_url_gives_one_article_per_entry(site):
    docs = list(read(f"{site}/feed.xml", settings=SETTINGS))
    assert [d.article.title for d in docs] == ["Ferry cancelled", "Schools shut"]


def test_each_failure_is_reported_with_its_url_and_the_rest_is_read(site):
    report = ReadReport()
    urls = [f"{site}/{p}" for p in ("flaky", "slow", "huge", "endless", "loop", "private/article.html", "image.png",
                                    "gone", "moved", "gz", "feed-now-html")]
    urls.append("http://127.0.0.1:9/closed")  # nothing listens there
    docs = list(read(urls, settings=SETTINGS, report=report))
    assert len(docs) == 4 and {d.origin for d in docs} == {f"{site}/{p}" for p in ("flaky", "moved", "gz", "feed-now-html")}
    codes = {p.origin.rsplit("/", 1)[-1]: p.code for p in report.problems}
    assert codes == {"slow": "SS134", "huge": "SS135", "endless": "SS135", "loop": "SS132", "article.html": "SS131",
                     "image.png": "SS136", "gone": "SS133", "closed": "SS134"}
    assert Handler.hits["/flaky"] == 2  # retried once after the 500
    assert "robots.txt" in next(p.reason for p in report.problems if p.code == "SS131")


def test_politeness_delay_between_requests_to_one_host(site):
    settings = load_settings(overrides={"fetch": {"delay": 0.3}})
    with Fetcher(settings.fetch) as fetcher:
        fetcher.get(f"{site}/article.html")
        t0 = time.monotonic()
        fetcher.get(f"{site}/article.html")
        assert time.monotonic() - t0 >= 0.29


def test_urls_of_one_page_share_an_id():
    assert normal_url("HTTP://Example.com:80/a?utm_source=x#top") == normal_url("http://example.com/a")
    assert url_id("http://example.com/a#x") == url_id("http://example.com/a")


def test_ingest_urls_from_a_list(site, tmp_path, capsys):
    (tmp_path / "urls.txt").write_text(f"# coast\n{site}/article.html\n{site}/gone\n")
    db = str(tmp_path / "s.db")
    assert main(["--config", str(_config(tmp_path)), "ingest", "--urls", str(tmp_path / "urls.txt"), "--db", db]) == 0
    err = capsys.readouterr().err
    assert "stored 1 new" in err and "/gone: HTTP 404" in err
    assert main(["ingest", "--db", db]) == 2  # no sources at all: said
    assert "no sources given" in capsys.readouterr().err


def _config(tmp_path):
    path = tmp_path / "fetch.toml"
    path.write_text("[fetch]\ndelay = 0.0\nretries = 0\ntimeout = 2.0\n")
    return path
