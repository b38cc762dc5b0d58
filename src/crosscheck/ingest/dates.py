"""Publication dates to ISO 8601, never inventing a missing part.

dateutil fills missing fields from a default date (today, unless told otherwise). We parse twice with two
different defaults: a field that changes between the two runs was not in the input, so the date is incomplete and
we return None rather than guess. A date without a time stays a date; a time keeps its timezone when given.
"""

from __future__ import annotations

import re
import time
import warnings
from datetime import UTC, date, datetime, timedelta

from dateutil import parser as dateparser

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_FIRST_DEFAULT = datetime(1904, 1, 1)
_SECOND_DEFAULT = datetime(1908, 2, 2)
_EARLIEST_YEAR = 1800

# Abbreviations common in English-language feeds; dateutil warns on unknown ones and would drop them.
_TZINFOS = {
    "UTC": 0,
    "UT": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "CET": 3600,
    "CEST": 2 * 3600,
    "EET": 2 * 3600,
    "EEST": 3 * 3600,
}


def normalise_date(value: object) -> str | None:
    """Return ``value`` as ``YYYY-MM-DD`` or an ISO date-time string, or None when it is missing, malformed or
    incomplete (no day, month or year). ``time.struct_time`` and ``datetime``/``date`` values are accepted too."""
    if isinstance(value, datetime):
        return _format(value, with_time=True)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return _format(datetime(*value[:6], tzinfo=UTC), with_time=True)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or not _HAS_YEAR.search(text):
        return None
    if _ISO_DAY.fullmatch(text):
        return _checked_day(text)
    parsed = _parse_iso(text) or _parse_free(text)
    if parsed is None or not _plausible(parsed):
        return None
    return _format(parsed, with_time=bool(_HAS_TIME.search(text)))


def _checked_day(text: str) -> str | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day.isoformat() if _plausible(datetime(day.year, day.month, day.day)) else None


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None


def _parse_free(text: str) -> datetime | None:
    with warnings.catch_warnings():
        # Unknown timezone names: the date itself is still good, the zone is dropped.
        warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
        try:
            first = dateparser.parse(text, default=_FIRST_DEFAULT, tzinfos=_TZINFOS)
            second = dateparser.parse(text, default=_SECOND_DEFAULT, tzinfos=_TZINFOS)
        except (ValueError, OverflowError, TypeError):
            return None
    if not isinstance(first, datetime) or not isinstance(second, datetime):
        return None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None  # a part of the date was missing and would have been invented
    return first


def _plausible(moment: datetime) -> bool:
    latest = datetime.now(UTC) + timedelta(days=2)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return moment.year >= _EARLIEST_YEAR and aware <= latest
    except (ValueError, OverflowError):  # an offset of a day or more ("-6434") cannot be compared: no real date
        return False


def _format(moment: datetime, *, with_time: bool) -> str:
    if not with_time:
        return moment.date().isoformat()
    return moment.isoformat()
