"""The JSON API (documented at /docs and /openapi.json)."""

from __future__ import annotations

import calendar
import re
from datetime import datetime
from typing import Annotated, Any, Literal, Union

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from .app import token_ok
from .service import MAX_URLS, read_urls

router = APIRouter(prefix="")
MAX_BATCH = 1000
MAX_PAGE = 1_000_000  # a page number past this would overflow SQLite's offset
MAX_COMPARE_CHARS = 100_000  # of each side's text: a comparison's work is bounded (whole articles are far shorter)
MAX_WAIT = 60.0  # seconds a post may ask to wait for its placing


class ArticleIn(BaseModel):
    """An article in samestory's JSON form (newspaper3k-style aliases are accepted too; unknown keys go to meta)."""

    model_config = ConfigDict(extra="allow")
    id: str | None = None
    title: str | None = None
    text: str = Field(..., pattern=r"\S", description="the body (plain text, not blank; it is cleaned on arrival)")
    url: str | None = None
    source: str | None = None
    published: str | None = Field(None, description="ISO date or date-time")
    language: str | None = None


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(..., description=f"at most {MAX_BATCH} (413 over)")


class UrlsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    urls: list[Annotated[str, Field(max_length=2000)]] = Field(..., min_length=1, max_length=MAX_URLS,
                            description=f"http(s) URLs of pages or feeds, at most {MAX_URLS}: fetched and read as `samestory ingest URL` reads them")


class CorrectionIn(BaseModel):
    action: Literal["merge", "move", "split"] = Field(..., description="merge: stories become one; move: articles go into "
                                                      "the story; split: articles leave the story for a new one")
    stories: list[str] = Field(..., min_length=1, max_length=100, description="merge: two or more; move, split: one")
    articles: list[str] = Field(default_factory=list, max_length=1000, description="move, split: the articles")


class SourceIn(BaseModel):
    url: str = Field(..., min_length=8, max_length=2000, pattern=r"^[hH][tT][tT][pP][sS]?://\S+$",
                     description="a feed (RSS, Atom, JSON Feed) or news sitemap, http(s)")


class CompareIn(BaseModel):
    a: Union[ArticleIn, str] = Field(..., description="an article, or the id of a stored one")
    b: Union[ArticleIn, str]


