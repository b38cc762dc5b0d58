"""Polite fetching: per-host rate limit and concurrency cap, and robots.txt (RFC 9309) honoured.

A "host" is an origin, scheme + name + port, the unit robots.txt applies to. Waits are cut short by the stop
event, so that Ctrl-C never waits out a crawl delay.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from crosscheck.errors import InputError
from crosscheck.feeds.conditional import Response
from crosscheck.ingest.stream import GZIP_MAGIC, gunzip_chunks

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
MAX_CRAWL_DELAY = 120.0  # a larger Crawl-delay would stall a fetch worker for good; this is the most we wait
ROBOTS_RETRY = 600.0  # seconds before asking again a host whose robots.txt was unreachable


class Stopped(Exception):
    """The stop event was set while waiting for a turn."""


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower-cased, default ports dropped."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


class HostGate:
    """At most ``per_host`` requests in flight per origin, and ``delay`` seconds from the end of one request
    to the start of the next (a larger delay can be asked per request, from a Crawl-delay)."""

    def __init__(self, delay: float, per_host: int, stop: threading.Event) -> None:
        self.delay = delay
        self.per_host = max(1, per_host)
        self.stop = stop
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}  # monotonic time of the next allowed request start

    @contextmanager
    def turn(self, url: str, delay: float | None = None) -> Iterator[None]:
        """Wait for this origin's turn, then hold a slot for the duration of the request."""
        origin = origin_of(url)
        gap = max(self.delay, delay or 0.0)
        with self._lock:
            slot = self._slots.setdefault(origin, threading.BoundedSemaphore(self.per_host))
        while not slot.acquire(timeout=0.1):
            if self.stop.is_set():
                raise Stopped
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next.get(origin, now))
                self._next[origin] = start + gap  # reserved: concurrent slots space their starts too
            if self.stop.wait(start - now) or self.stop.is_set():
                raise Stopped
            yield
        finally:
            with self._lock:
                self._next[origin] = max(self._next.get(origin, 0.0), time.monotonic() + gap)
            slot.release()


@dataclass(frozen=True)
class Verdict:
    """May this URL be fetched, and how long to wait between requests to its host."""

    allowed: bool
    delay: float = 0.0
    reason: str = ""


class Robots:
    """robots.txt per origin, fetched through ``get`` (the guarded fetcher) and cached for ``ttl`` seconds.

    As RFC 9309 says: a 4xx answer means no rules (everything allowed); a 5xx answer or a failed fetch means
    everything is disallowed for now, and the host is asked again after :data:`ROBOTS_RETRY` seconds.
    """

    def __init__(self, agent: str, ttl: float, get: Callable[[str], Response]) -> None:
        self.token = agent.split("/", 1)[0].strip() or agent  # "crosscheck/0.1 (…)" matches "crosscheck"
        self.ttl = ttl
        self._get = get
        self._lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}
        self._cache: dict[str, tuple[float, RobotFileParser | None, str]] = {}

    def check(self, url: str) -> Verdict:
        """Whether robots.txt lets us fetch ``url`` (fetching robots.txt first when not cached)."""
        origin = origin_of(url)
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        with origin_lock:  # one robots.txt request per origin, however many threads ask
            expires, parser, reason = self._cache.get(origin, (0.0, None, ""))
            if expires <= time.monotonic():
                parser, reason, ttl = self._load(origin)
                self._cache[origin] = (time.monotonic() + ttl, parser, reason)
        if parser is None:
            return Verdict(allowed=not reason, reason=reason)
        if not parser.can_fetch(self.token, url):
            return Verdict(False, reason="disallowed by robots.txt")
        delay = parser.crawl_delay(self.token)
        return Verdict(True, delay=min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0)

    def _load(self, origin: str) -> tuple[RobotFileParser | None, str, float]:
        """(rules or None, reason everything is refused or '', seconds to keep this)."""
        try:
            response = self._get(f"{origin}/robots.txt")
        except InputError as exc:
            return None, f"robots.txt unreachable ({exc})", ROBOTS_RETRY
        if 400 <= response.status < 500:
            return None, "", self.ttl
        if response.status != 200:
            return None, f"robots.txt answered HTTP {response.status}", ROBOTS_RETRY
        try:
            text = _robots_text(response.body)
        except InputError as exc:  # a gzip body that does not inflate, or inflates past the cap
            return None, f"robots.txt unreadable ({exc})", ROBOTS_RETRY
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        return parser, "", self.ttl


def _robots_text(body: bytes) -> str:
    if body.startswith(GZIP_MAGIC):
        body = b"".join(gunzip_chunks([body], ROBOTS_MAX_BYTES * 4))
    return body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
