"""The watch loop: poll the due feeds, ingest what they bring, store their state; sleep; again.

Fetching runs in ``feed_workers`` threads (polite per host, see :mod:`crosscheck.feeds.polite`); ingesting runs
in the calling thread, in batches of about ``ingest_chunk`` articles, as results arrive, so that the models
work while the network waits. Each batch is ingested first (the pipeline commits chunk by chunk) and the feeds'
new state (validators, due time, pages seen, revisions) is written after, in one transaction: a feed whose
articles were not stored keeps its old validators and is read again. A stop request (Ctrl-C, SIGTERM) is seen
between batches: the batch being ingested is finished, fetches still running are abandoned unrecorded, and the
archive file is closed between records. A second Ctrl-C interrupts at once; the open transaction rolls back.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import FrameType

from crosscheck.feeds.archive import WarcArchive
from crosscheck.feeds.poller import FeedResult, Poller
from crosscheck.feeds.schedule import due_at, now_utc, parse_stamp, stamp, wait_after
from crosscheck.ingest import revisions
from crosscheck.models import IngestFailure
from crosscheck.pipeline import Pipeline
from crosscheck.storage import feeds as db
from crosscheck.storage.database import is_postgres_url, resolve_db_path

FLUSH_SECONDS = 10.0  # ingest what has arrived at least this often, so that new articles show up soon
MAX_SLEEP = 60.0  # look at the feed list at least this often (`feeds add` from another terminal)


@dataclass
class CycleReport:
    """What one poll cycle did."""

    feeds: int = 0
    ok: int = 0
    not_modified: int = 0
    errors: int = 0
    pages_fetched: int = 0
    found: int = 0  # articles found in feeds and pages, before duplicates and unchanged revisions
    added: int = 0
    revisions: int = 0  # new revisions (2 and later) of pages seen before
    duplicates: int = 0
    seconds: float = 0.0
    stopped: bool = False
    failures: list[IngestFailure] = field(default_factory=list)


def archive_folder(setting: str, db_path: Path | str) -> Path | None:
    """Where WARC files go: the setting's folder, else ``<database>-warc`` beside the database (``crosscheck-warc``
    here for a PostgreSQL database); None when 'off'."""
    if setting.strip().lower() == "off":
        return None
    if setting.strip():
        return Path(setting)
    if is_postgres_url(db_path):
        return Path("crosscheck-warc")
    return Path(db_path).with_name(f"{Path(db_path).stem}-warc")


class Watcher:
    """Polls the followed feeds of ``pipeline.store`` into it."""

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        interval: float | None = None,
        allow_private: bool = False,
        stop: threading.Event | None = None,
    ) -> None:
        self.store = pipeline.store
        self.settings = pipeline.settings
        self.pipeline = pipeline
        self.interval = interval or self.settings.feed_interval
        self.stop = stop or threading.Event()
        db_path = resolve_db_path(self.store.path)
        folder = archive_folder(self.settings.feed_archive, db_path)
        agent = self.settings.feed_user_agent
        self.archive = WarcArchive(folder, self.settings.feed_warc_bytes, agent) if folder else None
        self.poller = Poller(self.settings, db_path, stop=self.stop, archive=self.archive, allow_private=allow_private)

    def close(self) -> None:
        """Close the archive file and the fetch threads' database connections."""
        self.poller.close()
        if self.archive is not None:
            self.archive.close()

    def run(self, *, once: bool = False, on_cycle: Callable[[CycleReport], None] | None = None) -> None:
        """Poll due feeds until stopped (or one cycle with ``once``), sleeping until the next one is due."""
        while not self.stop.is_set():
            report = self.poll()
            if on_cycle is not None and report.feeds:
                on_cycle(report)
            if once:
                return
            self.stop.wait(self._seconds_to_next())

    def poll(self, *, force: bool = False) -> CycleReport:
        """One cycle over the due feeds (every feed with ``force``)."""
        started = time.monotonic()
        conn = self.store.conn
        due = db.feeds(conn) if force else db.due_feeds(conn, stamp(now_utc()))
        report = CycleReport(feeds=len(due))
        if due:
            with ThreadPoolExecutor(self.settings.feed_workers, thread_name_prefix="crosscheck-feed") as pool:
                futures = {pool.submit(self.poller.poll, feed) for feed in due}
                try:
                    self._collect(futures, report)
                finally:
                    for future in futures:
                        future.cancel()
            self.poller.close()  # the cycle's threads are gone: so are their database connections
        report.stopped = self.stop.is_set()
        report.seconds = time.monotonic() - started
        return report

    def _collect(self, futures: set[Future[FeedResult]], report: CycleReport) -> None:
        """Store results as they come, in batches, until every poll is done or a stop is asked."""
        pending: list[FeedResult] = []
        last = time.monotonic()
        while (futures or pending) and not self.stop.is_set():
            if futures:
                done, _ = wait(futures, timeout=0.5, return_when=FIRST_COMPLETED)
                futures.difference_update(done)
                pending.extend(future.result() for future in done)
            due = not futures or time.monotonic() - last >= FLUSH_SECONDS
            if pending and (due or _articles(pending) >= self.settings.ingest_chunk):
                self._store(_take_batch(pending, self.settings.ingest_chunk), report)
                last = time.monotonic()

    def _store(self, results: list[FeedResult], report: CycleReport) -> None:
        """Ingest a batch's articles, then record its feeds' state and the revisions in one transaction."""
        live = [r for r in results if r.status != "stopped"]
        found = [(p.article, stamp(r.at), p.warc) for r in live for p in r.pages if p.article is not None]
        planned = revisions.plan(self.store.conn, found)
        keyed = [(p.article, p.key) for p in planned if p.adopt is None]
        if keyed:
            ingested = self.pipeline.ingest_keyed(keyed)
            report.added += ingested.added
            report.duplicates += ingested.duplicates
            report.failures.extend(ingested.failures)
        with self.store.transaction() as conn:
            report.revisions += revisions.record(conn, planned)
            for result in live:
                self._record(result)
        report.found += len(found)
        for result in live:
            report.ok += result.status == "ok"
            report.not_modified += result.status == "not modified"
            report.errors += result.status in {"error", "robots"}
            report.pages_fetched += result.pages_fetched

    def _record(self, result: FeedResult) -> None:
        conn = self.store.conn
        feed = result.feed
        if conn.execute("SELECT 1 FROM feeds WHERE id = ?", (feed.id,)).fetchone() is None:
            return  # removed while it was being polled
        failed = result.status in {"error", "robots"}
        failures = feed.failures + 1 if failed else 0
        wait_s = wait_after(
            feed.interval_s or self.interval, failures, self.settings.feed_max_backoff, result.retry_after
        )
        validators = result.validators
        db.record_poll(
            conn,
            feed.id,
            at=stamp(result.at),
            status=result.status,
            error=result.error,
            failures=failures,
            next_due_at=due_at(result.at, wait_s),
            etag=validators.etag if validators else None,
            last_modified=validators.last_modified if validators else None,
            keep_validators=validators is None,
            title=result.title,
        )
        for page in result.pages:
            if page.state is not None:
                db.save_page(conn, page.state, feed_id=feed.id, seen_at=stamp(result.at))

    def _seconds_to_next(self) -> float:
        upcoming = db.next_due(self.store.conn)
        if upcoming is None:
            return MAX_SLEEP
        when = parse_stamp(upcoming)
        if when is None:
            return 1.0
        seconds = (when - now_utc()) / timedelta(seconds=1)
        return min(MAX_SLEEP, max(1.0, seconds))


def _articles(results: list[FeedResult]) -> int:
    return sum(len(r.articles) for r in results)


def _take_batch(pending: list[FeedResult], size: int) -> list[FeedResult]:
    """Whole feed results from the front of ``pending``, up to about ``size`` articles (at least one result)."""
    batch: list[FeedResult] = []
    count = 0
    while pending and (not batch or count + len(pending[0].articles) <= size):
        result = pending.pop(0)
        batch.append(result)
        count += len(result.articles)
    return batch


@contextmanager
def stop_on_signals(stop: threading.Event, notify: Callable[[str], None]) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM set ``stop``; a second SIGINT raises KeyboardInterrupt at once."""

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        notify(f"{signal.Signals(signum).name}: stopping after the current batch (Ctrl-C again to stop at once)")

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
