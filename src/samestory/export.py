"""Stories, the article-to-story assignment and the articles as rows for a spreadsheet or a notebook: CSV, JSON
lines or Parquet, streamed from the store (a row at a time; Parquet a batch at a time)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from .articles import article_to_dict
from .errors import InputError, MissingExtraError
from .store import SQLiteStore

__all__ = ["WHAT", "FORMATS", "COLUMNS", "export_rows", "flat", "write_csv", "write_jsonl", "write_parquet"]

WHAT = ("stories", "assignments", "articles")
FORMATS = ("csv", "jsonl", "parquet")
#: the columns of each table, in order (lists are joined with "; " in CSV and kept as lists in JSON and Parquet)
COLUMNS = {
    "stories": ["story", "title", "size", "first_seen", "last_seen", "sources", "countries", "entities", "articles"],
    "assignments": ["article", "story", "new_story", "note", "published", "source", "title"],
    "articles": ["id", "title", "url", "source", "language", "published", "text"],
}
_BATCH = 1000


def export_rows(store: SQLiteStore, what: str) -> Iterator[dict[str, Any]]:
    """The rows of one table (see COLUMNS), streamed."""
    if what == "stories":
        for d in store.iter_stories():
            yield {"story": d["story"], "title": d["title"], "size": len(d["articles"]), "first_seen": d["first_seen"],
                   "last_seen": d["last_seen"], "sources": d["sources"], "countries": d["countries"],
                   "entities": d["entities"], "articles": d["articles"]}
    elif what == "assignments":
        yield from store.iter_assignments()
    elif what == "articles":
        for article in store.iter_articles():
            d = article_to_dict(article)
            yield {c: d.get(c) for c in COLUMNS["articles"]}
    else:
        raise InputError(f"cannot export '{what}': choose one of {', '.join(WHAT)}", code="SS109")


def flat(value: Any) -> Any:
    """A CSV cell: a list joined with "; "."""
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def write_csv(rows: Iterator[dict], what: str, fh: IO[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=COLUMNS[what], extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: flat(v) for k, v in row.items()})
        n += 1
    return n


def write_jsonl(rows: Iterator[dict], fh: IO[str]) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def write_parquet(rows: Iterator[dict], what: str, path: str) -> int:
    """Parquet needs pyarrow (the ``spark`` extra)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("export to Parquet", "spark") from None
    lists = {"sources", "countries", "entities", "articles"}
    fields = [pa.field(c, pa.list_(pa.string()) if c in lists else pa.int64() if c == "size" else pa.bool_()
                       if c == "new_story" else pa.string()) for c in COLUMNS[what]]
    schema = pa.schema(fields)
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) == _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
