"""The app factory: routes, the bearer token for writes, body-size limit, JSON errors."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import BacklogError, InputError, SamestoryError
from ..settings import Settings
from .service import Service

__all__ = ["create_app", "LOOPBACK_HOSTS", "MAX_BODY_BYTES"]

MAX_BODY_BYTES = 5_000_000
READS_AT_ONCE = 4  # reads in progress at once (see _ReadsInTurn)
TURN_SECONDS = 0.25  # the longest a read holds its turn (see _ReadsInTurn)
log = logging.getLogger(__name__)


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": code, "message": message}, headers=headers)


class _TooLarge(Exception):
    pass


_READS = ("GET", "HEAD", "OPTIONS")


async def _send_error(send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": code, "message": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class _ReadsInTurn:
    """At most ``limit`` reads being answered at once (until their answer starts, for at most ``TURN_SECONDS``:
    sending an answer, even to a slow reader, takes no turn, and a slow read goes on without one); the others wait
    their turn in order, while writes go ahead.
    Under more readers than the server can answer, a read then waits the same (the queue is only moved), but the
    event loop's own queue stays short, so a post is acknowledged within a few requests' time instead of behind
    every read already in flight."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit
        self._turns: asyncio.Semaphore | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in _READS:
            await self.app(scope, receive, send)
            return
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.limit)
        turns = self._turns
        await turns.acquire()
        held = True

        def give_back() -> None:
            nonlocal held
            if held:
                held = False
                turns.release()

        # a slow read (a search of a large store) gives its turn back after TURN_SECONDS and goes on without one: at
        # most four of them could otherwise hold every other read up for as long as they take
        timer = asyncio.get_running_loop().call_later(TURN_SECONDS, give_back)

        async def answer(message) -> None:  # the turn ends when the answer starts: a slow reader of it holds no turn
            if message["type"] == "http.response.start":
                give_back()
            await send(message)

        try:
            await self.app(scope, receive, answer)
        finally:
            timer.cancel()
            give_back()


class _SameOriginWrites:
    """A write whose ``Origin`` is not the server's own host is refused (403), token or not. Plain ASGI (as the
    body limit): a middleware of Starlette's ``BaseHTTPMiddleware`` kind costs every request a task and streams."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] not in _READS:
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
                await _send_error(send, 403, "SS403", f"a write from another site ({origin[:100]}) is refused")
                return
        await self.app(scope, receive, send)


class _LimitBody:
    """413 for a body over ``max_body`` bytes: by its Content-Length, or, sent in chunks, counted as it arrives
    (whatever the route would have answered on meeting the limit, a 413 is sent instead)."""

    def __init__(self, app, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body
        too_large = f"request body over {limit:,} bytes"
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _send_error(send, 413, "SS413", too_large)
            return
        if scope["method"] not in ("POST", "PUT", "PATCH") or length is not None:
            await self.app(scope, receive, send)
            return
        received, started = 0, False

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooLarge
            return message

        async def guarded(message) -> None:
            nonlocal started
            if received > limit:  # the route met the limit reading the body: its answer is replaced by a 413
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _send_error(send, 413, "SS413", too_large)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            if not started:
                await _send_error(send, 413, "SS413", too_large)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def create_app(db: str, *, settings: Settings | None = None, token: str | None = None, max_body: int = MAX_BODY_BYTES,
               warm: bool = True, allowed_hosts: tuple[str, ...] | None = None) -> FastAPI:
    """The samestory app over the store at ``db``; writes need ``Authorization: Bearer <token>`` when a token is set.
    ``warm``: load the models at start-up (the server's and its placer's) rather than on the first request or run
    that needs them. ``allowed_hosts``: the
    names a request's ``Host`` may give (others get 400: DNS rebinding; ``samestory serve`` on a loopback address
    allows only the loopback names). A write whose ``Origin`` is not the server's own is refused (403), token or
    not: a page of another site cannot post to a token-less server on this machine."""
    from . import api, pages

    service = Service(db, settings=settings, warm=warm)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:
            from starlette.concurrency import run_in_threadpool

            await run_in_threadpool(service.warm_up)
        service.start()
        yield
        service.close()

    # fastapi-offline serves Swagger UI (/docs) and ReDoc (/redoc) from the assets it ships: they work with no network
    app = FastAPIOffline(title="samestory", version=__version__, lifespan=lifespan,
                  description="Which news articles tell the same story, and how do they differ. "
                              "Writes need `Authorization: Bearer <token>` when the server has a token.")
    app.state.service = service
    app.state.token = token
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    if allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(_LimitBody, max_body=max_body)
    app.add_middleware(_SameOriginWrites)
    app.add_middleware(_ReadsInTurn, limit=READS_AT_ONCE)

    @app.exception_handler(SamestoryError)
    async def samestory_error(request: Request, exc: SamestoryError):
        if isinstance(exc, BacklogError):
            return _error(429, exc.code, exc.message, {"Retry-After": str(exc.retry_after)})
        status = 400 if isinstance(exc, InputError) else 503 if exc.code.startswith("SS3") else 500
        return _error(status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            return _error(422, "SS422", "invalid request: the body is not valid JSON")
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        message = first.get("msg", "malformed")
        if first.get("type") == "string_pattern_mismatch":  # the pattern itself tells a reader nothing
            message = "not in the documented form" + (" (an ISO date or date-time: 2024-03-04, 2024-03-04T09:10:00+00:00)"
                                                      if where.split(".")[-1] in ("since", "until") else " (see /docs)")
        return _error(422, "SS422", f"invalid request: {where + ': ' if where else ''}{message}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, f"SS{exc.status_code}", str(exc.detail), exc.headers)  # a 405's Allow, a 401's WWW-Authenticate

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error(500, "SS500", "internal error (see the server log)")

    return app


def token_ok(request: Request, given: str | None = None) -> bool:
    """Whether a write may go ahead: no token configured, or the right token (``given``, else the bearer header)."""
    expected = request.app.state.token
    if not expected:
        return True
    if given is None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())
