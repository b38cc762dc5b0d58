"""What every importer produces, and the file reading they share.

An importer turns one rater file into :class:`RawEntry` objects: the rater's own identity of an outlet (its name,
its address, or both) and the values it gives, each with the rater's scale. Rows that cannot be used are
skipped with a reason and a line number, never silently.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crosscheck.errors import InputError
from crosscheck.ingest.decode import decode_bytes

MAX_FIELD_CHARS = 500  # a rater's cell longer than this is cut: names, owners and URLs are short


@dataclass
class RawEntry:
    """One outlet (or section) as a rater file gives it."""

    key: str  # identity within the file: re-importing updates the entry with the same key
    rater: str
    name: str | None
    locator: str | None  # URL, host or host/path; None when the rater gives only a name
    values: dict[str, tuple[str, str]]  # dimension -> (value as given, scale id)
    aliases: tuple[str, ...] = ()
    slug: str | None = None  # a name taken from the rater's page address (MBFC), a weaker alias
    rated_on: str | None = None  # when the entry has its own date (else the file's)
    opinion: bool = False  # the rater says this entry is an opinion section
    detail: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedFile:
    """A rater file read: its format, its entries, and the rows skipped with why."""

    format: str
    entries: list[RawEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def parse_rows(
    format: str, rows: list[tuple[int, dict[str, str]]], read: Callable[[dict[str, str]], RawEntry | str]
) -> ParsedFile:
    """Read each (line, row) with ``read``, which returns an entry or the reason the row is skipped."""
    parsed = ParsedFile(format)
    for line, row in rows:
        result = read(row)
        if isinstance(result, str):
            parsed.skipped.append(f"line {line}: {result}")
        else:
            parsed.entries.append(result)
    return parsed


def read_text(path: Path, max_bytes: int) -> str:
    """A rater file's text (UTF-8, or its detected encoding), refusing files larger than ``max_bytes``."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path} is {size:,} bytes; the limit is {max_bytes:,} (max_input_bytes)")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_bytes(data)


def cell(value: object) -> str:
    """A cleaned cell: one line, trimmed, at most :data:`MAX_FIELD_CHARS` characters; "NA" and "NULL" are empty."""
    text = " ".join(str(value if value is not None else "").split())[:MAX_FIELD_CHARS]
    return "" if text.upper() in {"NA", "NONE", "NULL"} else text


def csv_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower case) and the rows of a CSV or TSV text, each row with its line number."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError("the file is empty") from None
    rows = []
    for row in reader:
        if any(c.strip() for c in row):
            rows.append((reader.line_num, {h: cell(v) for h, v in zip(header, row, strict=False)}))
    return header, rows
