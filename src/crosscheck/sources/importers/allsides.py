"""AllSides ratings as CSV, in either layout.

* 2019 layout, by name: ``news_source, rating (left, left-center, center, right-center, right, allsides),
  rating_num, type, agree, disagree, perc_agree, url (the AllSides page), …, confidence_level, …``.
* Newer layout, with the outlet's address: ``url, type, name, bias (Left, Lean Left, Center, Lean Right, Right,
  Mixed, Not Rated)``.

Authors are people, not outlets: their rows are skipped (and counted).
"""

from __future__ import annotations

from crosscheck.errors import InputError
from crosscheck.sources.importers.base import ParsedFile, RawEntry, csv_rows, parse_rows

FORMAT = "allsides"
SCALE = "allsides-5"
_DETAIL_2019 = ("type", "agree", "disagree", "confidence_level", "url")


def _row_2019(row: dict[str, str]) -> RawEntry | str:
    name, rating = row.get("news_source", ""), row.get("rating", "")
    if row.get("type", "").lower() == "author":
        return f"{name or 'row'}: an author, not an outlet"
    if not name or not rating:
        return "no name or no rating"
    detail = {("allsides page" if k == "url" else k): row[k] for k in _DETAIL_2019 if row.get(k)}
    return RawEntry(key=row.get("url") or name, rater="allsides", name=name, locator=None,
                    values={"bias": (rating, SCALE)}, detail=detail)  # fmt: skip


def _row_recent(row: dict[str, str]) -> RawEntry | str:
    name, bias, url = row.get("name", ""), row.get("bias", ""), row.get("url", "")
    if row.get("type", "").lower() == "author":
        return f"{name or 'row'}: an author, not an outlet"
    if not name or not bias:
        return "no name or no bias"
    detail = {"type": row["type"]} if row.get("type") else {}
    return RawEntry(key=name, rater="allsides", name=name, locator=url or None, values={"bias": (bias, SCALE)},
                    detail=detail)  # fmt: skip


def parse(text: str) -> ParsedFile:
    """Read either AllSides layout (chosen by the header)."""
    header, rows = csv_rows(text)
    if {"news_source", "rating"} <= set(header):
        read = _row_2019
    elif {"name", "bias"} <= set(header):
        read = _row_recent
    else:
        raise InputError("not an AllSides CSV: expected columns news_source,rating or url,type,name,bias")
    return parse_rows(FORMAT, rows, read)
