"""JSON and JSONL articles; JSONL (plain, gzipped, or stdin) is streamed line by line."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..articles import article_from_dict
from ..errors import InputError, ReadError
from ..records import RawDocument
from .html import extract_html
from .report import ReadReport

__all__ = ["parse_json", "stream_jsonl", "open_jsonl"]


def _with_text(obj: Any) -> Any:
    """An article given only as ``html`` gets its text extracted here."""
    text = obj.get("text") if isinstance(obj, dict) else None
    if isinstance(obj, dict) and not (text.strip() if isinstance(text, str) else text) and isinstance(obj.get("html"), str):
        found = extract_html(obj["html"], obj.get("url"))
        if found is not None:
            obj = {**obj, "text": found["text"]}
            obj.setdefault("title", found["title"])
    return obj


def _article(obj: Any, where: str, report: ReadReport) -> RawDocument | None:
    """One record as a document; a bad record is reported and skipped, and never ends the file."""
    try:
        return RawDocument(article_from_dict(_with_text(obj)), where)
    except InputError as exc:
        report.skip(where, exc.message, exc.code)
    except (ValueError, TypeError, AttributeError, RecursionError, OverflowError) as exc:  # a record of a shape no check foresaw
        report.skip(where, f"unreadable record ({type(exc).__name__}: {str(exc)[:200]}); skipped", "SS120")
    return None


def parse_json(text: str, origin: str, report: ReadReport) -> Iterator[RawDocument]:
    """A ``.json`` file: one article object, or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"malformed JSON: {exc.msg} at line {exc.lineno}", code="SS105") from None
    items = data if isinstance(data, list) else [data]
    for n, obj in enumerate(items):
        doc = _article(obj, f"{origin}[{n}]" if isinstance(data, list) else origin, report)
        if doc is not None:
            yield doc


MAX_LINE_BYTES = 50_000_000  # a longer line (one article) is reported and skipped, never held whole (the readers
# pass read.max_file_bytes)
_CHUNK = 1 << 16


def _lines(stream: IO[bytes] | Iterable[bytes], origin: str, report: ReadReport, max_line: int) -> Iterator[tuple[int, bytes]]:
    """(line number, line) of the non-blank lines, read 64 kB at a time: a line over ``max_line`` bytes is
    reported and skipped as it streams past (a gzip bomb of one 1 GB line costs no memory), and a gigabyte of blank
    lines is counted, not looped over."""
    # read1: what is there, so the lines before a truncated gzip's cut come out before its error
    read = getattr(stream, "read1", None) or getattr(stream, "read", None)
    if read is None:  # any iterable of lines (tests, other callers)
        for lineno, raw in enumerate(stream, 1):
            if raw.strip():
                yield lineno, raw
        return
    lineno, pending, too_long = 0, b"", False
    while True:
        chunk = read(_CHUNK)
        if not chunk:
            break
        if not pending and not too_long and not chunk.strip():  # blank lines only: counted
            lineno += chunk.count(b"\n")
            continue
        parts = chunk.split(b"\n")
        for k, part in enumerate(parts[:-1]):
            lineno += 1
            if k == 0:
                part, pending = pending + part, b""
            if too_long:
                too_long = False
                report.skip(f"{origin}:{lineno}", f"line over {max_line:,} bytes (read.max_file_bytes; one article); skipped", "SS118")
            elif part.strip():
                yield lineno, part
        tail = parts[-1] if len(parts) > 1 else pending + parts[-1]
        if too_long or len(tail) > max_line:
            too_long, pending = True, b""
        else:
            pending = tail
    if too_long:
        report.skip(f"{origin}:{lineno + 1}", f"line over {max_line:,} bytes (read.max_file_bytes; one article); skipped", "SS118")
    elif pending.strip():
        yield lineno + 1, pending


def stream_jsonl(lines: IO[bytes] | Iterable[bytes], origin: str, report: ReadReport, *,
                 max_line: int = MAX_LINE_BYTES) -> Iterator[RawDocument]:
    """One article per line; a bad line is reported as ``file:line`` and skipped."""
    lineno = 0
    try:
        for lineno, raw in _lines(lines, origin, report, max_line):
            where = f"{origin}:{lineno}"
            try:
                obj = json.loads(raw)
            except UnicodeDecodeError:
                report.skip(where, "line is not UTF-8; skipped", "SS113")
                continue
            except json.JSONDecodeError as exc:
                report.skip(where, f"malformed JSON ({exc.msg}, column {exc.colno}); line skipped", "SS105")
                continue
            except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting 990 deep
                report.skip(where, f"JSON that cannot be read ({type(exc).__name__}: {str(exc)[:120]}); line skipped", "SS105")
                continue
            doc = _article(obj, where, report)
            if doc is not None:
                yield doc
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        report.skip(
            origin, f"truncated or corrupt gzip after line {lineno} ({exc}); the lines before were read", "SS114"
        )


def open_jsonl(path: str) -> IO[bytes]:
    """Open a ``.jsonl`` or ``.jsonl.gz`` file for streaming, in binary."""
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
