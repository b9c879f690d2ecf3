"""The HTTP API: reads, writes with a token, validation, limits, errors without stack traces."""

import re
import threading
import time
from dataclasses import replace

from samestory.cli import main
from tests._data import demo_docs
from tests.web.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _doc(topic: int) -> dict:
    return next(d for d in demo_docs().values() if d["meta"]["topic"] == topic)


def test_health_and_openapi(client):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["articles"] > 0 and h["stories"] > 0
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/articles", "/articles/{article_id}", "/stories", "/stories/{story_id}", "/compare", "/health"} <= set(paths)


def test_the_api_docs_need_no_network(client):
    """Swagger UI and ReDoc load their scripts and styles from the server itself, not from a CDN."""
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        assert assets and all(a.startswith("/") for a in assets), assets
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


def test_stories_paged_newest_first_and_filtered(client):
    first = client.get("/stories", params={"size": 3}).json()
    assert first["total"] >= 3 and len(first["stories"]) == 3
    second = client.get("/stories", params={"size": 3, "page": 2}).json()
    assert not {s["story"] for s in first["stories"]} & {s["story"] for s in second["stories"]}
    seen = [s["last_seen"] for s in first["stories"] + second["stories"] if s["last_seen"]]
    assert seen == sorted(seen, reverse=True)
    lohan = client.get("/stories", params={"q": "Lohan"}).json()
    assert lohan["total"] >= 1 and all("Lohan" in str(s) for s in lohan["stories"])
    assert client.get("/stories", params={"q": "zzzz-nothing"}).json()["total"] == 0
    assert client.get("/stories", params={"size": 0}).status_code == 422
    assert client.get("/stories", params={"since": "not a date"}).status_code == 422


def test_story_and_article(client):
    story = client.get("/stories").json()["stories"][0]
    full = client.get(f"/stories/{story['story']}").json()
    assert full["articles"] == story["articles"] and "coverage" in full and full["timeline"]
    art = client.get(f"/articles/{story['articles'][0]}").json()
    assert art["story"] == story["story"] and art["text"]
    assert client.get("/stories/no-such").status_code == 404
    r = client.get("/articles/no-such")
    assert r.status_code == 404 and r.json()["error"] == "SS404"


