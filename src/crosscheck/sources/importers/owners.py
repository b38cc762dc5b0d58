"""Who owns an outlet, as CSV: ``domain, outlet, owner, parent, owner_type, country, as_of, source_url,
confidence, note`` (the layout of the shared research data's ``owners-2025.csv``).

``owner_type`` is one of :data:`OWNER_TYPES`. Each row keeps where its statement comes from (``source_url``), how
sure its compiler was (``confidence``) and recent or pending changes (``note``), so that pages can show them.
"""

from __future__ import annotations

import re

from crosscheck.errors import InputError
from crosscheck.sources.importers.base import ParsedFile, RawEntry, csv_rows, parse_rows
from crosscheck.sources.scales import TEXT_SCALE

FORMAT = "owners"
RATER = "owners"
REQUIRED = frozenset({"domain", "outlet", "owner", "owner_type"})
OWNER_TYPES = ("public_company", "private_company", "billionaire_or_family", "private_equity_or_fund",
               "nonprofit_or_trust", "public_broadcaster", "state_controlled", "cooperative", "employee_owned",
               "independent")  # fmt: skip
_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
_DETAIL = {"source_url": "source", "confidence": "confidence", "note": "notes"}


def _entry(row: dict[str, str]) -> RawEntry | str:
    domain, owner, kind = row.get("domain", ""), row.get("owner", ""), row.get("owner_type", "").lower()
    if not domain or not owner:
        return f"{domain or row.get('outlet') or 'row'}: no domain or no owner"
    if kind and kind not in OWNER_TYPES:
        return f"{domain}: owner_type {kind!r} is not one of {', '.join(OWNER_TYPES)}"
    values = {"owner": (owner, TEXT_SCALE)}
    for column, dimension in (("owner_type", "owner_kind"), ("parent", "parent"), ("country", "country")):
        if row.get(column):
            values[dimension] = (kind if column == "owner_type" else row[column], TEXT_SCALE)
    as_of = row.get("as_of") or None
    return RawEntry(
        key=domain.lower(),
        rater=RATER,
        name=row.get("outlet") or None,
        locator=domain,
        values=values,
        rated_on=as_of if as_of and _DATE.fullmatch(as_of) else None,
        detail={label: row[column] for column, label in _DETAIL.items() if row.get(column)},
    )


def parse(text: str) -> ParsedFile:
    """Read an owners CSV."""
    header, rows = csv_rows(text)
    if not set(header) >= REQUIRED:
        raise InputError(f"not an owners CSV: expected columns {', '.join(sorted(REQUIRED))}")
    return parse_rows(FORMAT, rows, _entry)
