"""Jinja2 rendering: one autoescaping environment, the filters the templates use, and :func:`render`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from crosscheck.storage.records import SearchHit

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CODE_SPAN = re.compile(r"`([^`]+)`")


def highlight(hit: SearchHit) -> Markup:
    """A search hit's snippet as HTML: every part escaped, the matches (by offset) in ``<mark>``."""
    parts: list[str] = []
    done = 0
    for start, end in hit.matches:
        parts += [str(escape(hit.snippet[done:start])), f"<mark>{escape(hit.snippet[start:end])}</mark>"]
        done = end
    return Markup("".join([*parts, str(escape(hit.snippet[done:]))]))


def inline_code(text: str) -> Markup:
    """Escape ``text``, then show its Markdown-style `code` spans as ``<code>`` (for API descriptions)."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


def count_noun(n: int, singular: str, plural: str | None = None) -> str:
    """``1 article``, ``3 articles``, ``1,204 outlets``."""
    noun = singular if n == 1 else (plural or f"{singular}s")
    return f"{n:,} {noun}"


def day(value: str | None) -> str:
    """The ISO day of a date or date-time, or ``undated``."""
    return value[:10] if value else "undated"


def paragraphs(text: str) -> list[str]:
    """Plain-text paragraphs: split on blank lines, or on single newlines when a text has no blank lines."""
    parts = _PARAGRAPH_BREAK.split(text)
    if len(parts) == 1:
        parts = text.splitlines()
    return [" ".join(p.split()) for p in parts if p.strip()]


def http_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address safe to put in ``href``, else None (shown as text only)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


_PATH_CACHE_SIZE = 8192


@pass_context
def path_for(context: Context, name: str, /, **params: Any) -> str:
    """The path of a named route (with the app's root path), for links that do not depend on the Host header.

    Memoised per app: resolving a route name walks every route, and a story page links dozens of times.
    """
    request: Request = context["request"]
    root = str(request.scope.get("root_path", ""))
    cache: dict[tuple[object, ...], str] | None = getattr(request.app.state, "path_cache", None)
    if cache is None:
        cache = request.app.state.path_cache = {}
    key = (name, *sorted(params.items()))
    path = cache.get(key)
    if path is None:
        path = str(request.app.url_path_for(name, **params))
        if len(cache) >= _PATH_CACHE_SIZE:
            cache.clear()
        cache[key] = path
    return root + path


@pass_context
def entity_path(context: Context, name: str, *, api: bool = False) -> str:
    """The path of an entity's page (or its JSON): the name percent-encoded whole (it may hold ``/``, ``?``)."""
    request: Request = context["request"]
    prefix = "/api/entities/" if api else "/entities/"
    return str(request.scope.get("root_path", "")) + prefix + quote(name, safe="")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every template, whatever its extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        highlight=highlight,
        inline_code=inline_code,
        count_noun=count_noun,
        day=day,
        paragraphs=paragraphs,
        http_url=http_url,
    )
    env.globals["path_for"] = path_for
    env.globals["entity_path"] = entity_path
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render template ``name`` with ``context`` as an HTML response."""
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
