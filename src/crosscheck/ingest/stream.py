"""Chunked reading with size caps, streaming gzip decompression and line splitting.

Everything is read in bounded chunks so that a huge file, a slow response or a gzip bomb is refused once it
passes its cap, never after it has filled memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO

from crosscheck.errors import InputError

CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def file_chunks(handle: BinaryIO, cap: int) -> Iterator[bytes]:
    """Read a binary file in chunks, refusing it once more than ``cap`` bytes have come (it may have grown)."""
    total = 0
    while chunk := handle.read(CHUNK_SIZE):
        total += len(chunk)
        if total > cap:
            raise InputError(f"larger than max_input_bytes ({cap} bytes)")
        yield chunk


def gunzip_chunks(chunks: Iterable[bytes], cap: int) -> Iterator[bytes]:
    """Decompress gzip data chunk by chunk; refuse it as soon as the output passes ``cap`` bytes.

    Each decompression step is bounded (``max_length``), so even a highly compressed bomb never inflates more
    than one chunk at a time. Concatenated gzip members are read in turn; zero padding after the last is ignored.
    """
    inflater = zlib.decompressobj(wbits=31)
    total = 0
    for compressed in chunks:
        pending = compressed
        while pending:
            if inflater.eof:
                if not pending.strip(b"\x00"):
                    break
                inflater = zlib.decompressobj(wbits=31)  # another gzip member follows
            try:
                out = inflater.decompress(pending, CHUNK_SIZE)
            except zlib.error as exc:
                raise InputError(f"corrupt gzip data: {exc}") from exc
            total += len(out)
            if total > cap:
                raise InputError(f"decompresses to more than max_decompressed_bytes ({cap} bytes); refused")
            if out:
                yield out
            pending = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
    if not inflater.eof:
        out = inflater.flush()
        if total + len(out) > cap:
            raise InputError(f"decompresses to more than max_decompressed_bytes ({cap} bytes); refused")
        if out:
            yield out  # what inflated before the cut still counts
        if not inflater.eof:
            raise InputError("truncated gzip data")


def take_head(chunks: Iterable[bytes], size: int = HEAD_SIZE) -> tuple[bytes, Iterator[bytes]]:
    """Split off the first ``size`` bytes (or fewer at the end) and return them with the remaining chunks.

    When the stream fails within the head (a short gzip file cut off), the head is what came before the failure
    and the remaining chunks raise it: the records in the head are read before the input is reported damaged.
    """
    iterator = iter(chunks)
    parts: list[bytes] = []
    have = 0
    try:
        for chunk in iterator:
            parts.append(chunk)
            have += len(chunk)
            if have >= size:
                break
    except InputError as exc:
        return b"".join(parts), _raising(exc)
    joined = b"".join(parts)
    head, extra = joined[:size], joined[size:]
    rest: Iterator[bytes] = chain([extra], iterator) if extra else iterator
    return head, rest


def _raising(error: InputError) -> Iterator[bytes]:
    raise error
    yield b""  # a generator: the error is raised when the chunks after the head are read


@dataclass(frozen=True)
class LongLine:
    """Stands for a line longer than the cap, which was skipped without being held in memory."""

    size: int  # bytes in the line (without its newline)
    cap: int


def read_document(chunks: Iterable[bytes], cap: int, *, decompressed: bool = False) -> bytes:
    """Join the chunks of one document, refusing it once it passes ``cap`` bytes (read no further)."""
    parts: list[bytes] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > cap:
            after = " once decompressed" if decompressed else ""
            raise InputError(f"document larger than max_document_bytes ({cap} bytes){after}; refused")
        parts.append(chunk)
    return b"".join(parts)


def iter_lines(chunks: Iterable[bytes], max_line: int | None = None) -> Iterator[bytes | LongLine]:
    """Split a chunk stream on ``\\n`` without holding more than the current line (a trailing ``\\r`` is kept).

    A line longer than ``max_line`` bytes is dropped as it streams past and stands as a :class:`LongLine`.
    """
    cap = max_line if max_line is not None else float("inf")
    pending: list[bytes] = []
    size = 0  # bytes of the current line so far
    for chunk in chunks:
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            size += end - start
            if size > cap:
                yield LongLine(size, int(cap))
            else:
                pending.append(chunk[start:end])
                yield b"".join(pending)
            pending, size, start = [], 0, end + 1
        size += len(chunk) - start
        if size > cap:
            pending = []  # too long already: count the rest of the line, keep none of it
        elif start < len(chunk):
            pending.append(chunk[start:])
    if size > cap:
        yield LongLine(size, int(cap))
    elif pending:
        yield b"".join(pending)
