"""The app factory: routes, the bearer token for writes, body-size limit, JSON errors."""

from __future__ import annotations

import hmac
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import InputError, SamestoryError
from ..settings import Settings
from .service import Service

__all__ = ["create_app", "LOOPBACK_HOSTS", "MAX_BODY_BYTES"]

MAX_BODY_BYTES = 5_000_000
log = logging.getLogger(__name__)


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": code, "message": message}, headers=headers)


class _TooLarge(Exception):
    pass


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def create_app(db: str, *, settings: Settings | None = None, token: str | None = None, max_body: int = MAX_BODY_BYTES,
               warm: bool = True, allowed_hosts: tuple[str, ...] | None = None) -> FastAPI:
    """The samestory app over the store at ``db``; writes need ``Authorization: Bearer <token>`` when a token is set.
    ``warm``: load the models at start-up rather than on the first request that needs them. ``allowed_hosts``: the
    names a request's ``Host`` may give (others get 400: DNS rebinding; ``samestory serve`` on a loopback address
    allows only the loopback names). A write whose ``Origin`` is not the server's own is refused (403), token or
    not: a page of another site cannot post to a token-less server on this machine."""
    from . import api, pages

    service = Service(db, settings=settings)

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

    @app.middleware("http")
    async def same_origin_writes(request: Request, call_next):
        origin = request.headers.get("origin")
        if request.method not in ("GET", "HEAD", "OPTIONS") and origin is not None:
            if urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
                return _error(403, "SS403", f"a write from another site ({origin[:100]}) is refused")
        return await call_next(request)

    if allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body):
            return _error(413, "SS413", f"request body over {max_body:,} bytes")
        if request.method in ("POST", "PUT", "PATCH") and length is None:  # chunked: count as it arrives
            received = 0
            receive = request._receive

            async def counted():
                nonlocal received
                message = await receive()
                received += len(message.get("body", b""))
                if received > max_body:
                    raise _TooLarge
                return message

            request._receive = counted
        try:
            response = await call_next(request)
        except _TooLarge:
            return _error(413, "SS413", f"request body over {max_body:,} bytes")
        if request.method in ("POST", "PUT", "PATCH") and length is None and received > max_body:
            # the route read the body and met the limit: whatever it answered (FastAPI makes it a 400), it is a 413
            return _error(413, "SS413", f"request body over {max_body:,} bytes")
        return response

    @app.exception_handler(SamestoryError)
    async def samestory_error(request: Request, exc: SamestoryError):
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
