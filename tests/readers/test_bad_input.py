"""Each bad input gets a clear message; the rest of the work goes on; the summary says why."""

import gzip

from samestory import ReadReport, read


def _read(*paths):
    report = ReadReport()
    docs = list(read(list(paths), report=report))
    return docs, report


def _codes(report):
    return [p.code for p in report.problems]


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.json").write_text("   \n")
    docs, report = _read(tmp_path)
    assert docs == [] and _codes(report) == ["SS117", "SS117"]
    assert "2 empty file" in report.summary()


def test_binary_file(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    docs, report = _read(tmp_path / "image.txt")
    assert docs == [] and _codes(report) == ["SS112"]


def test_declared_charset_is_used(tmp_path):
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Caf\xe9 fire</title></head><body><article>'
        "<p>A fire broke out at the caf\xe9 in the old town on Tuesday, firefighters said. "
        "Nobody was hurt, but the building was badly damaged and will be closed for weeks.</p>"
        "<p>The owner said he would rebuild the caf\xe9 as soon as the insurers had paid.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "latin1.html"
    path.write_bytes(html.encode("latin-1"))
    (doc,), report = _read(path)
    assert "café" in doc.article.text and not report.problems


def test_undeclared_legacy_encoding_is_detected(tmp_path):
    text = "Zürich: Überschwemmung trifft die Altstadt schwer.\n\nDie Behörden warnten die Bewohner früh. " * 3
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    (doc,), _ = _read(path)
    assert "Zürich" in doc.article.text


def test_truncated_gzip_keeps_what_was_read(fixtures, tmp_path):
    data = (fixtures / "topic1.jsonl.gz").read_bytes()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    docs, report = _read(path)
    assert 0 < len(docs) < 12
    assert _codes(report) == ["SS114"]
    assert "truncated" in report.problems[0].reason


def test_malformed_json_line_reports_file_and_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "good one"}\n{"text": broken\n\n{"text": "good two"}\n[1]\n')
    docs, report = _read(path)
    assert [d.article.text for d in docs] == ["good one", "good two"]
    assert [(p.origin, p.code) for p in report.problems] == [(f"{path}:2", "SS105"), (f"{path}:5", "SS101")]


def test_malformed_json_file(tmp_path):
    (tmp_path / "bad.json").write_text('{"text": ')
    docs, report = _read(tmp_path / "bad.json")
    assert docs == [] and _codes(report) == ["SS105"]


def test_html_without_article_text(tmp_path):
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    docs, report = _read(tmp_path / "nav.html")
    assert docs == [] and _codes(report) == ["SS115"]


def test_feed_without_entries(tmp_path):
    (tmp_path / "empty.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    )
    (tmp_path / "junk.xml").write_text("this is not xml at all")
    docs, report = _read(tmp_path / "empty.rss", tmp_path / "junk.xml")
    assert docs == [] and _codes(report) == ["SS116", "SS116"]
    assert "feed with no entries" in report.problems[0].reason
    assert "not a feed" in report.problems[1].reason


def test_missing_path_and_unsupported_type(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    docs, report = _read(tmp_path / "nope", tmp_path / "notes.pdf")
    assert docs == [] and _codes(report) == ["SS110", "SS111"]


def test_too_large_file_is_skipped(tmp_path):
    from samestory import load_settings

    (tmp_path / "big.txt").write_text("word " * 1000)
    report = ReadReport()
    docs = list(read(tmp_path / "big.txt", report=report, settings=load_settings(overrides={"read": {"max_file_bytes": 100}})))
    assert docs == [] and _codes(report) == ["SS118"]


def test_folder_of_10k_files_with_broken_ones(tmp_path):
    broken = set(range(0, 10000, 97))
    for i in range(10000):
        sub = tmp_path / f"d{i // 1000}"
        sub.mkdir(exist_ok=True)
        if i in broken:
            (sub / f"{i}.jsonl").write_text("{not json\n")
        else:
            (sub / f"{i}.txt").write_text(f"Story {i}\n\nBody of story {i}.")
    gz = tmp_path / "d0" / "z.jsonl.gz"
    gz.write_bytes(gzip.compress(b'{"text": "ok"}\n')[:-8])
    docs, report = _read(tmp_path)
    assert len(docs) == 10000 - len(broken) + 1
    assert report.skipped == len(broken) + 1
    summary = report.summary()
    assert f"skipped {len(broken) + 1}" in summary and "malformed JSON" in summary


def test_a_bad_record_never_ends_the_file(tmp_path):
    """Each bad line is reported with its line number, and every good line around it is read."""
    bad = ['{"text": 5}', '{"text": ["a"]}', '{"text": {"x": 1}}', '{"text": true}', '{"text": ' + "1" * 5000 + "}",
           "[" * 990 + "]" * 990, '{"id": "u", "text": "url", "url": "http://[::1"}', '{"html": 5, "text": null}']
    lines = []
    for n, line in enumerate(bad):
        lines += [f'{{"id": "good{n}", "text": "fine {n}"}}', line]
    lines.append('{"id": "last", "text": "the end"}')
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    docs, report = _read(path)
    ids = [d.article.id for d in docs]
    assert ids == [x for n in range(len(bad)) for x in (f"good{n}", "u" if n == 6 else None) if x] + ["last"]
    assert all(p.origin.startswith(f"{path}:") for p in report.problems) and report.skipped == len(bad) - 1


def test_a_lone_surrogate_is_replaced_and_a_date_out_of_range_kept_raw(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text('{"id": "s", "text": "x \\ud800 y"}\n{"id": "p", "published": "0001-01-01", "text": "It rained."}\n'
                    '{"id": "q", "published": "9999-12-31", "text": "It rained again."}\n')
    docs, report = _read(path)
    by_id = {d.article.id: d.article for d in docs}
    assert by_id["s"].text == "x \ufffd y"
    by_id["s"].text.encode("utf-8")  # writable anywhere
    assert by_id["p"].published is None and by_id["p"].meta["published_raw"] == "0001-01-01"
    assert by_id["q"].published is None


def test_a_huge_title_is_cut_and_said(tmp_path):
    path = tmp_path / "title.jsonl"
    path.write_text('{"id": "t", "title": "' + "word " * 60_000 + '", "text": "A short story about rain."}\n')
    (doc,), report = _read(path)
    assert len(doc.article.title) <= 1_000 and doc.article.meta["title_truncated"] == len(("word " * 60_000).strip())


def test_an_overlong_line_is_skipped_as_it_streams_and_blank_lines_are_counted(tmp_path):
    """A gzip bomb (one 60 MB line, 60 kB compressed) is reported without being held; a run of blank lines is
    counted, not looped over; line numbers stay right around them."""
    from samestory.readers.jsonl import stream_jsonl

    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(b'{"id": "a", "text": "before"}\n{"text": "' + b"x" * 60_000_000 + b'"}\n' + b"\n" * 3_000_000)
        fh.write(b'{"id": "b", "text": "after"}\n')
    report = ReadReport()
    with gzip.open(path, "rb") as fh:
        docs = list(stream_jsonl(fh, str(path), report, max_line=1_000_000))
    assert [d.article.id for d in docs] == ["a", "b"] and docs[1].origin == f"{path}:{3_000_003}"
    assert _codes(report) == ["SS118"] and report.problems[0].origin == f"{path}:2"


def test_html_with_too_many_attributes_is_refused_before_parsing(tmp_path):
    attrs = " ".join(f'a{i}="x"' for i in range(60_000))
    (tmp_path / "attrs.html").write_text(f"<html><body><div {attrs}><p>{'Rain fell on the town. ' * 40}</p></div></body></html>")
    docs, report = _read(tmp_path / "attrs.html")
    assert docs == [] and _codes(report) == ["SS121"] and "60,000 attributes" in report.problems[0].reason
    # unquoted, and fewer in all but 5,000 on one element (whose cost grows with their square)
    one = " ".join(f"a{i}=x" for i in range(5_000))
    (tmp_path / "attrs.html").write_text(f"<html><body><p {one}>{'Rain fell on the town. ' * 40}</p></body></html>")
    docs, report = _read(tmp_path / "attrs.html")
    assert docs == [] and _codes(report) == ["SS121"] and "element with 5,000 attributes" in report.problems[0].reason


def test_a_feed_date_at_the_ends_of_time_is_kept_raw_and_analysis_goes_on(tmp_path):
    """feedparser reads <pubDate>0001-01-01</pubDate>; date arithmetic on it overflowed in the analysis."""
    from samestory import analyse

    (tmp_path / "f.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Fire</title>'
                                    "<description>Firefighters put out a blaze at the harbour on Monday night.</description>"
                                    "<pubDate>0001-01-01</pubDate></item></channel></rss>")
    (doc,), report = _read(tmp_path / "f.rss")
    assert doc.article.published is None and doc.article.meta["published_raw"].startswith("0001-01-01")
    assert analyse(doc.article).article.id == doc.article.id


def test_a_parser_failing_on_one_page_or_file_is_reported_and_reading_goes_on(tmp_path, monkeypatch):
    """An unexpected error in a library (here the HTML extractor and the text reader) skips that source only."""
    import samestory.readers as readers
    from samestory.readers.html import Page

    body = "<html><body><article><p>" + "A storm closed the harbour on Monday, the port authority said. " * 4 + "</p></article></body></html>"
    (tmp_path / "a.html").write_text(body)
    (tmp_path / "b.txt").write_text("A ferry caught fire off the coast on Tuesday; all 120 passengers were rescued.")
    (tmp_path / "c.txt").write_text("Dock workers began a strike on Wednesday over pay, the union said.")
    def crash(self):
        raise RuntimeError("parser crashed")

    monkeypatch.setattr(Page, "document", crash)
    real = readers.parse_text

    def flaky(text, origin, *args, **kwargs):
        if origin.endswith("b.txt"):
            raise PermissionError(13, "Permission denied")
        return real(text, origin, *args, **kwargs)

    monkeypatch.setattr(readers, "parse_text", flaky)
    docs, report = _read(tmp_path)
    assert [d.article.text for d in docs] == ["Dock workers began a strike on Wednesday over pay, the union said."]
    reasons = {p.origin.rsplit("/", 1)[-1]: p.reason for p in report.problems}
    assert reasons["a.html"].startswith("unexpected error while reading (RuntimeError: parser crashed)")
    assert reasons["b.txt"] == "cannot read: Permission denied"
    assert _codes(report) == ["SS119", "SS119"] and report.articles == 1
