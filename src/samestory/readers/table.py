"""Tables of articles, a row each: CSV and TSV (spreadsheet exports), Parquet.

Columns are recognised by their usual names (``COLUMNS``: title/headline, text/body/content, url/link,
date/published, source/site, language/lang, id); any other column goes to ``meta``. A date that is not ISO 8601 or
RFC 2822 ("04/03/2024 08:15") is read by dateparser (month first, as spreadsheets in the US write it; the raw
value is kept in ``meta.published_raw`` and where it came from in ``meta.published_from``), never dropped. A row that
cannot be used (a ragged row, no text) is reported with its line and the next row is read. A CSV file is decoded
whole (bounded by ``read.max_file_bytes``, as every single file is) and its rows parsed one at a time (quoted
newlines, a BOM, ``;`` or tab separators: the dialect is sniffed from the first rows); Parquet is read a row group at
a time (pyarrow, which the ``spark`` extra installs).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError, ReadError
from ..records import RawDocument
from .jsonl import _article
from .report import ReadReport

__all__ = ["COLUMNS", "TableForm", "read_csv", "read_parquet"]

#: a column's name (case and spaces folded) -> the Article field it fills
COLUMNS = {
    **dict.fromkeys(("id", "article_id", "guid", "uuid"), "id"),
    **dict.fromkeys(("title", "headline", "heading", "subject"), "title"),
    **dict.fromkeys(("text", "body", "content", "article", "maintext", "full_text", "fulltext", "story"), "text"),
    **dict.fromkeys(("url", "link", "href", "uri", "permalink"), "url"),
    **dict.fromkeys(("published", "date", "pubdate", "pub_date", "publish_date", "published_at", "datetime",
                     "time", "timestamp", "date_published", "seendate"), "published"),
    **dict.fromkeys(("source", "site", "domain", "outlet", "publisher", "sitename", "source_name"), "source"),
    **dict.fromkeys(("language", "lang", "meta_lang"), "language"),
    "html": "html",
}
_SNIFF_BYTES = 64 * 1024
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # an article's body is one field; read.max_file_bytes bounds the file


@dataclass(frozen=True, slots=True)
class TableForm:
    """How to read a table: columns mapped to fields by the user (``read.columns``: column name -> field, over
    the usual names) and the strftime form of its dates (``read.date_format``; "" = ISO, RFC 2822, else dateparser)."""

    columns: dict[str, str] = field(default_factory=dict)
    date_format: str = ""
    folded: dict[str, str] = field(default_factory=dict)  # ``columns`` with their names folded, made once by ``of``

    @classmethod
    def of(cls, columns: dict[str, str], date_format: str = "") -> TableForm:
        return cls(columns, date_format, {_fold(k): v for k, v in columns.items()})


def _fold(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _field(name: str, form: TableForm = TableForm()) -> str | None:
    key = _fold(name)
    if key in form.folded:
        return form.folded[key]
    usual = COLUMNS.get(key)
    if usual is not None and usual in form.folded.values():
        return None  # the user named another column for this field: this one goes to meta
    return usual


def _need_text(names: list[str], form: TableForm = TableForm()) -> None:
    """A table without a column of text (or of HTML) holds no articles: the file is refused, saying why."""
    missing = [c for c in form.columns if c.strip() not in names and _fold(c) not in {_fold(n) for n in names}]
    if missing:
        raise ReadError(f"no column '{missing[0]}' (--map) among {', '.join(names)[:300]}; skipped", code="SS105")
    if not any(_field(n, form) in ("text", "html") for n in names):
        raise ReadError(f"no text column among {', '.join(names)[:300]} (one of: text, body, content, article); skipped",
                        code="SS105")


def _record(row: dict[str, Any], form: TableForm = TableForm()) -> dict[str, Any]:
    """A row as an article dict: known columns to their fields (the first of several wins), the rest to ``meta``."""
    obj: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for name, value in row.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        target = _field(str(name), form)
        if target is not None and target not in obj:
            obj[target] = value if isinstance(value, str) or target == "published" else str(value)
        else:
            meta[str(name)] = value if isinstance(value, (str, int, float, bool)) else str(value)
    if "published" in obj:
        obj["published"] = _date(obj["published"], meta, form.date_format)
    if meta:
        obj["meta"] = meta
    return obj


def _date(value: Any, meta: dict[str, Any], date_format: str = "") -> Any:
    """With ``date_format``, the date in that form (no zone: UTC); a value not in it, and every value without a
    form: ISO and RFC 2822 pass as they are (the article reader parses them), anything else through dateparser."""
    from ..articles import parse_datetime

    if not isinstance(value, str):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if date_format:
        try:
            parsed = datetime.strptime(value.strip(), date_format)
        except ValueError:
            meta["published_format_mismatch"] = date_format  # read below as if no form were given, and said so
        else:
            meta["published_raw"] = value
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).isoformat()
    try:
        if parse_datetime(value) is not None:
            return value
    except Exception:  # noqa: BLE001 - not ISO or RFC 2822: try harder below
        pass
    import dateparser

    parsed = dateparser.parse(value, settings={"DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first"})
    if parsed is None:
        return value  # the article reader keeps it as meta.published_raw and says so
    meta["published_raw"] = value
    meta["published_from"] = "dateparser"
    return parsed.isoformat()


def read_csv(text: str, origin: str, report: ReadReport, *, tab: bool = False, form: TableForm = TableForm()) -> Iterator[RawDocument]:
    """A CSV or TSV table (already decoded), a row at a time; line numbers in reports are the row's first line."""
    sample = text[:_SNIFF_BYTES]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters="\t" if tab else ",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if tab else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError("empty table; skipped", code="SS117") from None
    except csv.Error as exc:
        raise ReadError(f"unreadable table header: {exc}", code="SS105") from None
    _need_text(header, form)
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.skip(f"{origin}:{start}", f"unreadable row: {exc}", "SS120")
            line = reader.line_num
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            report.skip(f"{origin}:{start}", f"row has {len(row)} fields, the header {len(header)}; skipped", "SS120")
            continue
        doc = _article(_record(dict(zip(header, row)), form), f"{origin}:{start}", report)
        if doc is not None:
            yield doc


def read_parquet(path: Path, origin: str, report: ReadReport, *, form: TableForm = TableForm()) -> Iterator[RawDocument]:
    """A Parquet table, a row group at a time."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("reading Parquet", "spark") from None
    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types on a broken file
        raise ReadError(f"not a readable Parquet file ({type(exc).__name__}: {str(exc)[:200]})", code="SS105") from None
    names = table.schema_arrow.names
    _need_text(names, form)
    n = 0
    for group in range(table.num_row_groups):
        try:
            rows = table.read_row_group(group).to_pylist()
        except Exception as exc:  # noqa: BLE001
            report.skip(f"{origin}#group{group}", f"unreadable row group ({type(exc).__name__}); skipped", "SS120")
            continue
        for row in rows:
            n += 1
            doc = _article(_record(row, form), f"{origin}#{n}", report)
            if doc is not None:
                yield doc
