"""Polling one feed, in a fetch thread: the feed (conditionally), then the pages of its entries that need it.

Nothing is written to the database here: a :class:`FeedResult` carries the articles found and the new state of
the feed and its pages, and the watch loop stores them after ingesting the articles (so a poll that is stopped
half-way leaves no trace but its WARC records, and the next poll does it again).

Which pages are fetched: an entry with full text in the feed is the article itself. An entry with only a summary
is fetched when it is new or changed in the feed (up to ``feed_page_retries`` tries; then, or when robots.txt
forbids the page, the entry's summary is stored as a partial article), and again ``feed_recheck`` seconds after
its last fetch while the feed still lists it, conditionally, to catch edits.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from crosscheck.errors import InputError
from crosscheck.feeds.archive import WarcArchive
from crosscheck.feeds.conditional import ACCEPT_FEED, ACCEPT_PAGE, Response, Validators, conditional_get
from crosscheck.feeds.pages import entry_hash, page_article
from crosscheck.feeds.polite import HostGate, Robots, Stopped, Verdict
from crosscheck.feeds.schedule import now_utc, older_than, stamp
from crosscheck.ingest.dispatch import response_items
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings
from crosscheck.storage import connect
from crosscheck.storage.connection import Connection
from crosscheck.storage.feeds import FeedRow, PageState, page_state

Warc = tuple[str, str] | None
logger = logging.getLogger(__name__)


class Disallowed(Exception):
    """robots.txt forbids the URL, or could not be read (which forbids everything for a while)."""


@dataclass
class PageOutcome:
    """One entry of a polled feed: the page's new state and the article to store, if any."""

    state: PageState | None  # None for an entry without a link (not tracked)
    article: ParsedArticle | None = None
    warc: Warc = None


@dataclass
class FeedResult:
    """What polling one feed found; stored by the watch loop."""

    feed: FeedRow
    at: datetime
    status: str  # 'ok', 'not modified', 'error', 'robots', 'stopped'
    error: str | None = None
    validators: Validators | None = None  # of a 200 answer
    retry_after: float | None = None
    title: str | None = None
    pages: list[PageOutcome] = field(default_factory=list)
    pages_fetched: int = 0
    entry_failures: int = 0

    @property
    def articles(self) -> list[ParsedArticle]:
        return [p.article for p in self.pages if p.article is not None]


