"""A local HTTP server for the feed tests: fixture feeds and pages on 127.0.0.1 that tests change between polls.

It answers conditional requests (ETag / Last-Modified → 304), compresses with gzip when asked, can be slow or
fail on purpose, and records every request (path, headers, time). Used as a context manager it stops itself.
"""

from __future__ import annotations

import gzip
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    gzip: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    at: float  # time.monotonic()
    status: int


class FeedServer:
    """Serves :attr:`routes` on 127.0.0.1 (a free port) while inside ``with``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def fixture(self, name: str) -> bytes:
        """A fixture file with ``{base}`` replaced by this server's address."""
        return (FIXTURES / name).read_bytes().replace(b"{base}", self.base.encode())

    def serve(self, path: str, fixture: str | None = None, **route: object) -> Route:
        """Answer ``path`` with a fixture file (or ``body=``) and the given :class:`Route` fields."""
        if fixture is not None:
            route.setdefault("body", self.fixture(fixture))
            if fixture.endswith((".rss", ".atom")):
                route.setdefault("content_type", "application/rss+xml; charset=utf-8")
            elif fixture.endswith(".txt"):
                route.setdefault("content_type", "text/plain; charset=utf-8")
        self.routes[path] = Route(**route)  # type: ignore[arg-type]
        return self.routes[path]

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        with self._lock:
            return [seen.path for seen in self.requests]

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (a test's timeout) is expected: no traceback on stderr."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = server.routes.get(self.path) or Route(b"not found", 404, "text/plain")
            if route.delay:
                time.sleep(route.delay)
            status, body = route.status, route.body
            if status == 200 and _not_modified(route, self.headers.get("If-None-Match"),
                                               self.headers.get("If-Modified-Since")):  # fmt: skip
                status, body = 304, b""
            headers = {"Content-Type": route.content_type, **route.headers}
            if route.etag:
                headers["ETag"] = route.etag
            if route.last_modified:
                headers["Last-Modified"] = route.last_modified
            if body and route.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
            with server._lock:
                server.requests.append(Seen(self.path, dict(self.headers.items()), time.monotonic(), status))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            return

    return Handler


def _not_modified(route: Route, if_none_match: str | None, if_modified_since: str | None) -> bool:
    if route.etag and if_none_match:
        return if_none_match == route.etag
    return bool(route.last_modified and if_modified_since == route.last_modified)
