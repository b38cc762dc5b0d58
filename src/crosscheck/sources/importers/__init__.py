"""Importers of rater files, and detection of which one a file needs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from crosscheck.errors import InputError
from crosscheck.sources.importers import allsides, baly, csvformat, localnews, mbfc, owners
from crosscheck.sources.importers.base import ParsedFile, RawEntry, read_text

PARSERS: dict[str, Callable[[str], ParsedFile]] = {
    mbfc.FORMAT: mbfc.parse,
    allsides.FORMAT: allsides.parse,
    baly.FORMAT: baly.parse,
    localnews.FORMAT: localnews.parse,
    owners.FORMAT: owners.parse,
    csvformat.FORMAT: csvformat.parse,
}
FORMATS = tuple(PARSERS)
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:-(0[1-9]|1[0-2]))?(?!\d)")


def detect_format(text: str) -> str:
    """The format of a rater file, told by its content (JSON keys or CSV header), never by its name."""
    body = text.lstrip("\ufeff \t\r\n")
    if body.startswith(("[", "{")):
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise InputError(f"looks like JSON but is not valid: {exc.msg}") from exc
        first = data[0] if isinstance(data, list) and data else None
        if isinstance(first, dict) and {"URL", "Objective Reporting"} <= set(first):
            return mbfc.FORMAT
        raise InputError("unknown JSON layout: expected MBFC's list of {URL, Objective Reporting, …}")
    first_line = body.split("\n", 1)[0].lower()
    columns = {c.strip() for c in re.split(r"[\t,]", first_line)}
    if {"source_url", "fact", "bias"} <= columns:
        return baly.FORMAT
    if {"news_source", "rating"} <= columns or {"url", "type", "name", "bias"} <= columns:
        return allsides.FORMAT
    if {"owner", "medium"} <= columns and {"website", "domain"} & columns:
        return localnews.FORMAT
    if columns >= owners.REQUIRED:
        return owners.FORMAT
    if "domain" in columns:
        return csvformat.FORMAT
    raise InputError(f"cannot tell the format from the header {first_line[:120]!r}; give --format")


def date_in_name(path: Path) -> str | None:
    """A year or year-month in the file's or its folder's name ("mbfc-2025-12.json" → "2025-12"), else None."""
    for name in (path.stem, path.parent.name):
        match = _YEAR_MONTH.search(name)
        if match:
            return match.group(0)
    return None


def parse_file(path: Path, *, fmt: str | None, max_bytes: int) -> ParsedFile:
    """Read a rater file with the importer of ``fmt`` (detected when None)."""
    text = read_text(path, max_bytes)
    chosen = fmt or detect_format(text)
    if chosen not in PARSERS:
        raise InputError(f"unknown format {chosen!r}; choose from {', '.join(FORMATS)}")
    return PARSERS[chosen](text)


__all__ = ["FORMATS", "ParsedFile", "RawEntry", "date_in_name", "detect_format", "parse_file"]
