"""crosscheck's own CSV of ratings and ownership, written by hand (docs/ratings.md describes it).

Columns (a header row, any order; only ``domain`` is required): ``domain`` (a domain, a host, or an address
with a path for one section), ``name``, ``aliases`` (other names, ``;``-separated), ``rater`` (default
``user``), ``bias`` (left, lean left, center, lean right, right, or −2 … 2), ``factuality`` (very low, low,
mixed, mostly factual, high, very high, or 1 … 6), ``credibility`` (low, medium, high), ``owner``,
``owner_kind``, ``parent`` (the owner's parent company), ``country``, ``section`` (``opinion`` for an opinion
section), ``date`` (YYYY, YYYY-MM or YYYY-MM-DD), ``source`` (where the information comes from) and ``notes``.
"""

from __future__ import annotations

import re

from crosscheck.errors import InputError
from crosscheck.sources.importers.base import ParsedFile, RawEntry, csv_rows, parse_rows
from crosscheck.sources.scales import SCALES, TEXT_SCALE, ScaleError

FORMAT = "crosscheck"
DEFAULT_RATER = "user"
COLUMNS = ("domain", "name", "aliases", "rater", "bias", "factuality", "credibility", "owner", "owner_kind",
           "parent", "country", "section", "date", "source", "notes")  # fmt: skip
_SCALED = {"bias": "crosscheck-bias", "factuality": "crosscheck-factuality", "credibility": "crosscheck-credibility"}
_TEXT = ("owner", "owner_kind", "parent", "country")
_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
_RATER = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")


def _values(row: dict[str, str]) -> dict[str, tuple[str, str]]:
    values: dict[str, tuple[str, str]] = {}
    for column, scale in _SCALED.items():
        if row.get(column):
            SCALES[scale].common(row[column])  # raises ScaleError on a value the scale does not know
            values[column] = (row[column], scale)
    for column in _TEXT:
        if row.get(column):
            values[column] = (row[column], TEXT_SCALE)
    return values


def _entry(row: dict[str, str]) -> RawEntry | str:
    locator = row.get("domain", "")
    if not locator:
        return "no domain"
    rater = (row.get("rater") or DEFAULT_RATER).lower()
    if not _RATER.fullmatch(rater):
        return f"rater {rater!r} is not a short name (letters, digits, '.', '_', '-')"
    date = row.get("date") or None
    if date and not _DATE.fullmatch(date):
        return f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    try:
        values = _values(row)
    except ScaleError as exc:
        return str(exc)
    if not values:
        return "no rating, owner or country in the row"
    section = row.get("section", "").lower()
    detail = {k: row[k] for k in ("source", "notes") if row.get(k)}
    return RawEntry(
        key=f"{rater}|{locator.lower()}|{section}",
        rater=rater,
        name=row.get("name") or None,
        locator=locator,
        values=values,
        aliases=tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip()),
        rated_on=date,
        opinion=section == "opinion",
        detail=detail,
    )


def parse(text: str) -> ParsedFile:
    """Read a crosscheck ratings CSV."""
    header, rows = csv_rows(text)
    if "domain" not in header:
        raise InputError(f"a crosscheck ratings CSV needs a 'domain' column; its columns are {', '.join(COLUMNS)}")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise InputError(f"unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}")
    return parse_rows(FORMAT, rows, _entry)
