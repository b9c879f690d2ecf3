"""Read sources into raw documents: files, folders (recursive), http(s) URLs and ``-`` for stdin JSONL.

``read()`` is a generator: nothing is loaded whole except single-document files
(text, HTML, JSON, feeds), which are bounded by ``read.max_file_bytes``. A
source that cannot be read is reported in the :class:`ReadReport` (and logged)
and skipped; the rest goes on.

Underneath, ``read_units()`` hands on HTML pages (files, URLs, WARC records) unextracted, as :class:`Page`, and
``documents()`` extracts them: ``read()`` chains the two in this process, and ``samestory.pipeline.read_articles``
extracts and cleans the pages in worker processes where ``read.workers`` allows it.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..articles import parse_datetime
from ..errors import InputError, ReadError
from ..records import RawDocument
from ..settings import Settings, column_map, load_settings
from ._decode import decode, looks_binary
from .feed import parse_feed
from .fetch import Fetcher, is_url, url_id
from .html import Page, extract_html
from .jsonl import open_jsonl, parse_json, stream_jsonl
from .report import ReadReport
from .table import TableForm, read_csv, read_parquet
from .text import parse_text
from .warc import read_warc

__all__ = ["read", "ReadReport", "SUFFIXES", "extract_html"]

#: file name ending -> format
SUFFIXES = {
    ".txt": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".xml.gz": "feed",
    ".rss.gz": "feed",
    ".atom.gz": "feed",
    ".csv": "csv",
    ".csv.gz": "csv",
    ".tsv": "tsv",
    ".tsv.gz": "tsv",
    ".parquet": "parquet",
    ".warc": "warc",
    ".warc.gz": "warc",
}


_LONGEST_FIRST = sorted(SUFFIXES, key=len, reverse=True)  # ".jsonl.gz" before ".gz"-less ".jsonl"


def _suffix_of(path: str) -> str | None:
    name = path.lower()
    return next((suffix for suffix in _LONGEST_FIRST if name.endswith(suffix)), None)


def _format_of(path: str) -> str | None:
    suffix = _suffix_of(path)
    return SUFFIXES[suffix] if suffix else None


def _doc_id(path: Path, root: Path | None) -> str:
    """A file's id: its path under the folder given (without suffix), or its stem."""
    rel = path.relative_to(root) if root is not None else Path(path.name)
    name = rel.as_posix()
    suffix = _suffix_of(name)
    return name[: len(name) - len(suffix)] if suffix else name


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _read_file(path: Path, root: Path | None, settings: Settings, report: ReadReport) -> Iterator[RawDocument | Page]:
    origin = str(path)
    fmt = _format_of(origin)
    if fmt is None:
        raise ReadError(
            f"unsupported file type; samestory reads {', '.join(SUFFIXES)}", code="SS111"
        )
    report.files += 1
    if fmt == "jsonl":
        with open_jsonl(origin) as fh:  # streamed: one line (one article) at most read.max_file_bytes
            yield from stream_jsonl(fh, origin, report, max_line=settings.read.max_file_bytes)
        return
    if fmt == "parquet":  # a row group at a time
        yield from read_parquet(path, origin, report, form=_table_form(settings))
        return
    if fmt == "warc":  # a record at a time; each record bounded by read.max_file_bytes
        yield from read_warc(path, origin, report, max_record_bytes=settings.read.max_file_bytes,
                             keep_html=settings.store.keep_html, encoding=settings.read.encoding)
        return
    size = path.stat().st_size
    if size > settings.read.max_file_bytes:
        raise ReadError(
            f"file is {size:,} bytes, over read.max_file_bytes ({settings.read.max_file_bytes:,}); "
            "raise it in your settings file or split the file",
            code="SS118",
        )
    data = path.read_bytes()
    if origin.lower().endswith(".gz"):
        data = _gunzip(data, settings.read.max_file_bytes)
    if not data.strip():
        raise ReadError("empty file; skipped", code="SS117")
    if fmt == "feed":
        if looks_binary(data):
            raise ReadError("binary file, not text; skipped", code="SS112")
        yield from parse_feed(data, origin, report)
        return
    text, _ = decode(data, origin, encoding=settings.read.encoding)
    if fmt == "json":
        yield from parse_json(text, origin, report)
    elif fmt in ("csv", "tsv"):
        yield from read_csv(text, origin, report, tab=fmt == "tsv", form=_table_form(settings))
    elif fmt == "html":
        yield Page(text, origin, _doc_id(path, root), keep_html=settings.store.keep_html)
    else:
        yield parse_text(text, origin, _doc_id(path, root))


def _gunzip(data: bytes, limit: int) -> bytes:
    """A gzipped file's content, at most ``limit`` bytes of it (a small file can hold gigabytes of zeros)."""
    import gzip
    import zlib

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ReadError(f"not a readable gzip file ({exc}); skipped", code="SS105") from None
    if len(out) > limit:
        raise ReadError(f"over read.max_file_bytes ({limit:,}) once decompressed; raise it in your settings file or split "
                        "the file", code="SS118")
    return out


def _table_form(settings: Settings) -> TableForm:
    return TableForm.of(column_map(settings.read.columns), settings.read.date_format)


def _defaults(settings: Settings) -> dict[str, Any]:
    """What ``read.source``, ``read.published`` and ``read.language`` give the documents that carry none."""
    out: dict[str, Any] = {}
    if settings.read.source.strip():
        out["source"] = settings.read.source.strip()
    if settings.read.published.strip():
        try:
            out["published"] = parse_datetime(settings.read.published)
        except InputError as exc:
            raise InputError(f"read.published (--published): {exc.message}", code="SS104") from None
    if settings.read.language.strip():
        out["language"] = settings.read.language.strip().lower()
    return out


