"""Revisions of article pages, news-please style: a page whose text changed is stored again as a new article.

Each article URL (canonical) has numbered revisions in ``page_revisions``: revision 1 is the first text stored,
and each later fetch whose normalised text hash differs from the newest revision's is ingested as a new article
(revision n + 1) linked to the one before (``previous_id``). Unchanged texts add nothing. An article stored
before `watch` saw it (by ``crosscheck ingest URL``, say) becomes revision 1 as it is.

A revision goes through the whole pipeline like any article, so it is usually a near duplicate of the revision
before: it joins that story and does not count as another independent report.

Reading a web archive (``crosscheck ingest``, that is :meth:`crosscheck.pipeline.Pipeline.ingest`) keeps
revisions the same way (:meth:`~crosscheck.pipeline.Pipeline.ingest_tracking_revisions`): pages read back from an
archive carry their capture time, and later captures of a URL with other text become its later revisions, in
capture order. A capture recorded already (same URL, text and capture time) adds nothing, so
reading an archive twice is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crosscheck.dedup import text_hash
from crosscheck.ingest.keys import article_key, revision_key
from crosscheck.models import IngestReport, ParsedArticle
from crosscheck.storage import feeds as db
from crosscheck.storage.connection import Connection
from crosscheck.storage.store import Store

IngestKeyed = Callable[[Sequence[tuple[ParsedArticle, str]]], IngestReport]
"""Ingests each article under the key given with it (:meth:`crosscheck.pipeline.Pipeline.ingest_keyed`)."""


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


def plan(conn: Connection, found: Sequence[tuple[ParsedArticle, str, tuple[str, str] | None]]) -> list[Planned]:
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


def record(conn: Connection, planned: Sequence[Planned]) -> int:
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


def ingest_captures(
    store: Store, captures: Sequence[ParsedArticle], ingest_keyed: IngestKeyed, report: IngestReport, *, chunk: int
) -> None:
    """Ingest pages captured from a web archive (each with ``fetched_at``), in capture order and ``chunk`` at a
    time, as revisions of their URLs; counted in ``report``."""
    ordered = sorted(captures, key=lambda article: article.fetched_at or "")
    for start in range(0, len(ordered), chunk):
        _ingest_capture_batch(store, ordered[start : start + chunk], ingest_keyed, report)


def _ingest_capture_batch(
    store: Store, captures: Sequence[ParsedArticle], ingest_keyed: IngestKeyed, report: IngestReport
) -> None:
    conn = store.conn
    fresh = [a for a in captures if not db.has_capture(conn, a.url or "", text_hash(a.text), a.fetched_at or "")]
    planned = plan(conn, [(article, article.fetched_at or "", None) for article in fresh])
    keyed = [(p.article, p.key) for p in planned if p.adopt is None]
    if keyed:
        report.add(ingest_keyed(keyed))  # reads and counts these
    # the rest: recorded already, unchanged since the last capture, or stored before and adopted as revision 1
    report.read += len(captures) - len(keyed)
    report.already_stored += len(captures) - len(keyed)  # unchanged recaptures and pages adopted as revision 1
    with store.transaction() as writing:
        report.revisions += record(writing, planned)
