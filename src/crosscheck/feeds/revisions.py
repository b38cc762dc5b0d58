"""Revisions of article pages, news-please style: a page whose text changed is stored again as a new article.

Each article URL (canonical) has numbered revisions in ``page_revisions``: revision 1 is the first text stored,
and each later fetch whose normalised text hash differs from the newest revision's is ingested as a new article
(revision n + 1) linked to the one before (``previous_id``). Unchanged texts add nothing. An article stored
before `watch` saw it (by ``crosscheck ingest URL``, say) becomes revision 1 as it is.

A revision goes through the whole pipeline like any article, so it is usually a near duplicate of the revision
before: it joins that story and does not count as another independent report.

``crosscheck ingest`` of a web archive keeps revisions the same way (:func:`ingest_tracking_revisions`): pages
read back from an archive carry their capture time, and later captures of a URL with other text become its later
revisions, in capture order. A capture recorded already (same URL, text and capture time) adds nothing, so
reading an archive twice is idempotent.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from crosscheck.dedup import text_hash
from crosscheck.models import IngestFailure, IngestReport, ParsedArticle
from crosscheck.pipeline import Pipeline, Progress, article_key, no_progress
from crosscheck.storage import feeds as db


def revision_key(url: str, revision: int) -> str:
    """The article key of revision ``revision`` (2 or later) of the page at ``url``."""
    return hashlib.sha256(f"url\0{url}\0revision {revision}".encode()).hexdigest()


def ingest_keyed(pipeline: Pipeline, items: Sequence[tuple[ParsedArticle, str]]) -> IngestReport:
    """Ingest each article under the key given with it: a later revision of a page has the page's URL, which
    the pipeline's own key alone would find already stored."""
    keys = {id(article): key for article, key in items}

    def key_of(article: ParsedArticle, digest: str) -> str:
        return keys.get(id(article)) or article_key(article, digest)

    return pipeline.ingest_items([article for article, _ in items], key_of=key_of)


@dataclass
class Planned:
    """An article to ingest (or, with ``adopt``, one stored already) as a revision of its URL."""

    article: ParsedArticle
    key: str
    digest: str
    revision: int  # 0: no URL, not tracked
    fetched_at: str
    warc: tuple[str, str] | None
    adopt: int | None = None  # id of an article stored before, taken as revision 1


def plan(conn: sqlite3.Connection, found: Sequence[tuple[ParsedArticle, str, tuple[str, str] | None]]) -> list[Planned]:
    """Decide for each (article, fetched at, WARC record) whether it is new, a new revision, or unchanged.

    Returns the articles to ingest (and earlier articles to adopt as revision 1), in order.
    """
    planned: list[Planned] = []
    latest: dict[str, tuple[int, str]] = {}  # url -> (revision, text hash), this batch included
    for article, fetched_at, warc in found:
        digest = text_hash(article.text)
        plain = article_key(article, digest)
        url = article.url
        if not url:
            planned.append(Planned(article, plain, digest, 0, fetched_at, warc))
            continue
        if url not in latest:
            stored = db.latest_revision(conn, url)
            if stored is not None:
                latest[url] = (stored.revision, stored.text_hash)
            elif (earlier := db.articles_by_key(conn, [plain]).get(plain)) is not None:
                latest[url] = (1, earlier[1])
                planned.append(Planned(article, plain, earlier[1], 1, fetched_at, None, adopt=earlier[0]))
        if url not in latest:
            planned.append(Planned(article, plain, digest, 1, fetched_at, warc))
            latest[url] = (1, digest)
        elif latest[url][1] != digest:
            number = latest[url][0] + 1
            planned.append(Planned(article, revision_key(url, number), digest, number, fetched_at, warc))
            latest[url] = (number, digest)
    return planned


def record(conn: sqlite3.Connection, planned: Sequence[Planned]) -> int:
    """Store the revisions of ingested (and adopted) articles; inside the caller's transaction.

    Returns how many revisions after the first were stored.
    """
    ids = db.articles_by_key(conn, [p.key for p in planned if p.adopt is None])
    later = 0
    for p in planned:
        article_id = p.adopt if p.adopt is not None else ids.get(p.key, (None, ""))[0]
        url = p.article.url
        if article_id is None or not url or p.revision == 0:
            continue
        previous = db.latest_revision(conn, url)
        if previous is not None and previous.revision >= p.revision:
            continue  # recorded already (another watcher, or a retried batch)
        revision = db.Revision(url, p.revision, p.digest, article_id)
        db.add_revision(
            conn, revision, previous_id=previous.article_id if previous else None, fetched_at=p.fetched_at, warc=p.warc
        )
        later += p.revision > 1
    return later


def ingest_tracking_revisions(
    pipeline: Pipeline, items: Iterable[ParsedArticle | IngestFailure], *, progress: Progress = no_progress
) -> IngestReport:
    """Ingest ``items`` as :meth:`Pipeline.ingest_items` does, except that pages captured from a web archive
    (with ``fetched_at``) are ingested afterwards, in capture order, as revisions of their URLs."""
    captures: list[ParsedArticle] = []

    def others() -> Iterator[ParsedArticle | IngestFailure]:
        for item in items:
            if isinstance(item, ParsedArticle) and item.fetched_at and item.url:
                captures.append(item)
            else:
                yield item

    report = pipeline.ingest_items(others(), progress=progress)
    captures.sort(key=lambda article: article.fetched_at or "")
    size = pipeline.settings.ingest_chunk
    for start in range(0, len(captures), size):
        _ingest_captures(pipeline, captures[start : start + size], report)
    return report


def _ingest_captures(pipeline: Pipeline, captures: list[ParsedArticle], report: IngestReport) -> None:
    conn = pipeline.store.conn
    fresh = [a for a in captures if not db.has_capture(conn, a.url or "", text_hash(a.text), a.fetched_at or "")]
    planned = plan(conn, [(article, article.fetched_at or "", None) for article in fresh])
    keyed = [(p.article, p.key) for p in planned if p.adopt is None]
    if keyed:
        report.add(ingest_keyed(pipeline, keyed))  # reads and counts these
    # the rest: recorded already, unchanged since the last capture, or stored before and adopted as revision 1
    report.read += len(captures) - len(keyed)
    report.already_stored += len(captures) - len(keyed)  # unchanged recaptures and pages adopted as revision 1
    with pipeline.store.transaction() as writing:
        report.revisions += record(writing, planned)
