"""From a stream of bytes to articles: gzip, binary check, format detection, decoding, the format's parser,
then the common cleanup and limits. Files, fetched URLs, the pages `watch` fetches and the responses archived
in a WARC file all come through here."""

from __future__ import annotations

import codecs
import dataclasses
from collections.abc import Iterable, Iterator
from itertools import chain
from urllib.parse import unquote, urlsplit

from crosscheck.errors import InputError
from crosscheck.ingest.canonical import with_canonical_url
from crosscheck.ingest.cleanup import cut_raw, finish
from crosscheck.ingest.decode import (
    BINARY_REASON,
    bom_encoding,
    decode_bytes,
    decode_head,
    json_lines_with_nul,
    looks_binary,
)
from crosscheck.ingest.detect import Format, sniff_format
from crosscheck.ingest.feeds import parse_feed, refuse_entities
from crosscheck.ingest.jsonl import parse_jsonl
from crosscheck.ingest.origin import Item, Origin
from crosscheck.ingest.stream import GZIP_MAGIC, LongLine, gunzip_chunks, iter_lines, read_document, take_head
from crosscheck.ingest.text import parse_plain_text
from crosscheck.ingest.warc import WARC_MAGIC, read_warc
from crosscheck.ingest.worker import extract_html_limited
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings


def strip_gz(name: str) -> str:
    """``name`` without a trailing ``.gz``."""
    return name[:-3] if name.lower().endswith(".gz") else name


def parse_input(chunks: Iterable[bytes], origin: Origin, settings: Settings) -> Iterator[Item]:
    """Yield the articles (or per-item failures) of one input.

    Raises InputError when the input as a whole cannot be read; the caller reports it as one failure. Items
    already yielded stay valid when a later part of a stream fails (a JSONL file cut short by a cap).
    """
    head, rest = take_head(chunks)
    if not head:
        raise InputError("empty")
    gzipped = head.startswith(GZIP_MAGIC)
    if gzipped:
        head, rest = take_head(gunzip_chunks(chain([head], rest), settings.max_decompressed_bytes))
        origin = _inner_origin(origin)
        if not head:
            raise InputError("empty (after gzip decompression)")
        if head.startswith(GZIP_MAGIC):
            raise InputError("gzip inside gzip is not supported")
    if head.startswith(WARC_MAGIC):  # a WARC archive (`crosscheck watch` writes them): each record as a response
        yield from read_warc(chain([head], rest), origin, settings, read_response=response_items)
        return
    if looks_binary(head) and not json_lines_with_nul(head):
        raise InputError(BINARY_REASON)
    kind = sniff_format(decode_head(head), origin.name, origin.content_type)
    if kind == "jsonl":
        lines = _jsonl_lines(head, rest, settings.max_document_bytes)
        items: Iterable[Item] = parse_jsonl(lines, name=origin.external_id, location=origin.location)
    else:
        # Only JSON Lines streams: every other format is one document, read whole up to max_document_bytes.
        document = read_document(chain([head], rest), settings.max_document_bytes, decompressed=gzipped)
        text = decode_bytes(document, declared=origin.charset)
        del head, document  # the text is all that is needed from here on
        if not text.strip():
            raise InputError("empty")
        items = _parse_document(kind, text, origin, settings)
    for item in items:
        yield item if isinstance(item, IngestFailure) else _finished(item, settings)


def response_items(
    body: bytes, *, url: str, content_type: str, charset: str | None, location: str, settings: Settings
) -> Iterator[Item]:
    """The articles (or failures) in one response body fetched from ``url``, with canonical URLs; raises
    InputError for a body that cannot be read as a whole.

    `watch` reads what it fetches through this, and so does the WARC reader for each archived response: re-reading
    an archive gives the articles `watch` stored.
    """
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


def _inner_origin(origin: Origin) -> Origin:
    """After decompression a gzip content type (and its charset) no longer describes the data."""
    outer = "gzip" in origin.content_type.lower()
    return dataclasses.replace(
        origin,
        name=strip_gz(origin.name),
        content_type="" if outer else origin.content_type,
        charset=None if outer else origin.charset,
    )


def _jsonl_lines(head: bytes, rest: Iterator[bytes], cap: int) -> Iterator[bytes | LongLine]:
    chunks: Iterable[bytes] = chain([head], rest)
    wide = bom_encoding(head)
    if wide in {"utf-16", "utf-32"}:
        # Lines cannot be split on a byte in UTF-16/32: decode as a stream and split its UTF-8 form instead.
        chunks = (text.encode("utf-8") for text in codecs.iterdecode(chunks, wide, errors="replace"))
    return iter_lines(chunks, cap)


def _parse_document(kind: Format, text: str, origin: Origin, settings: Settings) -> Iterator[ParsedArticle]:
    if kind == "feed":
        yield from parse_feed(text, name=origin.external_id, location=origin.location, url=origin.url)
    elif kind == "html":
        refuse_entities(text[:65536])  # XHTML is XML: the same prolog rule as feeds
        timeout = settings.extraction_timeout
        article = extract_html_limited(text, url=origin.url, location=origin.location, timeout=timeout)
        yield dataclasses.replace(article, external_id=origin.external_id)
    else:
        raw, cut = cut_raw(text, settings)  # a huge text is cut before its title and paragraphs are worked out
        article = parse_plain_text(raw, external_id=origin.external_id, location=origin.location, url=origin.url)
        yield dataclasses.replace(article, truncated=cut)


def _finished(article: ParsedArticle, settings: Settings) -> Item:
    try:
        return finish(article, settings)
    except InputError as exc:
        return IngestFailure(article.location, str(exc))
