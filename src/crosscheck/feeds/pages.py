"""A fetched page as `watch` reads it: its one article, and a fingerprint of a feed entry.

The bytes go through the same reader as ``crosscheck ingest`` (:func:`crosscheck.ingest.dispatch.response_items`:
gzip, decoding, format detection, the feed parser or HTML extraction in its time-limited worker, the common
cleanup and limits, then canonical URLs). The WARC reader reads archived responses through it too, so
re-reading an archive gives the articles `watch` stored.
"""

from __future__ import annotations

import hashlib

from crosscheck.errors import InputError
from crosscheck.ingest.dispatch import response_items
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings


def page_article(body: bytes, *, url: str, content_type: str, charset: str | None, settings: Settings) -> ParsedArticle:
    """The one article of a fetched page; raises InputError when the page gives none."""
    for item in response_items(
        body, url=url, content_type=content_type, charset=charset, location=url, settings=settings
    ):
        if isinstance(item, IngestFailure):
            raise InputError(item.reason)
        if item.format == "feed":
            raise InputError("the entry's link leads to a feed, not an article page")
        return item
    raise InputError("no article in the page")


def entry_hash(article: ParsedArticle) -> str:
    """A fingerprint of a feed entry as the feed shows it: when it changes, the article was probably edited."""
    basis = "\0".join((article.title, article.text, article.published or ""))
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:32]