def _filled(doc: RawDocument, defaults: dict[str, Any]) -> RawDocument:
    missing = {k: v for k, v in defaults.items() if getattr(doc.article, k) is None}
    return replace(doc, article=replace(doc.article, **missing)) if missing else doc


def _counted(units: Iterable[RawDocument | Page], report: ReadReport, defaults: dict[str, Any]) -> Iterator[RawDocument | Page]:
    """A document is counted and given the defaults here; a page once it is extracted (``documents``)."""
    for unit in units:
        if isinstance(unit, Page):
            yield unit
        else:
            report.articles += 1
            yield _filled(unit, defaults)


@contextmanager
def _reported(report: ReadReport, origin: str) -> Iterator[None]:
    """Whatever goes wrong while reading ``origin`` is reported, and the caller goes on with the next source: a
    parser library failing on a broken file, page or response must not end the run."""
    try:
        yield
    except (ReadError, InputError) as exc:
        report.skip(origin, exc.message, exc.code)
    except OSError as exc:
        report.skip(origin, f"cannot read: {exc.strerror or exc}", "SS119")
    except Exception as exc:
        report.skip(origin, f"unexpected error while reading ({type(exc).__name__}: {exc}); skipped", "SS119")


def documents(units: Iterable[RawDocument | Page], settings: Settings, report: ReadReport) -> Iterator[RawDocument]:
    """``read_units``' documents, its pages extracted (``Page.document``), in order; a page without article text,
    or one the extractor fails on, is reported and skipped."""
    defaults = _defaults(settings)
    for unit in units:
        if not isinstance(unit, Page):
            yield unit
            continue
        doc = None
        with _reported(report, unit.origin):
            doc = unit.document()
        if doc is not None:
            report.articles += 1
            yield _filled(doc, defaults)


def _read_url(url: str, fetcher: Fetcher, settings: Settings, report: ReadReport,
              defaults: dict[str, Any]) -> Iterator[RawDocument | Page]:
    """One URL: a page (extracted as an HTML file is), a feed (one article per entry), JSON or plain text; whatever
    goes wrong with it is reported with the URL and the caller goes on."""
    report.files += 1
    with _reported(report, url):
        got = fetcher.get(url)
        if got.kind == "feed":
            docs = parse_feed(got.data, url, report)
        else:
            text, _ = decode(got.data, url, encoding=settings.read.encoding or got.charset or "")
            if got.kind == "json":
                docs = parse_json(text, url, report)
            elif got.kind == "html":
                docs = iter([Page(text, url, url_id(got.url), keep_html=settings.store.keep_html, url=got.url)])
            else:
                docs = iter([parse_text(text, url, url_id(got.url))])
        yield from _counted(docs, report, defaults)


def _read_one(path: Path, root: Path | None, settings: Settings, report: ReadReport,
              defaults: dict[str, Any]) -> Iterator[RawDocument | Page]:
    """One file; whatever goes wrong with it is reported and the caller goes on."""
    with _reported(report, str(path)):
        yield from _counted(_read_file(path, root, settings, report), report, defaults)


def read(
    sources: str | Path | Iterable[str | Path],
    *,
    settings: Settings | None = None,
    report: ReadReport | None = None,
) -> Iterator[RawDocument]:
    """Yield raw documents from files, folders (recursively) and ``-`` (stdin JSONL); a document without a source,
    a publication time or a language gets ``read.source``, ``read.published``, ``read.language`` where they are set.

    Problems go to ``report`` (a fresh one if not given) and are logged as warnings.
    """
    settings = settings or load_settings()
    report = report if report is not None else ReadReport()
    yield from documents(read_units(sources, settings=settings, report=report), settings, report)


def read_units(
    sources: str | Path | Iterable[str | Path],
    *,
    settings: Settings | None = None,
    report: ReadReport | None = None,
) -> Iterator[RawDocument | Page]:
    """What ``read()`` yields, with HTML pages not yet extracted: ``documents()`` extracts them (in this process
    or in a worker)."""
    settings = settings or load_settings()
    report = report if report is not None else ReadReport()
    defaults = _defaults(settings)
    if isinstance(sources, (str, Path)):
        sources = [sources]
    fetcher = Fetcher(settings.fetch)
    try:
        yield from _read_sources(sources, settings, report, defaults, fetcher)
    finally:
        fetcher.close()


def _read_sources(sources: Iterable[str | Path], settings: Settings, report: ReadReport, defaults: dict[str, Any],
                  fetcher: Fetcher) -> Iterator[RawDocument | Page]:
    for source in sources:
        if is_url(source):
            yield from _read_url(str(source), fetcher, settings, report, defaults)
            continue
        if str(source) == "-":
            report.files += 1
            yield from _counted(stream_jsonl(sys.stdin.buffer, "-", report, max_line=settings.read.max_file_bytes), report, defaults)
            continue
        path = Path(source)
        if path.is_dir():
            for file in _walk(path):
                if _format_of(str(file)) is None:
                    report.skip(str(file), "unsupported file type; skipped", "SS111")
                    continue
                yield from _read_one(file, path, settings, report, defaults)
        elif path.exists():
            yield from _read_one(path, None, settings, report, defaults)
        else:
            report.skip(str(path), "no such file or folder", "SS110")
