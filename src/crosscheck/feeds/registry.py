"""The list of followed feeds: adding (one by one or from OPML), removing, exporting.

Feed addresses are stored as given (after checking they are http(s) URLs): unlike article URLs, a feed's query
string often selects the feed, so nothing is stripped from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crosscheck.errors import InputError
from crosscheck.feeds.opml import MAX_OPML_BYTES, parse_opml, write_opml
from crosscheck.feeds.schedule import now_utc, stamp
from crosscheck.storage import Store
from crosscheck.storage import feeds as db
from crosscheck.storage.connection import Connection


@dataclass
class AddReport:
    """What adding feeds did."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "URL: reason"


def feed_url(value: str) -> str:
    """``value`` as a feed address, or InputError: an http(s) URL with a host and no spaces."""
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise InputError("not an http(s) URL")
    if any(char.isspace() for char in url):
        raise InputError("a URL cannot contain spaces")
    try:
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise InputError("invalid port") from exc
    return url


def add_feeds(store: Store, urls: list[str], *, interval: float | None = None) -> AddReport:
    """Follow each URL (checked first); already followed ones are left as they are."""
    report = AddReport()
    now = stamp(now_utc())
    with store.transaction() as conn:
        for value in urls:
            try:
                url = feed_url(value)
            except InputError as exc:
                report.skipped.append(f"{value}: {exc}")
                continue
            added = db.add_feed(conn, url, now=now, interval_s=interval)
            (report.added if added else report.existing).append(url)
    return report


def import_opml(store: Store, path: Path, *, interval: float | None = None) -> AddReport:
    """Follow every feed of an OPML file, with its title, site and folder; raises InputError for a bad file."""
    with path.open("rb") as handle:
        data = handle.read(MAX_OPML_BYTES + 1)
    found, skipped = parse_opml(data)
    report = AddReport(skipped=skipped)
    now = stamp(now_utc())
    with store.transaction() as conn:
        for feed in found:
            try:
                url = feed_url(feed.url)
            except InputError as exc:
                report.skipped.append(f"{feed.url}: {exc}")
                continue
            added = db.add_feed(
                conn,
                url,
                now=now,
                title=feed.title,
                site_url=feed.site_url,
                category=feed.category,
                interval_s=interval,
            )
            (report.added if added else report.existing).append(url)
    return report


def export_opml(conn: Connection) -> str:
    """Every followed feed as an OPML 2.0 document."""
    return write_opml(db.feeds(conn), title="crosscheck feeds", created=stamp(now_utc()))
