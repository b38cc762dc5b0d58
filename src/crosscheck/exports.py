"""Exports of articles, stories and claims (figures) as JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from crosscheck.storage import Reader

EXPORT_KINDS = ("articles", "stories", "claims")
EXPORT_FORMATS = ("jsonl", "csv")


def export_rows(reader: Reader, kind: str) -> Iterator[dict[str, Any]]:
    """The rows of one export kind."""
    if kind == "articles":
        return reader.article_export_rows()
    if kind == "stories":
        return reader.story_export_rows()
    if kind == "claims":
        from crosscheck.storage.claims import ClaimReader

        return ClaimReader(reader.conn).export_rows()
    raise ValueError(f"unknown export {kind!r}; choose from {', '.join(EXPORT_KINDS)}")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # every control character but tab and line breaks


def csv_cell(value: Any) -> Any:
    """A value safe to open in a spreadsheet: control characters are dropped, and text that would start a formula
    is prefixed with ``'``. Lists and objects go into one cell as JSON, so the CSV stays one row per record."""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        value = _CONTROL.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def write_rows(rows: Iterable[dict[str, Any]], out: TextIO, fmt: str) -> int:
    """Write rows as ``jsonl`` or ``csv``; returns how many were written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    count = 0
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        if fmt == "jsonl":
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
        count += 1
    return count
