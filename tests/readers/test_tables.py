"""Tables of articles: CSV and TSV as spreadsheets export them, Parquet."""

import pytest

from samestory.readers import ReadReport, read

QUAKE = "A magnitude 6.1 earthquake struck eastern Turkey on Monday.\nTwelve people were killed, officials said."
STRIKE = "Dockworkers at the port of Rotterdam walked out on Thursday in a strike over pay."


def _read(path):
    report = ReadReport()
    return list(read([path], report=report)), report


def test_a_spreadsheet_export_with_a_bom_semicolons_quoted_newlines_and_a_ragged_row(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(("\ufeffHeadline;Body;Link;Date;Site;Section\r\n"
                      f'Quake hits Turkey;"{QUAKE}";https://example.com/a;04/03/2024 08:15;example.com;World\r\n'
                      "Ragged;row\r\n"
                      f"Port strike;{STRIKE};https://example.com/b;2024-03-21T10:00:00+00:00;example.com;Business\r\n").encode("utf-8"))
    docs, report = _read(path)
    quake, strike = (d.article for d in docs)
    assert quake.title == "Quake hits Turkey" and quake.text == QUAKE and quake.source == "example.com"
    assert quake.published.isoformat().startswith("2024-04-03T08:15")  # month first, as US spreadsheets write it
    assert quake.meta["published_raw"] == "04/03/2024 08:15" and quake.meta["published_from"] == "dateparser"
    assert quake.meta["Section"] == "World" and strike.url == "https://example.com/b"
    assert [(p.origin, p.code) for p in report.problems] == [(f"{path}:4", "SS120")]  # its first line: the quake spans two
    assert "3 fields" not in report.problems[0].reason and "the header 6" in report.problems[0].reason


def test_tsv_and_a_table_without_a_text_column(tmp_path):
    (tmp_path / "a.tsv").write_text(f"title\ttext\nPort strike\t{STRIKE}\n")
    docs, _ = _read(tmp_path / "a.tsv")
    assert [d.article.title for d in docs] == ["Port strike"]
    (tmp_path / "b.csv").write_text("name,price\nbread,2\n")
    docs, report = _read(tmp_path / "b.csv")
    assert docs == [] and report.problems[0].code == "SS105" and "no text column" in report.problems[0].reason


def test_parquet_a_row_group_at_a_time(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"headline": ["Quake hits Turkey", "Port strike", "Empty"], "content": [QUAKE, STRIKE, "  "],
                      "seendate": ["20240304T081500Z", "2024-03-21", None], "tone": [-3.5, 1.0, 0.0]})
    pq.write_table(table, tmp_path / "gdelt.parquet", row_group_size=1)
    docs, report = _read(tmp_path / "gdelt.parquet")
    assert [d.article.title for d in docs] == ["Quake hits Turkey", "Port strike"]
    assert docs[0].article.meta["tone"] == -3.5 and docs[0].article.published.isoformat().startswith("2024-03-04T08:15")
    assert [p.code for p in report.problems] == ["SS102"]  # the row without text, by its number
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    docs, report = _read(tmp_path / "broken.parquet")
    assert docs == [] and report.problems[0].code == "SS105"
