"""Pages extracted and cleaned in worker processes give what one process gives, in order, with the same report."""

import html
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context

import pytest

from samestory import ReadReport, load_settings
from samestory import pipeline
from samestory import workers as pool
from samestory.pipeline import READ_BATCH, read_articles
from tests._data import demo_docs
from tests.readers.test_warc import _page, _response

SETTINGS = load_settings()


def _with(workers):
    return replace(SETTINGS, read=replace(SETTINGS.read, workers=workers))


def _html(doc):
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in doc["text"].split("\n") if p.strip())
    title = html.escape(doc.get("title") or "")
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paras}</article></body></html>"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """HTML pages (two folders), a JSONL file, a WARC file, and files that cannot be read."""
    root = tmp_path_factory.mktemp("pile")
    docs = list(demo_docs().values())
    for k, doc in enumerate(docs[:40]):
        sub = root / ("a" if k % 2 else "b")
        sub.mkdir(exist_ok=True)
        (sub / f"page{k:02d}.html").write_text(_html(doc), encoding="utf-8")
    with (root / "wire.jsonl").open("w", encoding="utf-8") as fh:
        for doc in docs[40:60]:
            fh.write(json.dumps({k: doc[k] for k in ("id", "title", "text") if k in doc}) + "\n")
        fh.write("{not json\n")
    (root / "news.warc.gz").write_bytes(b"".join(_response(f"http://w.example/{k}", _page(f"Port fire {k}")) for k in range(6)))
    (root / "b" / "menu.html").write_text("<html><body><nav>Home | News | Sport</nav></body></html>")
    (root / "a" / "noise.txt").write_bytes(b"\x00\x01\x02" * 50)
    (root / "a" / "notes.doc").write_text("not read")
    return root


def _read(folder, workers):
    report = ReadReport()
    articles = list(read_articles(folder, settings=_with(workers), report=report))
    return articles, report


def test_workers_give_the_articles_and_report_of_one_process(folder):
    here, here_report = _read(folder, 1)
    pooled, pooled_report = _read(folder, 2)
    assert len(here) > 3 * READ_BATCH  # enough for the workers to be used
    assert pooled == here  # the same articles, in the same order
    assert {a.meta.get("extracted_by") for a in here} >= {"trafilatura"}
    assert any("warc" in a.meta for a in here)
    assert (pooled_report.files, pooled_report.articles) == (here_report.files, here_report.articles)
    assert sorted(pooled_report.problems, key=repr) == sorted(here_report.problems, key=repr)
    assert {p.code for p in here_report.problems} >= {"SS105", "SS111", "SS112", "SS115"}


def test_pages_as_read_without_cleaning_are_the_same_too(folder):
    here = list(read_articles(folder, settings=_with(1), clean=False))
    pooled = list(read_articles(folder, settings=_with(2), clean=False))
    assert pooled == here and len(here) == 40 + 20 + 6


def test_a_small_read_stays_in_this_process(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("workers started for a small read")

    monkeypatch.setattr(pipeline, "map_in_workers", refuse)
    for k, doc in enumerate(list(demo_docs().values())[: 2 * READ_BATCH]):
        (tmp_path / f"p{k}.html").write_text(_html(doc), encoding="utf-8")
    assert len(list(read_articles(tmp_path, settings=_with(2)))) >= 2 * READ_BATCH


def test_a_dead_pool_falls_back_to_this_process(folder, monkeypatch):
    broken = ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=os._exit, initargs=(3,))
    monkeypatch.setitem(pool._POOL, 3, broken)
    with pytest.warns(RuntimeWarning, match="reading in this process"):
        pooled, report = _read(folder, 3)
    assert pooled == _read(folder, 1)[0] and report.problems
    assert 3 not in pool._POOL or pool._POOL[3] is not broken


def test_read_workers_setting_is_checked():
    from samestory.errors import ConfigError

    with pytest.raises(ConfigError, match="read.workers"):
        load_settings(overrides={"read": {"workers": -1}})
