"""samestory watch: feeds followed over time from a local server (loopback only): what is new is stored once,
a 304 costs nothing, a page is fetched for an entry that brings only a summary, one failing source never stops
the others, and a restarted watch goes on from the store."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from samestory import load_settings, open_store
from samestory.cli import main
from samestory.readers.fetch import url_id
from samestory.watch import PollReport, parse_every, poll
from tests._site import Handler, serving

SETTINGS = load_settings(overrides={"fetch": {"delay": 0.0, "retries": 0, "timeout": 2.0}})
T0 = datetime(2024, 3, 4, 12, 0, tzinfo=timezone.utc)


@pytest.fixture()
def site():
    Handler.feed_items = 2
    Handler.hits.clear()
    with serving() as base:
        yield base


def test_a_feed_is_followed_and_only_what_is_new_is_stored(site, tmp_path):
    feed = f"{site}/watch/feed.xml"
    with open_store(str(tmp_path / "w.db"), settings=SETTINGS) as store:
        assert store.add_sources([feed]) == [feed] and store.add_sources([feed]) == []
        first = poll(store, settings=SETTINGS, every=60, now=T0)
        assert (first.sources, first.changed, first.new, first.failed) == (1, 1, 2, 0) and first.placed == 2
        # each summary-only entry became its page: the page's text and time, known by its URL
        page = store.get_article(url_id(f"{site}/watch/page/2.html"))
        assert "measure number 2" in page.text and page.published == datetime(2024, 3, 3, 9, 0, tzinfo=timezone.utc)
        assert poll(store, settings=SETTINGS, every=60, now=T0 + timedelta(seconds=30)).sources == 0  # not due yet
        hits = dict(Handler.hits)
        same = poll(store, settings=SETTINGS, every=60, now=T0 + timedelta(seconds=61))
        assert (same.unchanged, same.new) == (1, 0) and store.get_source(feed).message.endswith("(HTTP 304)")
        assert all(Handler.hits.get(p, 0) == hits.get(p, 0) for p in Handler.hits if "/page/" in p)  # no page fetched again
        Handler.feed_items = 3  # the feed changes: one entry more
        more = poll(store, settings=SETTINGS, every=60, now=T0 + timedelta(seconds=122))
        assert (more.changed, more.new) == (1, 1)
        assert Handler.hits[f"/watch/page/{1}.html"] == 1  # pages already stored are not fetched again
        assert store.count_articles() == 3 and store.get_source(feed).items == 3


def test_the_same_article_from_two_feeds_a_sitemap_and_a_json_feed_is_stored_once(site, tmp_path):
    with open_store(str(tmp_path / "w.db"), settings=SETTINGS) as store:
        store.add_sources([f"{site}/watch/{p}" for p in ("feed.xml", "full.xml", "sitemap.xml", "feed.json")])
        done = poll(store, settings=SETTINGS, every=60, now=T0, stories=False)  # stored only: placing is tested above
        assert (done.sources, done.failed) == (4, 0)
        ids = {a.id for a in store.iter_articles()}
        assert ids == {url_id(f"{site}/watch/page/{k}.html") for k in (1, 2, 5, 6)}  # page 1: in three sources, stored once
        assert store.get_article(url_id(f"{site}/watch/page/5.html")).title == "Nantes votes on measure 5"  # its page's
        assert Handler.hits["/watch/page/1.html"] == 1  # fetched for the first source only


def test_a_failing_source_backs_off_and_never_stops_the_others(site, tmp_path):
    good, down, page = (f"{site}/watch/{p}" for p in ("feed.xml", "down.xml", "now-a-page.xml"))
    with open_store(str(tmp_path / "w.db"), settings=SETTINGS) as store:
        store.add_sources([down, page, good])
        done = poll(store, settings=SETTINGS, every=60, now=T0, stories=False)
        assert (done.failed, done.changed, done.new) == (2, 1, 2)
        failing = store.get_source(down)
        assert failing.status == "failing" and failing.failures == 1 and "HTTP 500" in failing.message
        assert store.get_source(page).message.startswith("answered with a web page")
        assert failing.next_fetch == T0 + timedelta(seconds=120)  # twice the interval
        poll(store, settings=SETTINGS, every=60, now=T0 + timedelta(seconds=121), stories=False)
        again = store.get_source(down)
        assert again.failures == 2 and again.next_fetch == T0 + timedelta(seconds=121 + 240)
        assert store.get_source(good).failures == 0


def test_watch_and_sources_commands_and_a_restart_goes_on(site, tmp_path, capsys):
    db = str(tmp_path / "w.db")
    cfg = tmp_path / "s.toml"
    cfg.write_text("[fetch]\ndelay = 0.0\nretries = 0\ntimeout = 2.0\n")
    feed, down = f"{site}/watch/feed.xml", f"{site}/watch/down.xml"
    assert main(["--config", str(cfg), "watch", feed, down, "--once", "--db", db]) == 0
    err = capsys.readouterr().err
    assert "2 new articles" in err and "1 failing" in err
    assert main(["--config", str(cfg), "-q", "watch", "--once", "--db", db]) == 0  # a restart: the store's sources, 304
    with open_store(db) as store:
        assert store.count_articles() == 2 and store.get_source(feed).status == "unchanged"
    assert main(["sources", "--json", "--db", db]) == 0
    lines = {json.loads(line)["url"]: json.loads(line) for line in capsys.readouterr().out.splitlines()}
    assert set(lines) == {feed, down} and (lines[down]["status"], lines[down]["failures"]) == ("failing", 2)
    assert lines[feed]["items"] == 2 and lines[feed]["failures"] == 0
    assert main(["-q", "sources", "--remove", down, "--db", db]) == 0
    assert main(["-q", "sources", "--remove", down, "--db", db]) == 2  # not followed any more: said so
    assert "not followed" in capsys.readouterr().err
    assert main(["-q", "watch", "--once", "--db", str(tmp_path / "empty.db")]) == 2
    assert "no sources to follow" in capsys.readouterr().err
    assert main(["-q", "watch", "notes.txt", "--db", db]) == 2
    assert main(["-q", "watch", feed, "--every", "soon", "--db", db]) == 2
    assert main(["--config", str(cfg), "-q", "watch", down, "--once", "--db", str(tmp_path / "down.db")]) == 2  # all failed
    assert "every source failed" in capsys.readouterr().err


def test_parse_every():
    assert [parse_every(x) for x in ("15m", "1h", "90s", "90", "1d", "0.5h")] == [900, 3600, 90, 90, 86400, 1800]
    for bad in ("soon", "0", "-5m", "10 weeks"):
        with pytest.raises(Exception, match="--every"):
            parse_every(bad)
    assert PollReport().new == 0


def test_a_parser_that_crashes_on_one_source_stops_only_that_source(site, tmp_path, monkeypatch):
    from samestory import watch

    real = watch.parse_feed

    def crashes_on_full(data, origin, report):
        if origin.endswith("/full.xml"):
            raise RuntimeError("parser bug")
        return real(data, origin, report)

    monkeypatch.setattr(watch, "parse_feed", crashes_on_full)
    with open_store(str(tmp_path / "w.db"), settings=SETTINGS) as store:
        store.add_sources([f"{site}/watch/full.xml", f"{site}/watch/feed.xml"])
        done = poll(store, settings=SETTINGS, every=60, now=T0, stories=False)
        assert (done.failed, done.new) == (1, 2)
        assert "RuntimeError: parser bug" in store.get_source(f"{site}/watch/full.xml").message