class Poller:
    """Fetches feeds and pages politely (robots.txt, per-host gate), archiving what it reads."""

    def __init__(
        self,
        settings: Settings,
        db_path: Path | str,
        *,
        stop: threading.Event,
        archive: WarcArchive | None = None,
        allow_private: bool = False,
    ) -> None:
        self.settings = settings
        self.db_path = db_path
        self.stop = stop
        self.archive = archive
        self.allow_private = allow_private
        self.gate = HostGate(settings.feed_host_delay, settings.feed_host_concurrency, stop)
        self.robots = Robots(settings.feed_user_agent, settings.feed_robots_ttl, self._robots_get)
        self._local = threading.local()
        self._connections: list[Connection] = []
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the fetch threads' read-only database connections (threads opening new ones reopen them)."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    def poll(self, feed: FeedRow) -> FeedResult:
        """Poll one feed and fetch what its entries need; never raises (a failure is the result's error)."""
        try:
            return self._poll(feed)
        except Exception as exc:  # a library failing on one odd feed must not end the watch
            logger.warning("unexpected error polling %s", feed.url, exc_info=True)
            return FeedResult(feed, now_utc(), "error", f"unexpected error: {type(exc).__name__}: {exc}")

    def _poll(self, feed: FeedRow) -> FeedResult:
        at = now_utc()
        try:
            response, warc = self._get(feed.url, Validators(feed.etag, feed.last_modified), ACCEPT_FEED)
        except Disallowed as exc:
            return FeedResult(feed, at, "robots", str(exc))
        except InputError as exc:
            return FeedResult(feed, at, "error", str(exc))
        except Stopped:
            return FeedResult(feed, at, "stopped")
        if response.status == 304:
            return FeedResult(feed, at, "not modified")
        if response.status != 200:
            wait = response.retry_after() if response.status in {429, 503} else None
            return FeedResult(feed, at, "error", f"HTTP {response.status} {response.reason}".strip(), retry_after=wait)
        result = FeedResult(feed, at, "ok", validators=response.validators)
        try:
            self._read_entries(result, response, warc)
        except InputError as exc:
            return FeedResult(feed, at, "error", str(exc))
        except Stopped:
            return FeedResult(feed, at, "stopped")
        return result

    # --- entries and pages ----------------------------------------------------------------------------

    def _read_entries(self, result: FeedResult, response: Response, warc: Warc) -> None:
        items = response_items(
            response.body,
            url=response.url,
            content_type=response.content_type,
            charset=response.charset,
            location=result.feed.url,
            settings=self.settings,
        )
        entries: list[ParsedArticle] = []
        for item in items:
            if isinstance(item, ParsedArticle) and item.format == "feed":
                entries.append(item)
            else:
                result.entry_failures += 1
        if not entries:
            raise InputError("not a feed (or a feed whose entries could all not be read)")
        result.title = entries[0].source_name
        for entry in entries:
            result.pages.append(self._entry(entry, warc, result))

    def _entry(self, entry: ParsedArticle, feed_warc: Warc, result: FeedResult) -> PageOutcome:
        if not entry.url:
            return PageOutcome(None, entry, feed_warc)
        hashed = entry_hash(entry)
        base = page_state(self._conn(), entry.url) or PageState(url=entry.url)
        changed = base.entry_hash != hashed
        if not entry.partial:  # the feed carries the full text: it is the article
            if not changed:
                return PageOutcome(base)
            state = dataclasses.replace(base, article_url=entry.url, entry_hash=hashed, failures=0, last_error=None)
            return PageOutcome(state, entry, feed_warc)
        if changed and base.failures < self.settings.feed_page_retries:
            return self._fetch_page(entry, base, hashed, result)
        if changed and base.article_url is None:  # out of tries: the feed's summary is all there is
            return self._fallback(entry, base, hashed)
        if changed:
            return PageOutcome(dataclasses.replace(base, entry_hash=hashed))  # gave up on this edit
        recheck = self.settings.feed_recheck
        if base.article_url and recheck > 0 and older_than(base.fetched_at, recheck, result.at):
            return self._fetch_page(entry, base, hashed, result, recheck=True)
        return PageOutcome(base)

    def _fetch_page(
        self, entry: ParsedArticle, base: PageState, hashed: str, result: FeedResult, *, recheck: bool = False
    ) -> PageOutcome:
        assert entry.url is not None
        fetched_at = stamp(result.at)
        validators = Validators(base.etag, base.last_modified) if base.article_url else None
        result.pages_fetched += 1
        try:
            response, warc = self._get(entry.url, validators, ACCEPT_PAGE)
            if response.status == 304:
                return PageOutcome(dataclasses.replace(base, entry_hash=hashed, fetched_at=fetched_at, failures=0))
            if response.status != 200:
                raise InputError(f"HTTP {response.status} {response.reason}".strip())
            article = page_article(
                response.body,
                url=response.url,
                content_type=response.content_type,
                charset=response.charset,
                settings=self.settings,
            )
        except Disallowed as exc:
            if recheck:
                return PageOutcome(dataclasses.replace(base, last_error=str(exc)))
            return self._fallback(entry, dataclasses.replace(base, last_error=str(exc)), hashed)
        except InputError as exc:
            if recheck:  # the page was read before: a failed recheck is noted, never retried as a new page
                return PageOutcome(dataclasses.replace(base, fetched_at=fetched_at, last_error=str(exc)))
            failed = dataclasses.replace(base, fetched_at=fetched_at, failures=base.failures + 1, last_error=str(exc))
            if failed.failures >= self.settings.feed_page_retries and base.article_url is None:
                return self._fallback(entry, failed, hashed)
            return PageOutcome(failed)
        state = PageState(
            url=base.url,
            article_url=article.url,
            entry_hash=hashed,
            etag=response.validators.etag,
            last_modified=response.validators.last_modified,
            fetched_at=fetched_at,
        )
        return PageOutcome(state, _with_entry_fields(article, entry), warc)

    def _fallback(self, entry: ParsedArticle, base: PageState, hashed: str) -> PageOutcome:
        """The entry's own summary, stored as a partial article, when its page cannot be had."""
        state = dataclasses.replace(base, article_url=entry.url, entry_hash=hashed)
        return PageOutcome(state, entry)

    # --- HTTP -------------------------------------------------------------------------------------------

    def _get(self, url: str, validators: Validators | None, accept: str) -> tuple[Response, Warc]:
        """A polite GET: robots.txt asked first, then this host's turn awaited; 200 answers are archived.

        A redirect is followed only where the robots.txt of its target allows it, so that a feed on one host
        cannot lead the fetcher into another host's disallowed paths.
        """
        verdict = self._allowed(url)
        with self.gate.turn(url, verdict.delay):
            response = conditional_get(
                url,
                self.settings,
                validators=validators,
                accept=accept,
                allow_private=self.allow_private,
                on_redirect=self._allowed,
            )
        warc = self.archive.write(response) if self.archive and response.status == 200 else None
        return response, warc

    def _allowed(self, url: str) -> Verdict:
        verdict = self.robots.check(url)
        if not verdict.allowed:
            raise Disallowed(f"{verdict.reason}: {url}" if verdict.reason else url)
        return verdict

    def _robots_get(self, url: str) -> Response:
        with self.gate.turn(url):
            response = conditional_get(url, self.settings, accept="text/plain", allow_private=self.allow_private)
        if self.archive and response.status == 200:
            self.archive.write(response)
        return response

    def _conn(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        with self._lock:
            if conn is not None and conn not in self._connections:
                conn = None  # closed by close(): open another
        if conn is None:
            conn = connect(self.db_path, readonly=True)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn


def _with_entry_fields(article: ParsedArticle, entry: ParsedArticle) -> ParsedArticle:
    """A page's article, with what its page lacked taken from its feed entry (date, title, authors, outlet)."""
    from_entry = (not article.title or article.title_derived) and bool(entry.title)
    return dataclasses.replace(
        article,
        published=article.published or entry.published,
        title=entry.title if from_entry else article.title,
        title_derived=False if from_entry else article.title_derived,
        authors=article.authors or entry.authors,
        source_name=article.source_name or entry.source_name,
        language=article.language or entry.language,
    )
