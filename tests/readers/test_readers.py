"""Every reader on real fixtures (ECB+ texts; HTML and feeds written in the style of real ones)."""

import io
import re
import sys
from datetime import datetime, timezone

from samestory import ReadReport, read


def _read(path, **kw):
    report = ReadReport()
    docs = list(read(path, report=report, **kw))
    return docs, report


def test_txt_first_line_is_title_candidate(fixtures):
    (doc,), report = _read(fixtures / "lohan_latimes.txt")
    art = doc.article
    assert art.id == "lohan_latimes"
    assert art.title == "Lindsay Lohan checks into Betty Ford Center"
    assert "Betty Ford Center to begin a 90 - day" in art.text
    assert report.articles == 1 and not report.problems


def test_json_single_article_with_newspaper3k_names(fixtures):
    (doc,), _ = _read(fixtures / "lohan_nydailynews.json")
    art = doc.article
    assert art.id == "nyd-1"
    assert art.language == "en"
    assert art.published == datetime(2013, 5, 2, 13, 32, tzinfo=timezone.utc)
    assert art.source == "nydailynews.com"
    assert art.meta["authors"] == ["Staff"]


def test_json_list(fixtures):
    docs, _ = _read(fixtures / "two_articles.json")
    assert [d.article.id for d in docs] == ["ecb/3_10ecbplus", "ecb/3_11ecbplus"]
    assert docs[1].origin.endswith("two_articles.json[1]")


def test_jsonl_and_gzip_give_the_same_articles(fixtures):
    plain, _ = _read(fixtures / "topic1.jsonl")
    gz, _ = _read(fixtures / "topic1.jsonl.gz")
    assert len(plain) == 12
    assert [d.article for d in plain] == [d.article for d in gz]
    assert plain[0].origin.endswith("topic1.jsonl:1")


def test_html_extraction_with_metadata(fixtures):
    (doc,), _ = _read(fixtures / "prisoner_gazette.html")
    art = doc.article
    assert art.title == "Texas prisoner captured after week on the run"
    assert art.source == "Example Gazette"
    assert art.url == "https://gazette.example.com/news/texas-prisoner-captured"
    assert art.published is not None and art.published.date().isoformat() == "2009-12-07"
    assert art.meta["author"] == "Gazette Staff"
    assert "Most read" not in art.text and "Subscribe" not in art.text
    assert "escaped" in art.text.lower()


def test_rss_entries(fixtures):
    docs, report = _read(fixtures / "news.rss")
    assert len(docs) == 3 and report.files == 1
    art = docs[0].article
    assert art.url.startswith("https://feed.example.com/")
    assert art.published == datetime(2013, 5, 3, 10, tzinfo=timezone.utc)
    assert art.meta["feed"] == "Example Wire"
    assert "<p>" not in art.text and "\n" in art.text


def test_atom_entries(fixtures):
    docs, _ = _read(fixtures / "news.atom")
    assert len(docs) == 2
    assert docs[0].article.id.startswith("urn:ecb:")
    assert docs[0].article.url.startswith("https://atom.example.org/")


def test_folder_is_read_recursively_in_order(fixtures, tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "one.txt").write_text("Title one\n\nBody one.")
    (tmp_path / "two.txt").write_text("Title two\n\nBody two.")
    (tmp_path / ".hidden.txt").write_text("hidden")
    docs, report = _read(tmp_path)
    assert [d.article.id for d in docs] == ["two", "a/b/one"] or [d.article.id for d in docs] == ["a/b/one", "two"]
    assert report.articles == 2 and not report.problems


def test_stdin_jsonl(monkeypatch, fixtures):
    data = (fixtures / "topic1.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    docs, _ = _read("-")
    assert len(docs) == 12
    assert docs[2].origin == "-:3"


def test_jsonl_is_streamed_not_loaded(tmp_path):
    """The reader yields the first article before the file has been read to the end."""
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        for i in range(20000):
            fh.write('{"id": "%d", "text": "article number %d"}\n' % (i, i))
    it = read(path)
    first = next(it)
    assert first.article.id == "0"
    it.close()


def test_html_tables_inside_the_article_are_kept(fixtures, tmp_path):
    html = (fixtures / "prisoner_gazette.html").read_text(encoding="utf-8")
    table = ("<table><tr><th>Facility</th><th>Escapes in 2009</th></tr>"
             "<tr><td>Huntsville Unit</td><td>3</td></tr><tr><td>Ellis Unit</td><td>1</td></tr></table>")
    page = tmp_path / "with_table.html"
    page.write_text(html.replace("</article>", table + "</article>", 1), encoding="utf-8")
    (doc,), _ = _read(page)
    assert "Huntsville Unit" in doc.article.text and "Ellis Unit" in doc.article.text
    assert "escaped" in doc.article.text.lower()


def test_html_body_split_by_an_advert_is_read_whole(fixtures, tmp_path):
    # a page template that puts an advert between two containers of the article's body (as Wired's does):
    # trafilatura alone takes the first container only
    html = (fixtures / "prisoner_gazette.html").read_text(encoding="utf-8")
    paras = re.findall(r"<p>.*?</p>", html.split("<article>")[1].split("</article>")[0])
    head, tail = html.split("<main>")[0], html.split("</main>")[1]
    body = '<div class="grid"><div class="article__body">{}</div>{}</div>'
    page = tmp_path / "split.html"
    page.write_text(
        head
        + "<main><h1>Texas prisoner captured after week on the run</h1>"
        + body.format("".join(paras[:2]), '<div class="rail"><div class="ad"></div></div>')
        + '<div class="row"><div class="ad"><span>Advertisement</span></div></div>'
        + body.format("".join(paras[2:]), "")
        + "</main>"
        + tail,
        encoding="utf-8",
    )
    (doc,), _ = _read(page)
    assert "captured Monday" in doc.article.text
    assert "stabbing his wife" in doc.article.text
    assert "Advertisement" not in doc.article.text