ISO_FORMS = "2024-03-04, 2024-03-04T09:10, 2024-03-04T09:10:00+00:00"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
ISO_PATTERN = (r"^[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
               r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$")


def iso_time(value: str | None, name: str) -> datetime | None:
    """A query's date in ISO form (a number, which pydantic would read as seconds since 1970, is refused): 422 else."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not re.fullmatch(ISO_PATTERN[1:-1], value):
        raise HTTPException(422, f"invalid request: {name}: not an ISO date or date-time ({ISO_FORMS})")
    year, month, day = int(value[:4]), int(value[5:7]), int(value[8:10])
    last = calendar.monthrange(year, month)[1]  # "2024-02-30" is the month's last day, as a filter means it
    return datetime.fromisoformat(f"{value[:8]}{min(day, last):02d}{value[10:]}")


class ErrorOut(BaseModel):
    """Every error's body: a stable code (SS + number) and a one-line reason."""

    error: str = Field(..., examples=["SS404"])
    message: str


def _errors(**codes: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route answers (``_401="..."``)."""
    return {int(k[1:]): {"model": ErrorOut, "description": v} for k, v in codes.items()}


_BUSY = "the store is busy with another writer, or unavailable (SS3xx)"


def _dump(x: ArticleIn | str) -> dict | str:
    return x if isinstance(x, str) else x.model_dump(exclude_none=True)


@router.get("/health", tags=["service"], responses=_errors(_503=_BUSY))
def health(request: Request) -> dict[str, Any]:
    return request.app.state.service.health()


@router.post("/articles", tags=["articles"], status_code=202, responses={
    201: {"description": "done within `wait` seconds (or nothing to place): the job, with each article's story"},
    **_errors(_401="missing or wrong bearer token", _403="a cross-site write", _413=f"a body over the limit, or over {MAX_BATCH} articles",
              _429="the placer is behind (more waiting than it places in `serve.placing_within` seconds): send it again "
                   "after the `Retry-After` header's seconds", _503=_BUSY)})
def post_articles(
    request: Request,
    response: Response,
    body: Union[ArticleIn, list[ArticleIn], ArticlesIn, UrlsIn],
    wait: float = Query(0, ge=0, le=MAX_WAIT, description="seconds to wait for the placing (201 when done in time)"),
) -> dict[str, Any]:
    """Add one article, a list, {"articles": [...]}, or {"urls": [...]} (pages and feeds fetched and read as the
    command line reads them, each URL that fails listed in the job's `skipped`): kept at once as given, in a job,
    then cleaned (pages split into stories), stored and placed in stories by the server's placer, a batch at a time;
    while the placer is behind, refused with 429 and `Retry-After`. Answers 202 with the job (`GET /jobs/{job}`
    follows it: queued, placing, done or failed, each article's id once cleaned and its story once placed); with
    `wait`, 201 and the placements when they are done within that many seconds. An article that cannot be used
    (nothing left after cleaning) is listed in the job's `skipped`, with its index and reason, and the others go on.
    Needs the bearer token."""
    if not token_ok(request):
        raise HTTPException(401, "missing or wrong bearer token")
    service = request.app.state.service
    if isinstance(body, UrlsIn):  # fetched here, then as any article: what could not be read goes to `skipped`
        service.admit()  # before any fetching (submit asks again): a post the placer cannot take in time is refused at once
        found, problems = read_urls(body.urls, service.settings)
        job = service.submit(found[:MAX_BATCH], skipped=problems)
    else:
        items = body.articles if isinstance(body, ArticlesIn) else body if isinstance(body, list) else [body]
        if len(items) > MAX_BATCH:
            raise HTTPException(413, f"at most {MAX_BATCH} articles per request")
        job = service.submit([_dump(a) for a in items])
    if wait > 0:
        job = service.wait(job["job"], wait)
    if job["status"] == "done":  # placed within the wait, or nothing to place
        response.status_code = 201
    return job


@router.get("/jobs/{job_id}", tags=["articles"], responses=_errors(_404="no such job (or one so old it is forgotten)"))
def get_job(request: Request, job_id: str) -> dict[str, Any]:
    """A post's job: queued, placing, done (each article's story) or failed (why; its articles stay stored and are
    placed by the next run)."""
    job = request.app.state.service.job(job_id)
    if job is None:
        raise HTTPException(404, f"no job '{job_id}'")
    return job


@router.get("/articles/{article_id:path}", tags=["articles"], responses=_errors(_404="no such article", _503=_BUSY))
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    found = request.app.state.service.article(article_id)
    if found is None:
        raise HTTPException(404, f"no article '{article_id}'")
    return found


@router.delete("/articles/{article_id:path}", tags=["articles"], responses=_errors(
    _401="missing or wrong bearer token", _403="a cross-site write", _404="no such article", _503=_BUSY))
def delete_article(request: Request, article_id: str) -> dict[str, Any]:
    """Delete a stored article: its text, analysis and place; its story is re-formed without it (a story left
    empty goes). Needs the bearer token."""
    if not token_ok(request):
        raise HTTPException(401, "missing or wrong bearer token")
    if not request.app.state.service.delete(article_id):
        raise HTTPException(404, f"no article '{article_id}'")
    return {"deleted": article_id}


@router.post("/corrections", tags=["stories"], status_code=201, responses=_errors(
    _401="missing or wrong bearer token", _403="a cross-site write", _404="a story or article not stored (or not placed)",
    _409="a correction that cannot be made: a merge of one story, a move or split without articles, a split of all a "
         "story's articles or of an article not in it", _503=_BUSY))
def post_correction(request: Request, body: CorrectionIn) -> dict[str, Any]:
    """Fix a grouping by hand: kept as pins that later placing and repair respect, and logged (`GET /corrections`).
    Answers with the story the correction made or grew. Needs the bearer token."""
    from ..errors import InputError

    if not token_ok(request):
        raise HTTPException(401, "missing or wrong bearer token")
    try:
        return {"story": request.app.state.service.correct(body.action, body.stories, body.articles)}
    except InputError as exc:
        raise HTTPException(404 if exc.code == "SS122" else 409, exc.message) from None


@router.get("/corrections", tags=["stories"], responses=_errors(_503=_BUSY))
def get_corrections(request: Request) -> list[dict[str, Any]]:
    """Every correction made, oldest first."""
    return request.app.state.service.store.corrections()


@router.post("/sources", tags=["sources"], status_code=201, responses=_errors(
    _401="missing or wrong bearer token", _403="a cross-site write", _503=_BUSY))
def post_source(request: Request, body: SourceIn) -> dict[str, Any]:
    """Follow a feed or news sitemap: the server fetches it from then on (every `serve.watch_every` seconds, 15
    minutes by default) and places what is new in stories, as `samestory watch` does. Needs the bearer token.
    Answers with the source's record (following one already followed changes nothing)."""
    if not token_ok(request):
        raise HTTPException(401, "missing or wrong bearer token")
    return request.app.state.service.follow(body.url.strip())


@router.get("/sources", tags=["sources"], responses=_errors(_503=_BUSY))
def get_sources(request: Request) -> list[dict[str, Any]]:
    """The sources followed, with their health: status (new, ok, unchanged, failing), failures in a row, the
    last good fetch, the next fetch, the articles each brought in."""
    return request.app.state.service.sources()


async def _recalled_or_built(service, key: tuple, build, *args: Any, **kwargs: Any) -> Any:
    """A read's answer: remembered, at once on the event loop (most reads under load); else built in a worker
    thread (its store reads and JSON would hold up every other request on the loop)."""
    known, answer = service.recalled(key)
    return answer if known else await run_in_threadpool(build, *args, **kwargs)


@router.get("/stories", tags=["stories"], responses=_errors(_503=_BUSY))
async def get_stories(
    request: Request,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = Query(20, ge=1, le=200),
    q: str | None = Query(None, max_length=200, description="text in the title or articles first, then stories that mean it in any language"),
    entity: str | None = Query(None, max_length=200),
    source: str | None = Query(None, max_length=200),
    since: str | None = Query(None, pattern=ISO_PATTERN, description=f"ISO date or date-time ({ISO_FORMS}); stories seen since"),
    until: str | None = Query(None, pattern=ISO_PATTERN, description=f"ISO date or date-time ({ISO_FORMS}); stories seen until"),
    language: str | None = Query(None, pattern=LANGUAGE_PATTERN, description="stories with an article in this language (ISO 639 code: en, de)"),
) -> dict[str, Any]:
    """Stories, newest first, a page at a time."""
    service = request.app.state.service
    query = dict(page=page, size=size, q=q, entity=entity, source=source, since=iso_time(since, "since"),
                 until=iso_time(until, "until"), language=language)
    return Response(await _recalled_or_built(service, service.stories_key(**query), service.stories_json, **query),
                    media_type="application/json")


@router.get("/stories/{story_id}", tags=["stories"], responses=_errors(_404="no such story", _503=_BUSY))
async def get_story(request: Request, story_id: str) -> dict[str, Any]:
    """One story: timeline, copies, what it is about, and per-source coverage ("only here")."""
    service = request.app.state.service
    found = await _recalled_or_built(service, service.story_key(story_id), service.story_json, story_id)
    if found is None:
        raise HTTPException(404, f"no story '{story_id}'")
    return Response(found, media_type="application/json")


@router.post("/compare", tags=["compare"], responses=_errors(
    _400="a text with nothing usable after cleaning", _401="missing or wrong bearer token", _404="an id that names no stored article",
    _403="a cross-site write", _413=f"a body over the limit, or a text over {MAX_COMPARE_CHARS:,} characters", _503=_BUSY))
def post_compare(request: Request, body: CompareIn) -> dict[str, Any]:
    """Score two articles (or stored ids) on the seven SemEval dimensions, with the same-story probability and the
    explanation. Each text at most 100,000 characters; needs the bearer token when the server has one."""
    if not token_ok(request):
        raise HTTPException(401, "missing or wrong bearer token")
    for side in (body.a, body.b):
        if isinstance(side, ArticleIn) and len(side.text) + len(side.title or "") > MAX_COMPARE_CHARS:
            raise HTTPException(413, f"an article to compare is over {MAX_COMPARE_CHARS:,} characters")
        if isinstance(side, str) and request.app.state.service.store.get_article(side) is None:
            raise HTTPException(404, f"no article '{side[:200]}' in the store")
    return request.app.state.service.compare(_dump(body.a), _dump(body.b))


def _exported(db: str, what: str, fmt: str):
    """The table as CSV or JSON lines, 500 rows at a time, from a connection of its own (closed at the end)."""
    import csv
    import io
    import json

    from ..export import COLUMNS, export_rows, flat
    from ..store import SQLiteStore

    store = SQLiteStore(db)
    try:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS[what], extrasaction="ignore") if fmt == "csv" else None
        if writer is not None:
            writer.writeheader()
        for k, row in enumerate(export_rows(store, what), 1):
            if writer is not None:
                writer.writerow({key: flat(v) for key, v in row.items()})
            else:
                buffer.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            if k % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
    finally:
        store.close()


def _export_route(what: str, fmt: str) -> None:
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"

    def export(request: Request) -> StreamingResponse:
        return StreamingResponse(_exported(request.app.state.service.db, what, fmt), media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="{what}.{fmt}"'})

    kind = "CSV (lists joined with '; ')" if fmt == "csv" else "JSON lines"
    export.__doc__ = f"Every row of {what} as {kind}, streamed: what `samestory export --what {what} --format {fmt}` writes."
    router.add_api_route(f"/{what}.{fmt}", export, methods=["GET"], tags=["export"], response_class=StreamingResponse,
                         name=f"export_{what}_{fmt}", responses={200: {"content": {media.split(";")[0]: {}}},
                                                                 **_errors(_503=_BUSY)})


for _what in ("stories", "assignments", "articles"):
    for _fmt in ("csv", "jsonl"):
        _export_route(_what, _fmt)
