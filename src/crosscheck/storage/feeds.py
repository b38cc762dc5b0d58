"""The SQL of followed feeds: the feed list with its poll state, the pages feeds list, and page revisions.

Plain functions over a connection, so that the watch loop (writer), its fetch threads (each with a read-only
connection) and the CLI share them. Timestamps are ISO 8601 UTC strings with seconds, which sort as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crosscheck.storage.connection import Connection


@dataclass(frozen=True)
class FeedRow:
    """A followed feed and the state of its polling."""

    id: int
    url: str
    title: str | None
    site_url: str | None
    category: str | None
    interval_s: float | None
    added_at: str
    etag: str | None
    last_modified: str | None
    last_fetch_at: str | None
    last_status: str | None
    last_error: str | None
    failures: int
    errors: int
    polls: int
    next_due_at: str | None


@dataclass(frozen=True)
class FeedListing:
    """A feed with what it brought: distinct pages listed and articles stored from them."""

    feed: FeedRow
    entries: int
    articles: int


@dataclass(frozen=True)
class PageState:
    """What is known of one page a feed listed (by its canonical URL)."""

    url: str
    article_url: str | None = None
    entry_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    failures: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class Revision:
    """One stored revision of an article page."""

    url: str
    revision: int
    text_hash: str
    article_id: int


_FEED_COLUMNS = """id, url, title, site_url, category, interval_s, added_at, etag, last_modified, last_fetch_at,
    last_status, last_error, failures, errors, polls, next_due_at"""


def _feed(row: Sequence[object]) -> FeedRow:
    return FeedRow(*row)  # type: ignore[arg-type]  # columns in field order


def add_feed(
    conn: Connection,
    url: str,
    *,
    now: str,
    title: str | None = None,
    site_url: str | None = None,
    category: str | None = None,
    interval_s: float | None = None,
) -> bool:
    """Follow ``url``; returns False when it is followed already (its row is left as it is)."""
    cur = conn.execute(
        """INSERT INTO feeds (url, title, site_url, category, interval_s, added_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (url) DO NOTHING""",
        (url, title, site_url, category, interval_s, now),
    )
    return cur.rowcount > 0


def remove_feed(conn: Connection, feed: str) -> bool:
    """Stop following a feed, given by id or URL; its pages and articles stay."""
    key = int(feed) if feed.isdigit() else -1
    cur = conn.execute("DELETE FROM feeds WHERE id = ? OR url = ?", (key, feed))
    return cur.rowcount > 0


def feeds(conn: Connection) -> list[FeedRow]:
    """Every followed feed, in the order added."""
    return [_feed(row) for row in conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id")]


def due_feeds(conn: Connection, now: str) -> list[FeedRow]:
    """The feeds whose next poll is due at ``now`` (never-polled ones first)."""
    rows = conn.execute(
        f"""SELECT {_FEED_COLUMNS} FROM feeds WHERE next_due_at IS NULL OR next_due_at <= ?
            ORDER BY next_due_at IS NOT NULL, next_due_at, id""",
        (now,),
    )
    return [_feed(row) for row in rows]


def next_due(conn: Connection) -> str | None:
    """When the next feed is due ('' when one is due now); None without feeds."""
    row = conn.execute("SELECT COUNT(*), MIN(COALESCE(next_due_at, '')) FROM feeds").fetchone()
    return None if row[0] == 0 else str(row[1])


def feed_listing(conn: Connection) -> list[FeedListing]:
    """Every feed with its number of listed pages and of articles stored from them (revisions counted)."""
    rows = conn.execute(
        f"""SELECT {_FEED_COLUMNS},
               (SELECT COUNT(*) FROM feed_entries e WHERE e.feed_id = feeds.id),
               (SELECT COUNT(DISTINCT r.article_id) FROM feed_entries e
                  JOIN feed_pages p ON p.url = e.url
                  JOIN page_revisions r ON r.url = p.article_url
                 WHERE e.feed_id = feeds.id)
            FROM feeds ORDER BY id"""
    )
    return [FeedListing(_feed(row[:-2]), int(row[-2]), int(row[-1])) for row in rows]


def record_poll(
    conn: Connection,
    feed_id: int,
    *,
    at: str,
    status: str,
    error: str | None,
    failures: int,
    next_due_at: str,
    etag: str | None = None,
    last_modified: str | None = None,
    keep_validators: bool = True,
    title: str | None = None,
) -> None:
    """Store the outcome of one poll. Validators change only on a 200 answer (``keep_validators=False``)."""
    conn.execute(
        """UPDATE feeds SET last_fetch_at = ?, last_status = ?, last_error = ?, failures = ?,
               errors = errors + CASE WHEN ? > 0 THEN 1 ELSE 0 END, polls = polls + 1, next_due_at = ?,
               etag = CASE WHEN ? <> 0 THEN etag ELSE ? END,
               last_modified = CASE WHEN ? <> 0 THEN last_modified ELSE ? END,
               title = COALESCE(title, ?)
           WHERE id = ?""",
        (at, status, error, failures, failures, next_due_at, keep_validators, etag, keep_validators,
         last_modified, title, feed_id),
    )  # fmt: skip


def page_state(conn: Connection, url: str) -> PageState | None:
    """What is known of the page at canonical ``url``."""
    row = conn.execute(
        """SELECT url, article_url, entry_hash, etag, last_modified, fetched_at, failures, last_error
           FROM feed_pages WHERE url = ?""",
        (url,),
    ).fetchone()
    return PageState(*row) if row else None


def save_page(conn: Connection, state: PageState, *, feed_id: int, seen_at: str) -> None:
    """Insert or update a page's state and note that ``feed_id`` lists it."""
    conn.execute(
        """INSERT INTO feed_pages (url, article_url, entry_hash, etag, last_modified, fetched_at, failures,
               last_error, first_seen, last_seen)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (url) DO UPDATE SET article_url = excluded.article_url, entry_hash = excluded.entry_hash,
               etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = excluded.fetched_at,
               failures = excluded.failures, last_error = excluded.last_error, last_seen = excluded.last_seen""",
        (state.url, state.article_url, state.entry_hash, state.etag, state.last_modified, state.fetched_at,
         state.failures, state.last_error, seen_at, seen_at),
    )  # fmt: skip
    conn.execute(
        "INSERT INTO feed_entries (feed_id, url) VALUES (?, ?) ON CONFLICT (feed_id, url) DO NOTHING",
        (feed_id, state.url),
    )


def latest_revision(conn: Connection, url: str) -> Revision | None:
    """The newest stored revision of the article at canonical ``url``."""
    row = conn.execute(
        """SELECT url, revision, text_hash, article_id FROM page_revisions WHERE url = ?
           ORDER BY revision DESC LIMIT 1""",
        (url,),
    ).fetchone()
    return Revision(*row) if row else None


def revisions(conn: Connection, url: str) -> list[Revision]:
    """Every stored revision of the article at ``url``, oldest first."""
    rows = conn.execute(
        "SELECT url, revision, text_hash, article_id FROM page_revisions WHERE url = ? ORDER BY revision", (url,)
    )
    return [Revision(*row) for row in rows]


def add_revision(
    conn: Connection,
    revision: Revision,
    *,
    previous_id: int | None,
    fetched_at: str,
    warc: tuple[str, str] | None,
) -> None:
    """Record a revision (``warc`` is the archive file name and record id of its raw response)."""
    conn.execute(
        """INSERT INTO page_revisions (url, revision, text_hash, article_id, previous_id, fetched_at, warc_file,
               warc_record) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url, revision) DO NOTHING""",
        (revision.url, revision.revision, revision.text_hash, revision.article_id, previous_id, fetched_at,
         warc[0] if warc else None, warc[1] if warc else None),
    )  # fmt: skip


def articles_by_key(conn: Connection, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
    """{key: (article id, text hash)} of the stored articles among ``keys``."""
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for key, article_id, digest in conn.execute(
            f"SELECT key, id, text_hash FROM articles WHERE key IN ({marks})", chunk
        ):
            found[str(key)] = (int(article_id), str(digest))
    return found


def has_capture(conn: Connection, url: str, text_hash: str, fetched_at: str) -> bool:
    """Whether a revision of ``url`` with this text, captured at ``fetched_at``, is recorded already."""
    row = conn.execute(
        "SELECT 1 FROM page_revisions WHERE url = ? AND text_hash = ? AND fetched_at = ? LIMIT 1",
        (url, text_hash, fetched_at),
    ).fetchone()
    return row is not None
