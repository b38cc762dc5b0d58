"""Media Bias/Fact Check as a JSON list: ``URL`` (domain, sometimes with a path), ``Country``,
``Objective Reporting`` (factual reporting 1–6), ``Accuracy`` (credibility 1–3) and ``Rating URL`` (MBFC's page).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from crosscheck.errors import InputError
from crosscheck.sources.importers.base import ParsedFile, RawEntry, cell
from crosscheck.sources.scales import TEXT_SCALE

FORMAT = "mbfc"
_SLUG_SUFFIXES = ("-bias-and-credibility", "-media-bias", "-bias")
_NO_COUNTRY = {"", "unknown", "n/a"}


def slug_name(rating_url: str) -> str | None:
    """The outlet name MBFC's page address spells: ``…/new-york-times-bias/`` → "new york times"."""
    segments = [s for s in urlsplit(rating_url).path.split("/") if s]
    if not segments:
        return None
    slug = segments[-1].lower()
    for suffix in _SLUG_SUFFIXES:
        if slug.endswith(suffix) and len(slug) > len(suffix):
            slug = slug[: -len(suffix)]
            break
    return slug.replace("-", " ").strip() or None


def _entry(row: dict[str, object]) -> RawEntry | str:
    url = cell(row.get("URL"))
    page = cell(row.get("Rating URL"))
    if not url:
        return "no URL"
    values = {
        "factuality": (cell(row.get("Objective Reporting")), "mbfc-factual-6"),
        "credibility": (cell(row.get("Accuracy")), "mbfc-credibility-3"),
    }
    values = {k: v for k, v in values.items() if v[0]}
    country = cell(row.get("Country"))
    if country.lower() not in _NO_COUNTRY:
        values["country"] = (country, TEXT_SCALE)
    return RawEntry(
        key=page or url,
        rater="mbfc",
        name=None,
        locator=url.lower(),
        values=values,
        slug=slug_name(page) if page else None,
        detail={"rating page": page} if page else {},
    )


def parse(text: str) -> ParsedFile:
    """Read MBFC's JSON list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(data, list):
        raise InputError("expected a JSON list of MBFC entries")
    parsed = ParsedFile(FORMAT)
    for number, row in enumerate(data, 1):
        result = _entry(row) if isinstance(row, dict) else "not an object"
        if isinstance(result, str):
            parsed.skipped.append(f"item {number}: {result}")
        else:
            parsed.entries.append(result)
    return parsed
