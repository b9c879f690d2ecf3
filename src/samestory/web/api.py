"""The JSON API (documented at /docs and /openapi.json)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Union

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from .app import token_ok

router = APIRouter(prefix="")
MAX_BATCH = 1000
MAX_PAGE = 1_000_000  # a page number past this would overflow SQLite's offset
MAX_COMPARE_CHARS = 100_000  # of each side's text: a comparison's work is bounded (whole articles are far shorter)


class ArticleIn(BaseModel):
    """An article in samestory's JSON form (newspaper3k-style aliases are accepted too; unknown keys go to meta)."""

    model_config = ConfigDict(extra="allow")
    id: str | None = None
    title: str | None = None
    text: str = Field(..., description="the body (plain text; it is cleaned on arrival)")
    url: str | None = None
    source: str | None = None
    published: str | None = Field(None, description="ISO date or date-time")
    language: str | None = None


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(..., description=f"at most {MAX_BATCH} (413 over)")


class CompareIn(BaseModel):
    a: Union[ArticleIn, str] = Field(..., description="an article, or the id of a stored one")
    b: Union[ArticleIn, str]


def _dump(x: ArticleIn | str) -> dict | str:
    return x if isinstance(x, str) else x.model_dump(exclude_none=True)


@router.get("/health", tags=["service"])
def health(request: Request) -> dict[str, Any]:
    return request.app.state.service.health()


@router.post("/articles", tags=["articles"], status_code=201)
def post_articles(request: Request, body: Union[ArticleIn, list[ArticleIn], ArticlesIn]) -> dict[str, Any]:
    """Add one article, a list, or {"articles": [...]}: cleaned (pages split into stories), stored, analysed
    and placed in stories. Returns each resulting article's id and story. Needs the bearer token."""
    if not token_ok(request):
        raise HTTPException(401, "missing or wrong bearer token")
    items = body.articles if isinstance(body, ArticlesIn) else body if isinstance(body, list) else [body]
    if len(items) > MAX_BATCH:
        raise HTTPException(413, f"at most {MAX_BATCH} articles per request")
    return {"articles": request.app.state.service.add([_dump(a) for a in items])}


@router.get("/articles/{article_id:path}", tags=["articles"])
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    found = request.app.state.service.article(article_id)
    if found is None:
        raise HTTPException(404, f"no article '{article_id}'")
    return found


@router.get("/stories", tags=["stories"])
def get_stories(
    request: Request,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = Query(20, ge=1, le=200),
    q: str | None = Query(None, max_length=200, description="text in the title or articles"),
    entity: str | None = Query(None, max_length=200),
    source: str | None = Query(None, max_length=200),
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """Stories, newest first, a page at a time."""
    return request.app.state.service.stories(page=page, size=size, q=q, entity=entity, source=source, since=since, until=until)


@router.get("/stories/{story_id}", tags=["stories"])
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    """One story: timeline, copies, what it is about, and per-source coverage ("only here")."""
    found = request.app.state.service.story(story_id)
    if found is None:
        raise HTTPException(404, f"no story '{story_id}'")
    return found


@router.post("/compare", tags=["compare"])
def post_compare(request: Request, body: CompareIn) -> dict[str, Any]:
    """Score two articles (or stored ids) on the seven SemEval dimensions, with the same-story probability and the
    explanation. Each text at most 100,000 characters; needs the bearer token when the server has one."""
    if not token_ok(request):
        raise HTTPException(401, "missing or wrong bearer token")
    for side in (body.a, body.b):
        if isinstance(side, ArticleIn) and len(side.text) + len(side.title or "") > MAX_COMPARE_CHARS:
            raise HTTPException(413, f"an article to compare is over {MAX_COMPARE_CHARS:,} characters")
    return request.app.state.service.compare(_dump(body.a), _dump(body.b))
