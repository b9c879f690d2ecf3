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


def test_columns_named_otherwise_and_a_date_format_from_the_command_line(tmp_path, capsys):
    import json

    from samestory import load_settings
    from samestory.cli import main

    path = tmp_path / "de.csv"
    quake_text = QUAKE.replace("\n", " ")
    path.write_text(f"Schlagzeile;Inhalt;Datum;text\nBeben;{quake_text};04/03/2024 08:15;a note\nStreik;{STRIKE};21.03.2024;x\n")
    settings = load_settings(overrides={"read": {"columns": "title=Schlagzeile, text=Inhalt,published=Datum",
                                                 "date_format": "%d/%m/%Y %H:%M"}})
    report = ReadReport()
    quake, strike = (d.article for d in read([path], settings=settings, report=report))
    assert (quake.title, quake.text) == ("Beben", quake_text) and quake.meta["text"] == "a note"  # the mapped column wins
    assert quake.published.isoformat() == "2024-03-04T08:15:00+00:00"  # day first, as the form says; no zone: UTC
    # a date not in the form is read as without one, and kept with the form it did not fit
    assert strike.meta["published_format_mismatch"] == "%d/%m/%Y %H:%M" and strike.published is not None
    assert main(["read", str(path), "--map", "title=Schlagzeile", "--map", "text=Inhalt,published=Datum",
                 "--date-format", "%d/%m/%Y %H:%M"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["title"] == "Beben" and first["published"].startswith("2024-03-04T08:15")
    assert main(["read", str(path), "--map", "headline"]) == 2  # not FIELD=COLUMN: one line, exit 2
    assert "FIELD=COLUMN" in capsys.readouterr().err
    assert main(["read", str(path), "--map", "text=Body"]) == 2  # a column the table lacks: said so
    assert "no column 'Body'" in capsys.readouterr().err


def test_gzipped_feeds_and_tables_are_read_within_the_size_limit(tmp_path):
    import gzip

    from samestory import load_settings

    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Port strike</title>'
           f"<description>{STRIKE}</description></item></channel></rss>")
    (tmp_path / "wire.rss.gz").write_bytes(gzip.compress(rss.encode()))
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress(f"title,text\nQuake,{QUAKE.splitlines()[0]}\n".encode()))
    (tmp_path / "bomb.xml.gz").write_bytes(gzip.compress(b"<rss>" + b" " * 3_000_000 + b"</rss>"))
    (tmp_path / "broken.rss.gz").write_bytes(b"\x1f\x8b not gzip at all")
    report = ReadReport()
    docs = list(read([tmp_path], settings=load_settings(overrides={"read": {"max_file_bytes": 1_000_000}}), report=report))
    assert sorted(d.article.title for d in docs) == ["Port strike", "Quake"]
    problems = {p.origin.rsplit("/", 1)[1]: p for p in report.problems}
    assert problems["bomb.xml.gz"].code == "SS118" and "decompressed" in problems["bomb.xml.gz"].reason
    assert problems["broken.rss.gz"].code == "SS105"
