"""From a fetched (or archived) response to articles with canonical URLs.

The bytes go through the same reader as ``crosscheck ingest`` (:func:`crosscheck.ingest.dispatch.parse_input`:
gzip, decoding, format detection, the feed parser or HTML extraction in its time-limited worker, the common
cleanup and limits); only the URLs change: feed entry links are canonicalised, and a page's own canonical link is
kept when it stays on the page's site. `watch` and the WARC reader share this, so re-reading an archive gives
the articles `watch` stored.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from crosscheck.errors import InputError
from crosscheck.feeds.canonical import canonical_url, choose_url
from crosscheck.ingest.dispatch import Item, Origin, parse_input
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings


def response_items(
    body: bytes, *, url: str, content_type: str, charset: str | None, location: str, settings: Settings
) -> Iterator[Item]:
    """The articles (or failures) in one response body fetched from ``url``; raises InputError for a body that
    cannot be read as a whole."""
    origin = Origin(
        location=location,
        name=unquote(urlsplit(url).path.rsplit("/", 1)[-1]),
        external_id=url,
        url=url,
        charset=charset,
        content_type=content_type,
    )
    for item in parse_input([body], origin, settings):
        yield item if isinstance(item, IngestFailure) else with_canonical_url(item, fetched=url)


def with_canonical_url(article: ParsedArticle, *, fetched: str) -> ParsedArticle:
    """The article with its canonical URL: a feed entry's link normalised (it may point to any site: feeds of
    aggregators do), a page's declared canonical link only on the page's own site."""
    url = canonical_url(article.url) if article.format == "feed" else choose_url(article.url, fetched)
    return dataclasses.replace(article, url=url)


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