def test_posting_needs_the_token(client):
    doc = {"id": "p1", "text": _doc(1)["text"]}
    assert client.post("/articles", json=doc).status_code == 401
    assert client.post("/articles", json=doc, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = client.post("/articles", json=doc, params={"wait": 60}, headers=AUTH)
    assert r.status_code == 201 and r.json()["status"] == "done"
    (placed,) = r.json()["articles"]
    assert placed["id"] == "p1" and placed["story"]
    # the same text as a stored topic-1 article joins that article's story
    assert client.get("/articles/p1").json()["story"] == placed["story"]
    again = client.post("/articles", json=[doc], params={"wait": 60}, headers=AUTH).json()["articles"]
    assert again[0]["story"] == placed["story"]  # re-posting changes nothing


def test_a_post_is_kept_at_once_and_cleaned_stored_and_placed_by_the_job(client):
    """202 with a queued job at once; the placer cleans and stores the article, then places it; the job says where
    it went once placed."""
    doc = {"id": "j1", "text": _doc(8)["text"]}
    r = client.post("/articles", json=doc, headers=AUTH)
    assert r.status_code == 202
    job = r.json()
    assert job["status"] in ("queued", "placing", "done") and job["skipped"] == []
    for _ in range(600):
        job = client.get(f"/jobs/{job['job']}").json()
        if job["status"] == "done":
            break
        time.sleep(0.1)
    assert job["status"] == "done" and job["articles"][0]["story"]
    assert client.get("/articles/j1").json()["story"] == job["articles"][0]["story"]
    r = client.get("/jobs/no-such-job")
    assert r.status_code == 404 and r.json()["error"] == "SS404"


def test_an_unusable_article_in_a_batch_is_reported_and_the_others_go_on(client):
    r = client.post("/articles", json=[{"id": "ok1", "text": _doc(1)["text"]}, {"id": "bad", "text": "  (AP Photo/Nick Ut)  "}],
                    params={"wait": 60}, headers=AUTH)
    assert r.status_code == 201
    job = r.json()
    assert [a["id"] for a in job["articles"]] == ["ok1"] and job["articles"][0]["story"]
    assert job["skipped"] == [{"index": 1, "error": "SS120", "message": job["skipped"][0]["message"]}]
    assert client.get("/articles/bad").status_code == 404


def test_batch_post_forms(client):
    a, b = _doc(1), _doc(8)
    r = client.post("/articles", json={"articles": [{"id": "b1", "text": a["text"]}, {"id": "b2", "text": b["text"]}]},
                    params={"wait": 60}, headers=AUTH)
    stories = {x["id"]: x["story"] for x in r.json()["articles"]}
    assert set(stories) == {"b1", "b2"} and stories["b1"] != stories["b2"]


def test_bad_requests_get_clear_json_errors(client):
    r = client.post("/articles", content=b"{not json", headers={**AUTH, "content-type": "application/json"})
    assert r.status_code == 422 and "not valid JSON" in r.json()["message"]
    r = client.post("/articles", json={"title": "no text"}, headers=AUTH)
    assert r.status_code == 422 and "text" in r.json()["message"]
    r = client.post("/articles", json={"text": "   "}, headers=AUTH)
    assert r.status_code == 422 and "text" in r.json()["message"]
    r = client.post("/articles", json={"text": "(AP Photo/Nick Ut)"}, params={"wait": 60}, headers=AUTH)
    assert r.status_code == 201 and r.json()["skipped"][0]["error"] == "SS120" and r.json()["articles"] == []
    r = client.post("/articles", content=b"x" * 300_000, headers={**AUTH, "content-type": "application/json"})
    assert r.status_code == 413
    r = client.post("/compare", json={"a": "no-such-id", "b": "no-such-id"}, headers=AUTH)
    assert r.status_code == 404 and "no article" in r.json()["message"]
    assert client.post("/compare", json={"a": "x", "b": "y"}).status_code == 401  # the server has a token
    huge = {"text": "word " * 30_000}
    assert client.post("/compare", json={"a": huge, "b": "y"}, headers=AUTH).status_code == 413
    assert client.get("/stories", params={"page": 922337203685477581}).status_code == 422
    # dates in the documented ISO forms only: a number would be read as seconds since 1970
    for bad in ("0.5", "1e10", "20240304", "March 7"):
        r = client.get("/stories", params={"until": bad})
        assert r.status_code == 422 and "ISO" in r.json()["message"], bad
    assert client.get("/stories", params={"since": "2009-12-01", "until": "2009-12-31T23:59:59+00:00"}).status_code == 200
    # a method the route does not have: 405 with the methods it has
    r = client.delete("/stories")
    assert r.status_code == 405 and r.headers["allow"] == "GET"

    def chunks():  # no content-length: the limit is counted as the body arrives
        for _ in range(30):
            yield b"x" * 10_000

    r = client.post("/articles", content=chunks(), headers={**AUTH, "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "SS413"
    many = {"articles": [{"text": f"story {i}"} for i in range(1001)]}
    r = client.post("/articles", json=many, headers=AUTH)
    assert r.status_code == 413 and "at most 1000" in r.json()["message"]


def test_internal_error_has_no_stack_trace(client, monkeypatch):
    def boom():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(client.app.state.service, "health", boom)
    r = client.get("/health")
    assert r.status_code == 500 and "secret" not in r.text and "Traceback" not in r.text
    assert client.get("/stories").status_code == 200  # and the server keeps serving


def test_compare_by_id_and_by_article(client):
    story = max(client.get("/stories", params={"size": 50}).json()["stories"], key=lambda s: len(s["articles"]))
    a, b = story["articles"][:2]
    r = client.post("/compare", json={"a": a, "b": b}, headers=AUTH).json()
    assert set(r) >= {"overall", "geography", "entities", "time", "narrative", "style", "tone", "same_story", "probability", "explanation"}
    assert r["explanation"]["aligned_sentences"] is not None
    other = client.post("/compare", json={"a": {"text": _doc(1)["text"]}, "b": {"text": _doc(8)["text"]}}, headers=AUTH).json()
    assert other["probability"] < r["probability"] and not other["same_story"]


def test_concurrent_posts_keep_the_store_consistent(client):
    docs = [d for d in demo_docs().values() if d["meta"]["topic"] == 8][:8]
    errors = []

    def post(k, d):
        r = client.post("/articles", json={"id": f"c{k}", "text": d["text"], "published": d.get("published")},
                        params={"wait": 60}, headers=AUTH)
        if r.status_code != 201:
            errors.append(r.text)

    threads = [threading.Thread(target=post, args=(k, d)) for k, d in enumerate(docs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    members = [a for s in client.get("/stories", params={"size": 200}).json()["stories"] for a in s["articles"]]
    assert len(members) == len(set(members))  # every article in exactly one story
    assert {f"c{k}" for k in range(len(docs))} <= set(members)


def test_serve_refuses_public_host_without_token(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SAMESTORY_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.db")]) == 2
    assert "without a token" in capsys.readouterr().err


def test_pages_render(client):
    html = client.get("/").text
    assert "samestory" in html and "stories" in html
    sid = client.get("/stories").json()["stories"][0]["story"]
    assert client.get(f"/story/{sid}").status_code == 200
    assert client.get("/story/no-such").status_code == 404
    assert "Compare two articles" in client.get("/compare").text
    r = client.post("/add", data={"text": _doc(8)["text"], "token": TOKEN})
    assert r.status_code == 200 and "Added" in r.text
    r = client.post("/add", data={"text": "some text", "token": "wrong"})
    assert "wrong or missing token" in r.text


def test_an_uploaded_file_goes_through_the_readers(client, fixtures):
    """An HTML page is extracted and split (not stored as markup), a CSV is a row per article, an unreadable row or an
    unknown file type is reported."""
    page = (fixtures / "world_briefs.html").read_bytes()
    r = client.post("/add", data={"token": TOKEN}, files={"upload": ("briefs.html", page, "text/html")})
    assert r.status_code == 200 and "Added" in r.text and "world_briefs" not in r.text
    assert "<!DOCTYPE" not in client.get("/stories", params={"q": "Rotterdam"}).text
    stories = client.get("/stories", params={"q": "Dockworkers"}).json()["stories"]
    assert stories and stories[0]["title"].startswith("Dockworkers strike")
    table = f'title,text,date\nHarbour fire,"{_doc(8)["text"][:400]}",2013-05-03\nragged\n'.encode()
    r = client.post("/add", data={"token": TOKEN}, files={"upload": ("export.csv", table, "text/csv")})
    assert "Added" in r.text and "Not added" in r.text and "row has 1 fields" in r.text and "export.csv:" in r.text
    r = client.post("/add", data={"token": TOKEN}, files={"upload": ("notes.docx", b"PK", "application/octet-stream")})
    assert "cannot read" in r.text


def test_highlight_escapes_and_marks_each_name_once():
    from samestory.web.pages import _highlight

    out = str(_highlight("Mark met <b>Marks</b> and mark", ["Mark", "mark", "Marks"]))
    assert out == "<mark>Mark</mark> met &lt;b&gt;<mark>Marks</mark>&lt;/b&gt; and <mark>mark</mark>"


def test_a_url_that_is_not_http_is_never_a_link(client):
    """Stored XSS through a url: "javascript:" (or any scheme but http/https) renders as plain text."""
    doc = {"id": "x1", "text": _doc(1)["text"], "url": "javascript:alert(1)", "title": "Evil link"}
    r = client.post("/articles", json=doc, params={"wait": 60}, headers=AUTH)
    story = r.json()["articles"][0]["story"]
    page = client.get(f"/story/{story}").text
    assert "Evil link" in page and "javascript:" not in page


def test_foreign_hosts_and_cross_site_writes_are_refused(demo_db, tmp_path):
    """DNS rebinding: a Host the server was not started for gets 400; CSRF: a write whose Origin is another site gets
    403 even without a token; the server's own page may still post."""
    import shutil

    from fastapi.testclient import TestClient

    from samestory.web import create_app
    from samestory.web.app import LOOPBACK_HOSTS

    db = tmp_path / "host.db"
    shutil.copy(demo_db, db)
    app = create_app(str(db), allowed_hosts=LOOPBACK_HOSTS, warm=False)
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/health").status_code == 200
        assert c.get("/health", headers={"host": "evil.example"}).status_code == 400
        doc = {"id": "csrf", "text": _doc(1)["text"]}
        assert c.post("/articles", json=doc, headers={"origin": "http://evil.example"}).status_code == 403
        assert c.get("/articles/csrf").status_code == 404
        assert c.post("/articles", json=doc, headers={"origin": "http://127.0.0.1:8000"}).status_code == 202


def test_delete_an_article_needs_the_token_and_re_forms_its_story(client):
    story = client.get("/stories").json()["stories"][0]
    victim = story["articles"][0]
    assert client.delete(f"/articles/{victim}").status_code == 401
    assert client.delete(f"/articles/{victim}", headers={**AUTH, "Origin": "http://evil.example"}).status_code == 403
    r = client.delete(f"/articles/{victim}", headers=AUTH)
    assert r.status_code == 200 and r.json() == {"deleted": victim}
    assert client.get(f"/articles/{victim}").status_code == 404
    assert client.delete(f"/articles/{victim}", headers=AUTH).status_code == 404
    left = client.get(f"/stories/{story['story']}")
    assert left.status_code == 404 or victim not in left.json()["articles"]
    assert client.get("/health").json()["status"] == "ok"


def test_urls_are_fetched_through_the_readers_from_the_api_and_the_form(client):
    from tests._site import serving

    client.app.state.service.settings = replace(client.app.state.service.settings,
                                                fetch=replace(client.app.state.service.settings.fetch, delay=0.0, retries=0))
    with serving() as site:
        r = client.post("/articles?wait=60", json={"urls": [f"{site}/article.html", f"{site}/gone"]}, headers=AUTH)
        assert r.status_code == 201, r.text
        job = r.json()
        assert len(job["articles"]) == 1 and job["articles"][0]["story"]
        assert job["skipped"] == [{"index": 1, "error": "SS133", "message": f"{site}/gone: HTTP 404"}]
        assert client.get(f"/jobs/{job['job']}").json()["skipped"] == job["skipped"]
        page = client.post("/add", data={"text": f"{site}/feed.xml\n", "token": TOKEN})
        assert page.status_code == 200 and "example.org/ferry" in page.text and "example.org/schools" in page.text


def test_corrections_from_the_api_need_the_token_and_are_logged(client):
    a, b = (s["story"] for s in client.get("/stories").json()["stories"][:2])
    body = {"action": "merge", "stories": [a, b]}
    assert client.post("/corrections", json=body).status_code == 401
    r = client.post("/corrections", json=body, headers=AUTH)
    assert r.status_code == 201 and r.json() == {"story": a}
    assert client.get(f"/stories/{b}").json()["story"] == a
    assert [c["action"] for c in client.get("/corrections").json()] == ["merge"]
    bad = client.post("/corrections", json={"action": "split", "stories": ["nope"], "articles": ["x"]}, headers=AUTH)
    assert bad.status_code == 404 and bad.json()["error"] == "SS404"


def test_the_story_page_splits_moves_and_merges_with_the_token(client):
    stories = client.get("/stories").json()["stories"]
    big = next(s for s in stories if len(s["articles"]) >= 3)
    other = next(s for s in stories if s["story"] != big["story"])
    page = client.get(f"/story/{big['story']}").text
    assert 'id="fix-form"' in page and page.count('form="fix-form"') == len(big["articles"])  # a tick box per article
    one, two = big["articles"][:2]
    form = {"action": "split", "articles": [one]}
    assert client.post(f"/story/{big['story']}/correct", data=form).status_code == 401  # the token is needed
    r = client.post(f"/story/{big['story']}/correct", data={**form, "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    split = r.headers["location"].rsplit("/", 1)[1]
    assert client.get(f"/stories/{split}").json()["articles"] == [one]
    assert one not in client.get(f"/stories/{big['story']}").json()["articles"]
    r = client.post(f"/story/{big['story']}/correct", data={"action": "move", "articles": [two], "other": split, "token": TOKEN},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/story/{split}"
    assert sorted(client.get(f"/stories/{split}").json()["articles"]) == sorted([one, two])
    r = client.post(f"/story/{split}/correct", data={"action": "merge", "other": other["story"], "token": TOKEN},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/story/{split}"
    assert set(other["articles"]) <= set(client.get(f"/stories/{split}").json()["articles"])
    assert [c["action"] for c in client.get("/corrections").json()] == ["split", "move", "merge"]
    r = client.post(f"/story/{split}/correct", data={"action": "delete", "articles": [two], "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/story/{split}"
    assert client.get(f"/articles/{two}").status_code == 404 and two not in client.get(f"/stories/{split}").json()["articles"]
    # what cannot be done is said on a page, and nothing changes
    for form, status, words in (({"action": "split"}, 400, "Tick the articles"), ({"action": "merge"}, 400, "id of the other story"),
                                ({"action": "move", "articles": [one], "other": "s-nope"}, 404, "no story"),
                                ({"action": "rename"}, 400, "Unknown correction"), ({"action": "delete"}, 400, "Tick the articles")):
        r = client.post(f"/story/{split}/correct", data={**form, "token": TOKEN})
        assert r.status_code == status and words in r.text, (form, r.status_code)
    assert len(client.get("/corrections").json()) == 3


def test_the_server_follows_the_sources_added_to_it(demo_db, tmp_path):
    """A feed added through the API is fetched by the server itself (its placer's follower), its summary-only
    entries' pages stored, placed in stories and the source's health kept; nothing else has to run."""
    import shutil

    from fastapi.testclient import TestClient

    from samestory import load_settings
    from samestory.readers.fetch import url_id
    from samestory.web import create_app
    from tests._site import Handler, serving

    db = tmp_path / "f.db"
    shutil.copy(demo_db, db)
    settings = load_settings(overrides={"fetch": {"delay": 0.0, "retries": 0, "timeout": 2.0}, "serve": {"watch_every": 60.0}})
    Handler.feed_items = 2
    Handler.hits.clear()
    with serving() as site, TestClient(create_app(str(db), settings=settings, token=TOKEN, warm=False)) as client:
        assert client.post("/sources", json={"url": f"{site}/watch/feed.xml"}, headers=AUTH).status_code == 201
        page = url_id(f"{site}/watch/page/2.html")
        for _ in range(900):  # a cold placer loads its models on its first run
            got = client.get(f"/articles/{page}")
            if got.status_code == 200 and got.json()["story"]:
                break
            time.sleep(0.2)
        assert got.status_code == 200 and got.json()["story"] and "measure number 2" in got.json()["text"]
        (source,) = client.get("/sources").json()
        assert source["status"] == "ok" and source["items"] == 2 and source["next_fetch"]


def test_sources_are_followed_from_the_api_and_the_page_with_the_token(client):
    body = {"url": "https://example.com/wire.rss"}
    assert client.post("/sources", json=body).status_code == 401
    r = client.post("/sources", json=body, headers=AUTH)
    assert r.status_code == 201 and r.json()["url"] == body["url"] and r.json()["status"] == "new"
    assert client.post("/sources", json={"url": "file:///etc/passwd"}, headers=AUTH).status_code == 422
    page = client.post("/add/source", data={"url": "https://example.org/news-sitemap.xml", "token": TOKEN})
    assert page.status_code == 200 and "the server fetches each source followed every 15 minutes" in page.text
    assert client.post("/add/source", data={"url": "https://example.org/x.rss"}).status_code == 401
    assert client.post("/add/source", data={"url": "/etc/passwd", "token": TOKEN}).status_code == 400
    assert [s["url"] for s in client.get("/sources").json()] == [body["url"], "https://example.org/news-sitemap.xml"]


def test_stories_filtered_by_language(client):
    everything = client.get("/stories", params={"size": 200}).json()
    assert client.get("/stories", params={"language": "en"}).json()["total"] == everything["total"]  # ECB+: English
    assert client.get("/stories", params={"language": "de"}).json()["total"] == 0
    assert client.get("/stories", params={"language": "english!"}).status_code == 422
    page = client.get("/", params={"language": "en"}).text
    assert '<option value="en" selected>' in page
    assert "not a language code" in client.get("/", params={"language": "e1"}).text


def test_posted_urls_are_http_only_never_a_path_on_the_server(client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The server's own file must never be read through a posted URL list.")
    r = client.post("/articles?wait=10", json={"urls": [str(secret), "file:///etc/hostname"]}, headers=AUTH)
    job = r.json()
    assert job["articles"] == [] and [s["error"] for s in job["skipped"]] == ["SS130", "SS130"]
    page = client.post("/add", data={"text": str(secret), "token": TOKEN})
    assert "never be read" not in page.text


def test_posts_are_refused_with_retry_after_while_the_placer_is_behind(demo_db, tmp_path):
    """More waiting than the placer places in serve.placing_within seconds, at its recent rate: 429 with
    Retry-After, nothing stored; /health shows the backlog."""
    import shutil

    from fastapi.testclient import TestClient

    from samestory import load_settings
    from samestory.articles import make_article
    from samestory.store import SQLiteStore
    from samestory.web import create_app

    db = tmp_path / "b.db"
    shutil.copy(demo_db, db)
    with SQLiteStore(db) as store:
        waiting = [make_article(id=f"w{k}", text=f"Item {k}: a bridge closed in Porto on Friday for repairs.") for k in range(5)]
        store.add_articles(waiting)
        store.add_job("earlier", [a.id for a in waiting], [])
        store.record_placing_rate(1, 10.0)  # 0.1 article/s: 50 s of work waiting
    app = create_app(str(db), settings=load_settings(overrides={"serve": {"placing_within": 30.0}}), token=TOKEN, warm=False)
    client = TestClient(app)  # no lifespan: no placer, so the backlog stays as made
    try:
        assert client.get("/health").json()["waiting"] == 5
        r = client.post("/articles", json={"id": "late", "text": _doc(8)["text"]}, headers=AUTH)
        assert r.status_code == 429 and r.json()["error"] == "SS306" and "placing_within" in r.json()["message"]
        assert int(r.headers["retry-after"]) in range(1, 31)
        assert client.get("/articles/late").status_code == 404  # refused before anything was stored
        with SQLiteStore(db) as store:
            store.record_placing_rate(4.2, 19.0)  # the recent rate now 5.1 articles in 28 s: within 30 s, barely
        r = client.post("/articles", json={"id": "late", "text": _doc(8)["text"]}, headers=AUTH)
        assert r.status_code == 429  # a margin for the rate's error: admitted while the work fits in 6/10 of the 30 s
    finally:
        app.state.service.close()
