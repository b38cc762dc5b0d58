"""Exports of articles, stories and claims (figures) as JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from crosscheck.settings import Settings
from crosscheck.sources.assess import Assessor
from crosscheck.sources.blindspot import blindspots
from crosscheck.sources.coverage import all_coverage, build_coverage
from crosscheck.storage import Reader
from crosscheck.storage.claims import ClaimReader
from crosscheck.story_view import RatedStory

EXPORT_KINDS = ("articles", "stories", "claims")
EXPORT_FORMATS = ("jsonl", "csv")


def export_rows(
    reader: Reader, kind: str, settings: Settings | None = None, *, flat: bool = False
) -> Iterator[dict[str, Any]]:
    """The rows of one export kind (``settings``, read from the environment when not given: the blindspot rule);
    ``flat``: a story's coverage spread over columns of single values, for CSV."""
    if kind == "articles":
        return article_rows(reader)
    if kind == "stories":
        stories = rated_stories(reader, settings or Settings.from_env())
        return (story.flat_row() for story in stories) if flat else (story.export_row() for story in stories)
    if kind == "claims":
        return ClaimReader(reader.conn).export_rows()
    raise ValueError(f"unknown export {kind!r}; choose from {', '.join(EXPORT_KINDS)}")


def article_rows(reader: Reader) -> Iterator[dict[str, Any]]:
    """Every article's fields with its outlet's combined ``bias`` and ``factuality`` (None when unrated) and
    ``owner``."""
    assessor = Assessor(reader.conn)
    for record in reader.iter_articles():
        found = assessor.assess(record.outlet_domain, record.outlet, record.url)
        yield {**record.to_dict(), "bias": found.bias, "factuality": found.factuality, "owner": found.owner}


def rated_stories(reader: Reader, settings: Settings) -> Iterator[RatedStory]:
    """Every story with articles, by id, with its coverage and blindspot (the rule run over every story at once)."""
    assessor = Assessor(reader.conn)
    coverages = all_coverage(reader.conn, assessor)
    _, found = blindspots(coverages, settings)
    by_story = {b.story_id: b for b in found}
    for record in reader.iter_stories():
        coverage = coverages.get(record.id) or build_coverage(record.id, [], assessor.empty)
        yield RatedStory(record, coverage, by_story.get(record.id))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # every control character but tab and line breaks


def _readable(value: Any) -> str:
    """A list or object as one readable cell: items joined by ``; ``, an inner list's items by spaces, an object's
    pairs as ``key: value``."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_readable(v) if isinstance(v, list | dict) else v}" for k, v in value.items())
    return "; ".join(" ".join(map(str, v)) if isinstance(v, list) else "" if v is None else str(v) for v in value)


def csv_cell(value: Any) -> Any:
    """A value safe to open in a spreadsheet: control characters are dropped, and text that would start a formula
    is prefixed with ``'``. A list or object becomes one readable cell (items joined by ``; ``), so the CSV stays
    one row per record."""
    if isinstance(value, list | dict):
        value = _readable(value)
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
