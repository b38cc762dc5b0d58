"""The raw responses `watch` reads, archived as WARC files (warcio), so that extraction can be re-run later.

Each 200 answer becomes a ``response`` record (status line, headers and body exactly as received, a gzip-encoded
body included) followed by the ``request`` record that asked for it. Files are gzip-compressed record by record
(``.warc.gz``, the usual form), flushed after each record, and rotated past ``feed_warc_bytes``; a stop closes
the current file between records. ``crosscheck ingest FILE.warc.gz`` reads them back (:mod:`crosscheck.ingest.warc`).
"""

from __future__ import annotations

import io
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from crosscheck.feeds.conditional import Response

# Headers that describe the transfer rather than the body kept: the body is stored de-chunked, with its length.
_TRANSFER_HEADERS = {"transfer-encoding", "content-length"}


class WarcArchive:
    """Appends responses to rotating WARC files in ``folder``; safe to share between fetch threads."""

    def __init__(self, folder: Path, max_bytes: int, software: str) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.software = software
        self._lock = threading.Lock()
        self._handle: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self._files = 0

    def write(self, response: Response) -> tuple[str, str]:
        """Archive one answer; returns (file name, WARC-Record-ID of its response record)."""
        with self._lock:
            writer = self._current()
            record = writer.create_warc_record(
                response.url,
                "response",
                payload=io.BytesIO(response.body),
                length=len(response.body),  # a known length: warcio then needs no temporary file
                http_headers=_status(response),
            )
            record_id = str(record.rec_headers.get_header("WARC-Record-ID"))
            request = writer.create_warc_record(
                response.url, "request", payload=io.BytesIO(b""), length=0, http_headers=_request(response)
            )
            request.rec_headers.add_header("WARC-Concurrent-To", record_id)
            writer.write_record(record)
            writer.write_record(request)
            assert self._handle is not None
            self._handle.flush()
            name = self._name
            if self._handle.tell() >= self.max_bytes:
                self._close_file()
        return name, record_id

    def close(self) -> None:
        """Close the current file (a later write opens a new one)."""
        with self._lock:
            self._close_file()

    def _current(self) -> WARCWriter:
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._files += 1
            moment = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            self._name = f"crosscheck-{moment}-{os.getpid()}-{self._files:05d}.warc.gz"
            self._handle = (self.folder / self._name).open("xb")
            self._writer = WARCWriter(self._handle, gzip=True)
            info = {"software": self.software, "format": "WARC File Format 1.0"}
            self._writer.write_record(self._writer.create_warcinfo_record(self._name, info))
        return self._writer

    def _close_file(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self._handle = None
        self._writer = None


def _status(response: Response) -> StatusAndHeaders:
    headers = [(key, value) for key, value in response.headers if key.lower() not in _TRANSFER_HEADERS]
    headers.append(("Content-Length", str(len(response.body))))
    protocol = response.http_version if response.http_version.startswith("HTTP/") else "HTTP/1.1"
    return StatusAndHeaders(f"{response.status} {response.reason}".strip(), headers, protocol=protocol)


def _request(response: Response) -> StatusAndHeaders:
    parts = urlsplit(response.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return StatusAndHeaders(f"GET {target} HTTP/1.1", list(response.request_headers), is_http_request=True)
