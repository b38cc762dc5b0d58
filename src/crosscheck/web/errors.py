"""Error responses: friendly HTML pages for people, JSON for the API."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from crosscheck.web.db import DatabaseUnavailable
from crosscheck.web.render import render
from crosscheck.web.security import SECURITY_HEADERS

log = logging.getLogger(__name__)

_JSON_PATHS = ("/api/", "/openapi.json", "/healthz")
_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 500: "Server error",
           503: "No database yet"}  # fmt: skip


def wants_json(request: Request) -> bool:
    """Whether the request is for the JSON API rather than a page."""
    root = str(request.scope.get("root_path", ""))
    path = request.url.path
    path = path[len(root) :] if root and path.startswith(root) else path
    return path == "/api" or path.startswith(_JSON_PATHS)


def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error as an HTML page (or as ``{"detail": message}`` for API requests)."""
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    context = {"status": status, "title": _TITLES.get(status, "Error"), "message": message, "no_database": False}
    response = render(request, "error.html", context, status_code=status)
    response.headers.update(headers or {})
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
    if exc.status_code == 404 and detail == "Not Found":
        detail = "There is no page at this address."
    return error_page(request, exc.status_code, detail, dict(exc.headers or {}))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if wants_json(request):
        return await request_validation_exception_handler(request, exc)
    errors = exc.errors()
    if any(err.get("loc", ("",))[0] == "path" for err in errors):
        return error_page(request, 404, "There is no page at this address.")
    problems = "; ".join(_problem(err) for err in errors)
    return error_page(request, 400, f"This address has a parameter the page cannot use: {problems}.")


def _problem(err: Any) -> str:
    """One validation error in words: a check's own sentence (it names the parameter), else the parameter and why."""
    if err.get("type") == "value_error" and "error" in err.get("ctx", {}):
        return str(err["ctx"]["error"])
    return f"{err['loc'][-1]}: {err['msg']}"


async def _no_database(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DatabaseUnavailable)
    log.warning("database unavailable: %s", exc)
    message = f"No database yet: run `crosscheck ingest` to create {exc.path.name} ({exc.reason})."
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=503)
    context = {"status": 503, "title": _TITLES[503], "message": message, "no_database": True}
    return render(request, "error.html", context, status_code=503)


async def _server_error(request: Request, exc: Exception) -> Response:
    # Starlette sends this answer from outside every middleware, so it carries the security headers itself; the
    # error is raised again after it, for the server to log.
    response = error_page(request, 500, "Something went wrong on the server; the error is in its log.")
    response.headers.update(SECURITY_HEADERS)
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Register the HTML/JSON error handlers on ``app``."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DatabaseUnavailable, _no_database)
    app.add_exception_handler(Exception, _server_error)
