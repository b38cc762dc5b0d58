"""`crosscheck watch` end to end against tests/feeds_server.py on 127.0.0.1, with the real pipeline (models
shared through ``pipeline_factory``): feeds that change between polls, 304s, revisions, back-off, a clean stop on
SIGTERM, and the ``feeds`` / ``watch`` commands."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosscheck.cli.main import app
from crosscheck.feeds.registry import add_feeds
from crosscheck.feeds.watch import Watcher, stop_on_signals
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.pipeline import Pipeline
from crosscheck.settings import Settings
from crosscheck.storage import Store
from crosscheck.storage import feeds as db
from feeds_server import FeedServer

runner = CliRunner()
MakePipeline = Callable[[Store, Settings], Pipeline]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.serve("/robots.txt", "robots.txt")
        running.serve("/harbor.rss", "harbor-v1.rss", etag='"harbor-1"')
        running.serve("/valley.atom", "valley.atom", last_modified="Tue, 04 Mar 2025 18:00:00 GMT")
        for name in ("bridge", "water-rates", "museum", "ferry"):
            running.serve(f"/news/{name}.html", f"pages/{name}.html", etag=f'"{name}-1"')
        yield running


def _settings(tmp_path: Path, **changes: object) -> Settings:
    base: dict[str, object] = {"feed_host_delay": 0.0, "fetch_timeout": 5.0, "feed_archive": str(tmp_path / "warc")}
    return Settings(**{**base, **changes})  # type: ignore[arg-type]


def _urls(store: Store) -> dict[str, int]:
    return {str(url): int(i) for i, url in store.conn.execute("SELECT id, url FROM articles")}


def test_watch_follows_feeds_that_change_between_polls(
    tmp_path: Path, server: FeedServer, pipeline_factory: MakePipeline
) -> None:
    base = server.base
    with Store(tmp_path / "watch.db") as store:
        add_feeds(store, [f"{base}/harbor.rss", f"{base}/valley.atom"])
        settings = _settings(tmp_path, feed_recheck=1e-6)  # pages still listed are re-checked at every poll
        watcher = Watcher(pipeline_factory(store, settings), allow_private=True)
        try:
            first = watcher.poll()
            assert (first.feeds, first.ok, first.errors, first.added) == (2, 2, 0, 6)
            urls = _urls(store)
            assert set(urls) == {f"{base}/news/bridge.html", f"{base}/news/water-rates.html",
                                 f"{base}/news/museum.html", f"{base}/private/dredging.html",
                                 f"{base}/stories/frost", f"{base}/stories/library"}  # fmt: skip

            # One poll later: a new entry, an edited article, the Atom feed unchanged (304 by Last-Modified).
            server.serve("/harbor.rss", "harbor-v2.rss", etag='"harbor-2"')
            server.serve("/news/water-rates.html", "pages/water-rates-v2.html", etag='"water-rates-2"')
            seen = len(server.requests)
            second = watcher.poll(force=True)
            assert (second.ok, second.not_modified, second.added, second.revisions) == (1, 1, 2, 1)
            asked = {s.path: s for s in server.requests[seen:]}
            assert asked["/harbor.rss"].headers["If-None-Match"] == '"harbor-1"'
            assert asked["/news/bridge.html"].status == 304  # re-checked conditionally: unchanged
            assert asked["/news/water-rates.html"].headers["If-None-Match"] == '"water-rates-1"'
            assert "/news/ferry.html" in asked and "/private/dredging.html" not in asked

            water = f"{base}/news/water-rates.html"
            history = db.revisions(store.conn, water)
            assert [r.revision for r in history] == [1, 2]
            old, new = (store.conn.execute("SELECT text, story_id FROM articles WHERE id = ?", (r.article_id,))
                        .fetchone() for r in history)  # fmt: skip
            assert "9 per cent" in old[0] and "6 per cent" in new[0] and old[1] == new[1]
            previous = store.conn.execute("SELECT previous_id FROM page_revisions WHERE revision = 2").fetchone()[0]
            assert previous == history[0].article_id

            third = watcher.poll(force=True)
            assert (third.not_modified, third.added) == (2, 0)
        finally:
            watcher.close()
        listing = {row.feed.url: row for row in db.feed_listing(store.conn)}
    harbor = listing[f"{base}/harbor.rss"]
    assert (harbor.feed.title, harbor.feed.etag, harbor.feed.last_status) == ("Harbor Ledger", '"harbor-2"',
                                                                              "not modified")  # fmt: skip
    assert (harbor.entries, harbor.articles, harbor.feed.polls, harbor.feed.errors) == (5, 6, 3, 0)
    valley = listing[f"{base}/valley.atom"]
    assert (valley.entries, valley.articles, valley.feed.last_modified) == (2, 2, "Tue, 04 Mar 2025 18:00:00 GMT")
    # the archive holds every response read: re-reading it gives the pages' URLs again
    warc = [str(path) for path in (tmp_path / "warc").iterdir()]
    again = {item.url for item in read_inputs(warc, settings) if isinstance(item, ParsedArticle)}
    assert again == set(urls) | {f"{base}/news/ferry.html"}
    _archive_reproduces_revisions(tmp_path, warc, settings, pipeline_factory, water)


def _archive_reproduces_revisions(
    tmp_path: Path, warc: list[str], settings: Settings, pipeline_factory: MakePipeline, water: str
) -> None:
    """Ingesting the archive into a new database gives the page revisions `watch` recorded; twice, nothing new."""
    with Store(tmp_path / "replayed.db") as store:
        pipeline = pipeline_factory(store, settings)
        first = pipeline.ingest_tracking_revisions(read_inputs(warc, settings))
        assert (first.added, first.revisions, first.errors) == (8, 1, 0)  # as `watch` stored: 7 pages, 1 revision
        history = db.revisions(store.conn, water)
        texts = [store.conn.execute("SELECT text FROM articles WHERE id = ?", (r.article_id,)).fetchone()[0]
                 for r in history]  # fmt: skip
        assert [r.revision for r in history] == [1, 2]
        assert "9 per cent" in texts[0] and "6 per cent" in texts[1]
        again = pipeline.ingest_tracking_revisions(read_inputs(warc, settings))
        assert (again.added, again.revisions, again.already_stored) == (0, 0, again.read)
        assert [r.revision for r in db.revisions(store.conn, water)] == [1, 2]


def test_failing_feed_backs_off_and_recovers(
    tmp_path: Path, server: FeedServer, pipeline_factory: MakePipeline
) -> None:
    server.serve("/flaky.rss", status=503, body=b"busy", headers={"Retry-After": "7200"})
    with Store(tmp_path / "flaky.db") as store:
        add_feeds(store, [f"{server.base}/flaky.rss"])
        watcher = Watcher(pipeline_factory(store, _settings(tmp_path)), interval=900, allow_private=True)
        try:
            assert watcher.poll().errors == 1
            feed = db.feeds(store.conn)[0]
            assert (feed.failures, feed.last_status, feed.last_error) == (1, "error", "HTTP 503 Service Unavailable")
            waited = _seconds(feed.last_fetch_at, feed.next_due_at)
            assert waited == 7200  # Retry-After, longer than the doubled interval
            assert watcher.poll().feeds == 0  # not due yet
            server.serve("/flaky.rss", status=500, body=b"broken")
            watcher.poll(force=True)
            feed = db.feeds(store.conn)[0]
            assert feed.failures == 2 and _seconds(feed.last_fetch_at, feed.next_due_at) == 900 * 4
            server.serve("/flaky.rss", "valley.atom")
            assert watcher.poll(force=True).ok == 1
            feed = db.feeds(store.conn)[0]
            assert (feed.failures, feed.errors, feed.last_error) == (0, 2, None)
            assert _seconds(feed.last_fetch_at, feed.next_due_at) == 900
        finally:
            watcher.close()


def _seconds(start: str | None, end: str | None) -> float:
    from datetime import datetime

    assert start and end
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def test_sigterm_stops_cleanly_with_nothing_half_written(
    tmp_path: Path, server: FeedServer, pipeline_factory: MakePipeline
) -> None:
    server.serve("/slow.rss", "harbor-v1.rss", delay=1.5)
    with Store(tmp_path / "stop.db") as store:
        add_feeds(store, [f"{server.base}/valley.atom", f"{server.base}/slow.rss"])
        stop = threading.Event()
        watcher = Watcher(pipeline_factory(store, _settings(tmp_path)), allow_private=True, stop=stop)
        notes: list[str] = []
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
        started = time.monotonic()
        try:
            with stop_on_signals(stop, notes.append):
                timer.start()
                watcher.run()  # would run for ever
        finally:
            timer.cancel()
            watcher.close()
        assert time.monotonic() - started < 5 and stop.is_set()
        assert notes and notes[0].startswith("SIGTERM")
        # the cycle was abandoned between batches: no feed recorded, no article, no revision
        assert all(feed.last_fetch_at is None for feed in db.feeds(store.conn))
        assert store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers restored
    archived = [str(path) for path in (tmp_path / "warc").iterdir()]  # closed between records: readable
    assert all(isinstance(item, ParsedArticle) for item in read_inputs(archived, Settings()))


def test_feeds_and_watch_commands(
    tmp_path: Path, server: FeedServer, pipeline_factory: MakePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = str(tmp_path / "cli.db")
    opml = tmp_path / "outlets.opml"
    opml.write_bytes(server.fixture("outlets.opml"))
    assert runner.invoke(app, ["--db", database, "feeds", "list"]).exit_code == 2  # no database yet
    added = runner.invoke(app, ["--db", database, "feeds", "import", str(opml)])
    assert added.exit_code == 1 and "3 feeds added" in added.stdout and "javascript" in added.stderr
    assert runner.invoke(app, ["--db", database, "feeds", "add", f"{server.base}/harbor.rss"]).exit_code == 0
    too_often = ["--db", database, "feeds", "add", "--every", "10s", "https://x.example/f"]
    assert runner.invoke(app, too_often).exit_code == 2
    assert runner.invoke(app, ["--db", database, "feeds", "remove", f"{server.base}/top.rss"]).exit_code == 0
    assert runner.invoke(app, ["--db", database, "feeds", "remove", "99"]).exit_code == 2
    exported = runner.invoke(app, ["--db", database, "feeds", "export"])
    assert exported.exit_code == 0 and exported.stdout.count("xmlUrl=") == 2

    monkeypatch.setenv("CROSSCHECK_FEED_HOST_DELAY", "0")
    monkeypatch.setenv("CROSSCHECK_FEED_ARCHIVE", "off")
    monkeypatch.setattr("crosscheck.pipeline.Pipeline", pipeline_factory)  # the session's loaded models
    watched = runner.invoke(app, ["--db", database, "watch", "--once", "--allow-private"])
    assert watched.exit_code == 0, watched.output
    assert "2 ok" in _flat(watched.stdout) and "6 articles added" in _flat(watched.stdout)
    again = runner.invoke(app, ["--db", database, "watch", "--once", "--allow-private"])
    assert again.exit_code == 0 and "no feed is due" in _flat(again.stderr)
    other = str(tmp_path / "other.db")
    runner.invoke(app, ["--db", other, "feeds", "add", f"{server.base}/harbor.rss"])
    refused = runner.invoke(app, ["--db", other, "watch", "--once"])
    assert refused.exit_code == 0 and "1 failed" in _flat(refused.stdout)  # loopback refused by the SSRF guard
    listing = runner.invoke(app, ["--db", database, "feeds", "list"])  # piped: tab-separated lines
    assert listing.exit_code == 0
    rows = {fields[0]: fields for fields in (line.split("\t") for line in listing.stdout.splitlines())}
    assert rows["id"][:5] == ["id", "feed", "every", "last fetch", "status"]
    assert "Harbor Ledger" in rows["1"][1] and rows["1"][4].startswith("ok") and "4" in rows["1"][5:7]


def _flat(text: str) -> str:
    return " ".join(text.split())
