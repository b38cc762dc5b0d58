"""Polling over HTTP, against tests/feeds_server.py on 127.0.0.1 (no test touches the internet): conditional GET,
robots.txt, canonical URLs, errors and slow hosts, the SSRF guard, and the WARC archive read back by ingest.

Loopback is private: every fetch here passes ``allow_private=True``, the guard's explicit allow flag; without it
the request is refused before any connection (checked below).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosscheck.errors import InputError
from crosscheck.feeds.archive import WarcArchive
from crosscheck.feeds.conditional import Validators, conditional_get
from crosscheck.feeds.poller import FeedResult, Poller
from crosscheck.feeds.registry import add_feeds
from crosscheck.ingest import read_inputs
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings
from crosscheck.storage import Store
from crosscheck.storage import feeds as db
from feeds_server import FeedServer

SETTINGS = Settings(feed_host_delay=0.0, fetch_timeout=5.0, feed_archive="off")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.serve("/robots.txt", "robots.txt")
        running.serve("/harbor.rss", "harbor-v1.rss", etag='"harbor-1"')
        running.serve("/valley.atom", "valley.atom", last_modified="Tue, 04 Mar 2025 18:00:00 GMT", gzip=True)
        for name in ("bridge", "water-rates", "museum", "ferry"):
            running.serve(f"/news/{name}.html", f"pages/{name}.html", etag=f'"{name}-1"')
        yield running


def _poll(tmp_path: Path, server: FeedServer, path: str, settings: Settings = SETTINGS, **kwargs: object) -> FeedResult:
    with Store(tmp_path / "feeds.db") as store:
        add_feeds(store, [server.base + path])
        feed = next(f for f in db.feeds(store.conn) if f.url.endswith(path))
    poller = Poller(settings, tmp_path / "feeds.db", stop=threading.Event(), allow_private=True, **kwargs)  # type: ignore[arg-type]
    try:
        return poller.poll(feed)
    finally:
        poller.close()


def test_loopback_is_refused_without_the_allow_flag(server: FeedServer) -> None:
    with pytest.raises(InputError, match="non-public address"):
        conditional_get(server.base + "/harbor.rss", SETTINGS)
    assert server.paths() == []  # refused before connecting


def test_conditional_get_identifies_itself_and_gets_304(server: FeedServer) -> None:
    first = conditional_get(server.base + "/harbor.rss", SETTINGS, allow_private=True)
    assert first.status == 200 and first.validators.etag == '"harbor-1"'
    again = conditional_get(server.base + "/harbor.rss", SETTINGS, validators=first.validators, allow_private=True)
    assert again.status == 304 and again.body == b""
    sent = server.requests[-1].headers
    assert sent["If-None-Match"] == '"harbor-1"'
    assert sent["User-Agent"].startswith("crosscheck/")
    dated = Validators(last_modified="Tue, 04 Mar 2025 18:00:00 GMT")
    assert conditional_get(server.base + "/valley.atom", SETTINGS, validators=dated, allow_private=True).status == 304
    zipped = conditional_get(server.base + "/valley.atom", SETTINGS, allow_private=True)
    assert zipped.header("content-encoding") == "gzip" and gzip.decompress(zipped.body).startswith(b"<?xml")


def test_summary_feed_pages_fetched_politely_with_canonical_urls(tmp_path: Path, server: FeedServer) -> None:
    server.serve("/news/museum.amp.html", "pages/museum.html")
    result = _poll(tmp_path, server, "/harbor.rss")
    assert result.status == "ok" and result.title == "Harbor Ledger"
    assert result.validators == Validators('"harbor-1"', None)
    urls = {p.article.url: p.article for p in result.pages if p.article}
    base = server.base
    # tracking parameters gone; the bridge page's canonical link to another site ignored; the AMP link followed
    # to the page itself, never to its AMP copy
    assert set(urls) == {f"{base}/news/bridge.html", f"{base}/news/water-rates.html", f"{base}/news/museum.html",
                         f"{base}/private/dredging.html"}  # fmt: skip
    assert "/news/museum.amp.html" not in server.paths()
    assert server.paths()[0] == "/robots.txt"
    # robots.txt disallows /private/: never requested, the feed's summary kept as a partial article
    assert not any(path.startswith("/private/") for path in server.paths())
    dredging = urls[f"{base}/private/dredging.html"]
    assert dredging.partial and "fourteen metres" in dredging.text
    bridge = urls[f"{base}/news/bridge.html"]
    assert not bridge.partial and bridge.format == "html" and "4.2 million dollars" in bridge.text
    assert bridge.published and bridge.published.startswith("2025-03-04")
    assert result.pages_fetched == 4


def test_full_text_feed_needs_no_page_fetch(tmp_path: Path, server: FeedServer) -> None:
    result = _poll(tmp_path, server, "/valley.atom")
    assert result.status == "ok" and result.pages_fetched == 0
    assert [p.article.url for p in result.pages if p.article] == [
        f"{server.base}/stories/frost",
        f"{server.base}/stories/library",
    ]
    assert server.paths() == ["/robots.txt", "/valley.atom"]


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ({"status": 500, "body": b"oops"}, "HTTP 500"),
        ({"status": 429, "body": b"slow down", "headers": {"Retry-After": "120"}}, "HTTP 429"),
        ({"body": b"<html><body><p>Not a feed at all, just a page.</p></body></html>"}, "not a feed"),
        ({"content_type": "image/png", "body": b"\x89PNG\r\n\x1a\n"}, "unsupported content type"),
    ],
)
def test_feed_errors_are_results(tmp_path: Path, server: FeedServer, route: dict[str, object], expected: str) -> None:
    server.serve("/bad.rss", **route)
    result = _poll(tmp_path, server, "/bad.rss")
    assert result.status == "error" and expected in (result.error or "")
    assert result.retry_after == (120 if route.get("status") == 429 else None)


def test_a_slow_host_times_out_without_holding_others(tmp_path: Path, server: FeedServer) -> None:
    server.serve("/slow.rss", "valley.atom", delay=3.0)
    settings = Settings(feed_host_delay=0.0, fetch_timeout=0.5, feed_archive="off")
    started = time.monotonic()
    result = _poll(tmp_path, server, "/slow.rss", settings)
    assert result.status == "error" and "timed out" in (result.error or "")
    assert time.monotonic() - started < 2.5


def test_robots_unreachable_refuses_the_host_for_now(tmp_path: Path, server: FeedServer) -> None:
    server.serve("/robots.txt", status=503, body=b"down")
    result = _poll(tmp_path, server, "/harbor.rss")
    assert result.status == "robots" and "503" in (result.error or "")
    assert server.paths() == ["/robots.txt"]


def test_a_redirect_into_a_disallowed_path_is_not_followed(tmp_path: Path, server: FeedServer) -> None:
    server.serve("/moved.rss", status=301, headers={"Location": "/private/harbor.rss"})
    server.serve("/private/harbor.rss", "harbor-v1.rss")
    result = _poll(tmp_path, server, "/moved.rss")
    assert result.status == "robots" and "/private/harbor.rss" in (result.error or "")
    assert server.paths() == ["/robots.txt", "/moved.rss"]  # the target was never requested


def test_a_redirect_into_an_allowed_path_is_followed(tmp_path: Path, server: FeedServer) -> None:
    server.serve("/old-harbor.rss", status=302, headers={"Location": "/harbor.rss"})
    result = _poll(tmp_path, server, "/old-harbor.rss")
    assert result.status == "ok" and result.title == "Harbor Ledger"
    assert server.paths()[:3] == ["/robots.txt", "/old-harbor.rss", "/harbor.rss"]


def test_warc_archive_is_read_back_by_ingest(tmp_path: Path, server: FeedServer) -> None:
    archive = WarcArchive(tmp_path / "warc", 10**8, "crosscheck test")
    polled = [_poll(tmp_path, server, path, archive=archive) for path in ("/harbor.rss", "/valley.atom")]
    archive.close()
    files = sorted((tmp_path / "warc").iterdir())
    assert len(files) == 1 and files[0].name.endswith(".warc.gz")
    read = list(read_inputs([str(files[0])], SETTINGS))
    assert not [item for item in read if isinstance(item, IngestFailure)]
    again = {(a.url, a.text, a.partial) for a in read if isinstance(a, ParsedArticle)}
    live = {(p.article.url, p.article.text, p.article.partial) for r in polled for p in r.pages if p.article}
    # the same articles: pages re-extracted from their archived responses, feed entries from the feeds; the
    # pages taken from the entries (dates, titles) differ only in what the entry added
    assert {url for url, _, _ in again} == {url for url, _, _ in live}
    assert {text for _, text, _ in again} == {text for _, text, _ in live}


def test_warc_reader_refuses_nested_and_corrupt_archives(tmp_path: Path, server: FeedServer) -> None:
    inner = tmp_path / "inner"
    archive = WarcArchive(inner, 10**8, "crosscheck test")
    _poll(tmp_path, server, "/valley.atom", archive=archive)
    archive.close()
    nested_body = next(inner.iterdir()).read_bytes()
    server.serve("/archive.warc.gz", body=nested_body, content_type="application/gzip")
    outer = WarcArchive(tmp_path / "outer", 10**8, "crosscheck test")
    outer.write(conditional_get(server.base + "/archive.warc.gz", SETTINGS, allow_private=True))
    outer.close()
    read = list(read_inputs([str(p) for p in (tmp_path / "outer").iterdir()], SETTINGS))
    assert [item.reason for item in read if isinstance(item, IngestFailure)] == [
        "a WARC archive inside a WARC record is not read"
    ]
    corrupt = tmp_path / "corrupt.warc"
    corrupt.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    failures = [item for item in read_inputs([str(corrupt)], SETTINGS) if isinstance(item, IngestFailure)]
    assert failures and "WARC" in failures[0].reason
