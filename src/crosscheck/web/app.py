"""The crosscheck web application: ``create_app(db_path)`` returns a FastAPI app (run it with uvicorn)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from crosscheck.settings import Settings, allowed_hosts_from_env
from crosscheck.storage import resolve_db_path
from crosscheck.web import api, downloads, explore, pages
from crosscheck.web.cache import PageCache
from crosscheck.web.db import DatabaseUnavailable, open_reader
from crosscheck.web.errors import install_error_handlers
from crosscheck.web.head import HeadMiddleware
from crosscheck.web.render import STATIC_DIR
from crosscheck.web.security import HostCheckMiddleware, SecurityHeadersMiddleware

DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "testserver")
PAGE_CACHE_ENTRIES = 2048


def _version() -> str:
    try:
        return version("crosscheck")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without installing
        return "0.0.0"


def healthz(request: Request) -> JSONResponse:
    """Health: 200 when the server answers and its database can be read; 503 with the reason when not."""
    try:
        with open_reader(request.app.state.db_path):
            pass
    except DatabaseUnavailable as exc:
        return JSONResponse({"status": "unavailable", "reason": exc.reason}, status_code=503)
    return JSONResponse({"status": "ok"})


def create_app(
    db_path: str | os.PathLike[str],
    *,
    allowed_hosts: Sequence[str] = DEFAULT_ALLOWED_HOSTS,
    page_cache: int = PAGE_CACHE_ENTRIES,
    page_cache_seconds: float = 0.0,
    settings: Settings | None = None,
) -> FastAPI:
    """The web UI and JSON API over the crosscheck database at ``db_path``, opened read-only per request.

    ``allowed_hosts`` is the Host-header allow-list (against DNS rebinding): add the name the server is reached
    by when it is not only local. The database may not exist yet: pages then say how to create it.
    ``page_cache`` is how many answers to keep while a SQLite database file is unchanged (0: none), and
    ``page_cache_seconds`` how long an answer may still be served after the database changed (the
    ``web_cache_seconds`` setting; 0: never). ``settings`` are read from the environment now when not given,
    once: every request uses them.
    """
    app = FastAPI(
        title="crosscheck",
        version=_version(),
        description="One news story from every side: who covered it, when, and what it says.",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN; /docs is a local page instead
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db_path = resolve_db_path(db_path)  # a path, or a postgresql:// URL kept as it is
    app.state.settings = settings or Settings.from_env()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(explore.router)
    app.include_router(api.router)
    app.include_router(downloads.router)
    app.add_api_route("/healthz", healthz, methods=["GET"], name="healthz", tags=["health"])
    install_error_handlers(app)
    app.add_middleware(  # inside the Host check
        PageCache, db_path=app.state.db_path, entries=page_cache, stale_seconds=page_cache_seconds
    )
    app.add_middleware(HostCheckMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(HeadMiddleware)
    # Added last = outermost: the security headers also go on the Host check's 400 answer.
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def app_from_env() -> FastAPI:
    """An app for ``uvicorn --factory crosscheck.web.app:app_from_env``.

    The database is ``CROSSCHECK_DB`` (else ``crosscheck.db`` here); ``CROSSCHECK_ALLOWED_HOSTS`` is an optional
    comma-separated Host allow-list replacing the local default.
    """
    hosts = allowed_hosts_from_env()
    settings = Settings.from_env()
    return create_app(resolve_db_path(None), allowed_hosts=hosts or DEFAULT_ALLOWED_HOSTS,
                      page_cache_seconds=settings.web_cache_seconds, settings=settings)  # fmt: skip
