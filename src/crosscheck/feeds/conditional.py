"""Conditional GET through crosscheck's guarded fetcher, keeping what a feed reader and an archive need.

The guard is :mod:`crosscheck.ingest.fetch`'s, hop by hop: every address checked public (unless private ones are
explicitly allowed) and the connection pinned to it, one deadline for the whole fetch, a size cap while reading,
an allowed content type, at most five redirects. What this adds: the status, the response and request headers
(for the WARC archive), ``If-None-Match`` / ``If-Modified-Since`` from the last answer's validators, and a
non-200 answer returned rather than raised, so that the caller can tell a 304 from a 404 from a 503.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from crosscheck.ingest import fetch
from crosscheck.settings import Settings

Headers = tuple[tuple[str, str], ...]

ACCEPT_FEED = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class Validators:
    """An answer's cache validators, sent back on the next request for the same URL."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Response:
    """One HTTP answer. ``body`` is as received (still gzip-encoded when the server compressed it); it is empty
    unless the status is 200."""

    url: str  # the final URL, after redirects
    status: int
    reason: str
    http_version: str
    headers: Headers
    request_headers: Headers
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case)."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    @property
    def validators(self) -> Validators:
        return Validators(self.header("etag"), self.header("last-modified"))

    def retry_after(self) -> float | None:
        """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date), if it asked."""
        value = (self.header("retry-after") or "").strip()
        if value.isdigit():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when.timestamp() - time.time())


def conditional_get(
    url: str,
    settings: Settings,
    *,
    validators: Validators | None = None,
    accept: str = ACCEPT_PAGE,
    allow_private: bool = False,
    on_redirect: Callable[[str], object] | None = None,
) -> Response:
    """GET ``url`` politely identified and, with ``validators``, conditionally; ``on_redirect`` as for
    :func:`crosscheck.ingest.fetch.guarded_get`.

    Raises InputError when the URL is refused (SSRF guard, scheme, redirects) or the transfer fails (timeout,
    size cap, content type); any HTTP status is returned.
    """
    headers = {"User-Agent": settings.feed_user_agent, "Accept-Encoding": "gzip", "Accept": accept}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified

    def answer(final: str, response: httpx.Response, deadline: float) -> Response:
        return _answer(final, response, settings, deadline)

    return fetch.guarded_get(
        url, settings, headers=headers, answer=answer, allow_private=allow_private, on_redirect=on_redirect
    )


def _answer(url: str, response: httpx.Response, settings: Settings, deadline: float) -> Response:
    body, kind, charset = b"", "", None
    if response.status_code == 200:
        kind = fetch.content_type(response)
        body = fetch.read_body(response, settings.max_input_bytes, deadline)
        charset = response.charset_encoding
    return Response(
        url=url,
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=_decoded(response.headers.raw),
        request_headers=_decoded(response.request.headers.raw),
        body=body,
        content_type=kind,
        charset=str(charset) if charset else None,
    )


def _decoded(raw: list[tuple[bytes, bytes]]) -> Headers:
    return tuple((key.decode("latin-1"), value.decode("latin-1")) for key, value in raw)
