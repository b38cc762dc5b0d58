"""The U.S. local news dataset (Yin 2018) as CSV: ``name, state, website, domain, twitter, youtube, facebook,
owner, medium, source, collection_date``. It gives owners (of TV stations mostly) and places outlets in the USA.
"""

from __future__ import annotations

from crosscheck.errors import InputError
from crosscheck.sources.importers.base import ParsedFile, RawEntry, csv_rows, parse_rows
from crosscheck.sources.scales import TEXT_SCALE

FORMAT = "localnews"


def _entry(row: dict[str, str]) -> RawEntry | str:
    name = row.get("name", "")
    locator = row.get("website") or row.get("domain")
    if not locator:
        return f"{name or 'row'}: no website or domain to match articles by"
    values = {"country": ("USA", TEXT_SCALE)}
    if row.get("owner"):
        values["owner"] = (row["owner"], TEXT_SCALE)
    detail = {k: row[k] for k in ("state", "medium", "source") if row.get(k)}
    return RawEntry(
        key=f"{name}|{row.get('state', '')}|{locator}",
        rater="localnews",
        name=name or None,
        locator=locator,
        values=values,
        rated_on=row.get("collection_date", "")[:10] or None,
        detail=detail,
    )


def parse(text: str) -> ParsedFile:
    """Read the local news CSV."""
    header, rows = csv_rows(text)
    if not {"name", "owner", "medium"} <= set(header) or not {"website", "domain"} & set(header):
        raise InputError("not the local news dataset: expected columns name, website/domain, owner, medium")
    return parse_rows(FORMAT, rows, _entry)
