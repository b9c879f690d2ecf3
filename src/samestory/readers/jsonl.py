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


def stream_jsonl(lines: Iterable[bytes], origin: str, report: ReadReport) -> Iterator[RawDocument]:
    """One article per line; a bad line is reported as ``file:line`` and skipped."""
    lineno = 0
    try:
        for lineno, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
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
