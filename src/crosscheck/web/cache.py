"""A small in-process cache of whole answers, valid while the SQLite database file is unchanged.

Every page and API answer is a function of the URL and the database (the web never writes), so a ``GET``
answered with 200 can be sent again until the database changes. The fingerprint is the ``stat`` of the database
file and of its write-ahead log: any commit (and any checkpoint) changes one of them. With ``stale_seconds`` 0 no
stale page is ever served; above 0 an answer is served for that long after it was built even if the database
changed meanwhile, so that a server next to a running `watch` (which commits every few seconds) still answers
most pages from memory, at most that many seconds behind. Other databases (PostgreSQL URLs) are never cached.
Static files, health checks and large answers are passed through.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1_000_000
MAX_TOTAL_BYTES = 64_000_000  # about 2,000 story pages of 30 KB: the well-read part of a large archive
_UNCACHED_PREFIXES = ("/static/", "/healthz")

Fingerprint = tuple[int, int, int, int]
Answer = tuple[Message, bytes]
Entry = tuple[Fingerprint, float, Answer]  # the database as it was, when (time.monotonic()), the answer


def _stat(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


def file_fingerprint(db: str) -> Fingerprint | None:
    """(mtime, size) of the database file and of its ``-wal`` file; None when it is not a file."""
    main = _stat(db)
    if main[1] < 0:
        return None
    return (*main, *_stat(db + "-wal"))


class PageCache:
    """Pure ASGI middleware: remembers up to ``entries`` answers (least recently used dropped first)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        db_path: str | os.PathLike[str],
        entries: int = 2048,
        stale_seconds: float = 0.0,
        max_bytes: int = MAX_TOTAL_BYTES,
    ) -> None:
        self.app = app
        self.db = str(db_path)
        self.entries = entries
        self.stale_seconds = stale_seconds
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple[object, ...], Entry] = OrderedDict()
        self._bytes = 0  # bodies held

    def _key(self, scope: Scope) -> tuple[object, ...] | None:
        if self.entries <= 0 or scope["type"] != "http" or scope["method"] != "GET":
            return None
        path = str(scope["path"])
        if path.startswith(_UNCACHED_PREFIXES) or "://" in self.db:
            return None
        return (str(scope.get("root_path", "")), path, bytes(scope.get("query_string", b"")))

    def _fresh(self, entry: Entry, fingerprint: Fingerprint) -> bool:
        built, at, _ = entry
        return built == fingerprint or time.monotonic() - at < self.stale_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer from the cache, or pass the request on and remember a 200 answer."""
        key = self._key(scope)
        fingerprint = file_fingerprint(self.db) if key is not None else None
        if key is None or fingerprint is None:
            await self.app(scope, receive, send)
            return
        found = self._answers.get(key)
        if found is not None and self._fresh(found, fingerprint):
            self._answers.move_to_end(key)
            start, body = found[2]
            await send({**start, "headers": list(start["headers"])})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        start_message: Message = {}
        chunks: list[bytes] = []
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start_message, keep
            if message["type"] == "http.response.start":
                start_message = {**message, "headers": list(message.get("headers", []))}
                keep = message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                chunks.append(bytes(message.get("body", b"")))
                keep = sum(map(len, chunks)) <= MAX_BODY_BYTES
            await send(message)

        started = time.monotonic()
        await self.app(scope, receive, capture)
        # Kept only if the database did not change meanwhile (the first reader also creates the -wal file).
        if keep and start_message and file_fingerprint(self.db) == fingerprint:
            self._remember(key, (fingerprint, started, (start_message, b"".join(chunks))))

    def _remember(self, key: tuple[object, ...], entry: Entry) -> None:
        replaced = self._answers.pop(key, None)
        if replaced is not None:
            self._bytes -= len(replaced[2][1])
        self._answers[key] = entry
        self._bytes += len(entry[2][1])
        while self._answers and (len(self._answers) > self.entries or self._bytes > self.max_bytes):
            _, dropped = self._answers.popitem(last=False)
            self._bytes -= len(dropped[2][1])
