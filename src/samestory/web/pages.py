"""The web page: story list with search, story page, compare page, a form to add articles."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from ..errors import SamestoryError
from ..readers.fetch import is_url
from .app import token_ok
from .charts import coverage_chart, first_reports, sparkline
from .service import read_urls

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
PAGE = 20


def _highlight(text: str, names: list[str]) -> Markup:
    """The text, HTML-escaped, with each name wrapped in <mark> (one pass: a mark is never marked again)."""
    wanted = sorted({str(escape(n)) for n in names if n}, key=len, reverse=True)
    out = str(escape(text))
    if wanted:
        out = re.sub("|".join(map(re.escape, wanted)), lambda m: f"<mark>{m.group(0)}</mark>", out)
    return Markup(out)


templates.env.filters["highlight"] = _highlight


def _web_link(url: str | None) -> str | None:
    """The url when it is an http(s) address; None for anything else ("javascript:alert(1)", "data:..."), which a
    page never renders as a link."""
    if not url:
        return None
    scheme = url.strip().split(":", 1)[0].lower() if ":" in url else ""
    return url if scheme in ("http", "https") else None


templates.env.filters["web_link"] = _web_link
# the charts are built here from numbers and escaped names (web/charts.py): markup the templates may insert as it is
templates.env.filters["sparkline"] = lambda timeline: Markup(sparkline(timeline) or "")


def _page(request: Request, name: str, **ctx) -> HTMLResponse:
    return templates.TemplateResponse(request, name, ctx)


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, q: str | None = None, page: int = 1, source: str = "", entity: str = "", since: str = "",
                 until: str = "", language: str = "") -> HTMLResponse:
    page = max(1, page)
    service = request.app.state.service
    filters = {"q": (q or "").strip()[:200], "source": source.strip()[:200], "entity": entity.strip()[:200],
               "since": since.strip()[:10], "until": until.strip()[:10], "language": language.strip().lower()[:3]}
    dates, error = {}, None
    if filters["language"] and not re.fullmatch(r"[a-z]{2,3}", filters["language"]):
        error, filters["language"] = "language: not a language code (en, de); left out", ""
    for key in ("since", "until"):
        if filters[key]:
            try:
                dates[key] = datetime.fromisoformat(filters[key])
            except ValueError:
                error, filters[key] = f"{key}: not a date (YYYY-MM-DD); left out", ""
    data = service.stories(page=page, size=PAGE, q=filters["q"] or None, source=filters["source"] or None,
                           entity=filters["entity"] or None, language=filters["language"] or None, **dates)
    query = urlencode({k: v for k, v in filters.items() if v})
    return _page(request, "stories.html", q=filters["q"], filters=filters, query=query, error=error, data=data,
                 pages=max(1, -(-data["total"] // PAGE)), languages=service.languages())


@router.get("/source/{name}", response_class=HTMLResponse)
def source_page(request: Request, name: str) -> HTMLResponse:
    data = request.app.state.service.source(name[:200])
    if not data["stories"]:
        return templates.TemplateResponse(request, "message.html", {"title": "No such source",
                                          "message": f"No story has an article from '{name[:200]}'."}, status_code=404)
    return _page(request, "source.html", data=data)


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    story = request.app.state.service.story(story_id)
    if story is None:
        return templates.TemplateResponse(request, "message.html", {"title": "No such story",
                                          "message": f"There is no story '{story_id}'."}, status_code=404)
    by_source: dict[str, list[dict]] = {}
    for t in story["timeline"]:
        by_source.setdefault(t["source"] or "(no source)", []).append(t)
    chart = coverage_chart(story["timeline"])
    return _page(request, "story.html", story=story, by_source=by_source, chart=Markup(chart) if chart else None,
                 firsts=first_reports(story["timeline"]), need_token=bool(request.app.state.token))


@router.post("/story/{story_id}/correct", response_class=HTMLResponse)
def story_correct(request: Request, story_id: str, action: str = Form(""), other: str = Form(""),
                  articles: list[str] = Form(default_factory=list), token: str = Form("")) -> HTMLResponse:
    """The story page's corrections (``POST /corrections`` from a form): split the ticked articles into a new
    story, move them into another story, merge another story into this one, or delete the ticked articles
    (``DELETE /articles/{id}``); then the story they made, grew or left."""
    def refused(message: str, status: int) -> HTMLResponse:
        return templates.TemplateResponse(request, "message.html", {"title": "Not corrected", "message": message,
                                          "back": f"/story/{quote(story_id, safe='')}"}, status_code=status)

    if request.app.state.token and not (token_ok(request, token) or token_ok(request)):
        return refused("Wrong or missing token: a correction needs the server's token.", 401)
    other = other.strip()[:200]
    if action == "split":
        stories, chosen = [story_id], articles
    elif action == "move":
        stories, chosen = [other], articles
    elif action == "merge":
        stories, chosen = [story_id, other], []
    elif action == "delete":
        stories, chosen = [], articles
    else:
        return refused(f"Unknown correction '{action[:20]}': split, move, merge or delete.", 400)
    if action in ("move", "merge") and not other:
        return refused("Give the id of the other story (its page shows it under the title).", 400)
    if action in ("split", "move", "delete") and not articles:
        return refused("Tick the articles to split off, move or delete first.", 400)
    service = request.app.state.service
    try:
        if action == "delete":  # the articles leave the store; the story is re-formed without them
            for article in chosen:
                service.delete(article)
            left = service.story(story_id)
            return RedirectResponse(f"/story/{quote(left['story'], safe='')}" if left else "/", status_code=303)
        made = service.correct(action, stories, chosen)
    except SamestoryError as exc:
        return refused(exc.message, 404 if exc.code == "SS122" else 409)
    return RedirectResponse(f"/story/{quote(made, safe='')}", status_code=303)


def _compare_input(value: str) -> dict | str:
    value = value.strip()
    if value.startswith("{"):
        return json.loads(value)
    if "\n" not in value and len(value) < 200 and " " not in value:
        return value  # an article id
    return {"text": value}


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request, a: str = "", b: str = "") -> HTMLResponse:
    return _compare(request, a, b) if a and b else _page(request, "compare.html", a=a, b=b, result=None, error=None)


@router.post("/compare/result", response_class=HTMLResponse)
def compare_submit(request: Request, a: str = Form(...), b: str = Form(...)) -> HTMLResponse:
    return _compare(request, a, b)


def _compare(request: Request, a: str, b: str) -> HTMLResponse:
    service = request.app.state.service
    try:
        result = service.compare(_compare_input(a), _compare_input(b))
    except (SamestoryError, ValueError) as exc:
        return _page(request, "compare.html", a=a, b=b, result=None, error=str(exc))
    ex = result["explanation"]
    names_a = [m[0] for m in ex["matched_entities"]]
    names_b = [m[1] for m in ex["matched_entities"]]
    return _page(request, "compare.html", a=a, b=b, result=result, ex=ex, names_a=names_a, names_b=names_b, error=None)


@router.get("/add", response_class=HTMLResponse)
def add_form(request: Request) -> HTMLResponse:
    return _page(request, "add.html", added=None, error=None, need_token=bool(request.app.state.token))


@router.post("/add", response_class=HTMLResponse)
async def add_submit(request: Request, text: str = Form(""), token: str = Form(""), upload: UploadFile | None = File(None)) -> HTMLResponse:
    need = bool(request.app.state.token)
    if need and not (token_ok(request, token) or token_ok(request)):
        return _page(request, "add.html", added=None, error="wrong or missing token", need_token=need)
    from starlette.concurrency import run_in_threadpool

    try:
        if upload is not None and upload.filename:  # a file goes through the readers the command line uses
            items, problems = await run_in_threadpool(_read_upload, upload.filename, await upload.read())
        elif _urls(text):  # pasted URLs: fetched and read as `samestory ingest URL...` reads them
            items, problems = await run_in_threadpool(read_urls, _urls(text), request.app.state.service.settings)
        else:
            items, problems = _items(text), []
        job = await run_in_threadpool(request.app.state.service.add, items) if items else {"articles": [], "skipped": []}
        job["skipped"] = problems + job["skipped"]
        if not items and not problems:
            raise ValueError("nothing to add: the file holds no article")
    except (SamestoryError, ValueError) as exc:
        return _page(request, "add.html", added=None, error=str(exc), need_token=need)
    return _page(request, "add.html", added=job["articles"], skipped=job["skipped"], error=None, need_token=need)


@router.post("/add/source", response_class=HTMLResponse)
def add_source(request: Request, url: str = Form(""), token: str = Form("")) -> HTMLResponse:
    """Follow a feed or news sitemap (``POST /sources`` from the add page's form)."""
    def said(title: str, message: str, status: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, "message.html", {"title": title, "message": message}, status_code=status)

    if request.app.state.token and not (token_ok(request, token) or token_ok(request)):
        return said("Not followed", "Wrong or missing token: following a source needs the server's token.", 401)
    url = url.strip()[:2000]
    if not is_url(url) or " " in url:
        return said("Not followed", "Give the http(s) URL of a feed (RSS, Atom, JSON Feed) or of a news sitemap.", 400)
    service = request.app.state.service
    service.follow(url)
    return said("Following", f"Following {url}: {service.following_note()}. Their health: /sources.")


def _read_upload(name: str, data: bytes) -> tuple[list[dict], list[dict]]:
    """An uploaded file read as the command line reads it (HTML extracted, CSV and JSONL rows, feeds, text): its
    articles as dicts, and what could not be read (as a job's ``skipped``)."""
    import tempfile

    from ..articles import article_to_dict
    from ..readers import SUFFIXES, ReadReport, read

    suffix = next((s for s in sorted(SUFFIXES, key=len, reverse=True) if name.lower().endswith(s)), None)
    if suffix is None:
        raise ValueError(f"cannot read '{Path(name).name}': samestory reads {', '.join(SUFFIXES)}")
    report = ReadReport()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        items = [article_to_dict(doc.article) for doc in read([path], report=report)]
    skipped = [{"index": None, "error": p.code, "message": f"{p.origin.replace(str(path), Path(name).name)}: {p.reason}"}
               for p in report.problems]
    return items, skipped


def _urls(raw: str) -> list[str]:
    """The pasted text as a list of URLs, when every line of it is one (else empty)."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    return lines if lines and all(is_url(line) and " " not in line for line in lines) else []


def _items(raw: str) -> list[dict]:
    """Pasted or uploaded input: a JSON article or list, JSON lines, or plain text (one article)."""
    raw = raw.strip()
    if not raw:
        raise ValueError("nothing to add: paste an article or choose a file")
    if raw.startswith("["):
        return json.loads(raw)
    if raw.startswith("{"):
        lines = [l for l in raw.splitlines() if l.strip()]
        try:
            return [json.loads(raw)]
        except ValueError:
            return [json.loads(l) for l in lines]
    return [{"text": raw}]
