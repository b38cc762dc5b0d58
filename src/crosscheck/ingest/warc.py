"""Reading WARC archives (``crosscheck ingest FILE.warc[.gz]``): each archived 200 response is read again.

:func:`crosscheck.ingest.dispatch.parse_input` hands over any input that starts with ``WARC/1.`` once
decompressed. Each ``response`` record with status 200 and an http(s) target goes through the same path as in
`watch` (:func:`crosscheck.ingest.dispatch.response_items`, handed in as ``read_response``), so an archive written
by `watch` gives the same articles with the same canonical URLs. A feed entry without full text is kept only when
the archive holds no page for it (`watch` fetched the page, or stored the entry's summary when it could not). Each
article carries its record's ``WARC-Date`` as ``fetched_at``: a page archived twice with other text becomes two
revisions of its URL, as `watch` recorded them (:mod:`crosscheck.ingest.revisions`).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, Protocol

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

from crosscheck.errors import InputError
from crosscheck.ingest.canonical import canonical_url
from crosscheck.ingest.origin import Item, Origin
from crosscheck.ingest.stream import GZIP_MAGIC
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings

WARC_MAGIC = b"WARC/1."


class ResponseReader(Protocol):
    """Reads the articles (or failures) of one archived response body."""

    def __call__(
        self, body: bytes, *, url: str, content_type: str, charset: str | None, location: str, settings: Settings
    ) -> Iterator[Item]: ...


def read_warc(
    chunks: Iterable[bytes], origin: Origin, settings: Settings, *, read_response: ResponseReader
) -> Iterator[Item]:
    """Yield the articles (and per-record failures) of a decompressed WARC stream; ``read_response`` reads each
    archived response (the caller's own reader: a record goes through the same path as a fetched page).

    Raises InputError when the archive itself is corrupt; the articles yielded before stay valid.
    """
    reader = _ChunkReader(chunks)
    stream = io.BufferedReader(reader, buffer_size=64 * 1024)
    partial: list[ParsedArticle] = []  # feed entries without full text: kept unless a page for them turns up
    pages: set[str] = set()
    number = 0
    for record in _records(stream, reader):
        if record.rec_type != "response" or record.http_headers is None:
            continue
        number += 1
        target = canonical_url(str(record.rec_headers.get_header("WARC-Target-URI") or ""))
        captured = str(record.rec_headers.get_header("WARC-Date") or "") or None
        location = f"{origin.location}#response-{number}"
        items = list(_record_items(record, location, settings, read_response))
        if reader.error is not None and getattr(record.raw_stream, "limit", 0) > 0:
            break  # the stream was cut inside this record: its body is incomplete
        for item in items:
            if isinstance(item, ParsedArticle):
                item.fetched_at = captured
            if isinstance(item, ParsedArticle) and item.format == "feed" and item.partial:
                partial.append(item)
                continue
            if isinstance(item, ParsedArticle) and item.format != "feed":
                pages.update(url for url in (item.url, target) if url)
            yield item
    yield from (entry for entry in partial if entry.url not in pages)
    if reader.error is not None:
        raise reader.error


def _records(stream: BinaryIO, reader: _ChunkReader) -> Iterator[Any]:
    """warcio's records; whatever warcio raises on a malformed archive becomes one InputError (the stream's own
    error when it was cut off: the record it cut is not read)."""
    records = iter(ArchiveIterator(stream))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as exc:  # warcio fails on hostile input with assorted errors (AttributeError included)
            raise reader.error or InputError(f"corrupt WARC archive: {type(exc).__name__}: {exc}") from exc
        yield record


def _record_items(record: Any, location: str, settings: Settings, read_response: ResponseReader) -> Iterator[Item]:
    target = str(record.rec_headers.get_header("WARC-Target-URI") or "")
    status = str(record.http_headers.get_statuscode() or "")
    if status != "200" or canonical_url(target) is None or target.rstrip("/").endswith("/robots.txt"):
        return
    try:
        body = record.content_stream().read(settings.max_document_bytes + 1)
    except Exception as exc:  # a body that does not decode (chunked or gzip framing): this record only
        yield IngestFailure(location, f"unreadable record body: {exc}")
        return
    if len(body) > settings.max_document_bytes:
        yield IngestFailure(location, f"record larger than max_document_bytes ({settings.max_document_bytes} bytes)")
        return
    if _nested_archive(body):
        yield IngestFailure(location, "a WARC archive inside a WARC record is not read")
        return
    content_type = str(record.http_headers.get_header("Content-Type") or "")
    kind, _, params = content_type.partition(";")
    charset = params.partition("charset=")[2].strip().strip("\"'") or None
    try:
        yield from read_response(
            body, url=target, content_type=kind.strip().lower(), charset=charset, location=location, settings=settings
        )
    except InputError as exc:
        yield IngestFailure(location, str(exc))


def _nested_archive(body: bytes) -> bool:
    head = body.lstrip()[:64]
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(body[:4096], 64)
        except zlib.error:
            return False
    return head.startswith(WARC_MAGIC)


class _ChunkReader(io.RawIOBase):
    """A readable binary stream over an iterator of byte chunks (warcio reads file objects)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""
        self.error: InputError | None = None  # the stream failed (cut-off gzip): it ends there, reported after

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
            except InputError as exc:  # end the stream here, so that the records read before the damage count
                self.error = exc
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size
