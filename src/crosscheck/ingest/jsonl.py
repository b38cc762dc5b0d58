"""JSON Lines: one article object per line, read line by line so a large corpus never sits in memory whole.

Fields: ``id``, ``title``, ``text``, optional ``url``, ``source``, ``date`` or ``published``, ``authors`` (string or
list), ``language``. Aliases let the bundled research corpus be read as is: ``ID`` for ``id``, and
``content_original`` or ``content`` for ``text``. Values are taken as plain text: markup in them stays literal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from crosscheck.errors import InputError
from crosscheck.ingest.dates import normalise_date
from crosscheck.ingest.decode import decode_bytes
from crosscheck.ingest.meta import clean_name, clean_url, normalise_language, split_authors
from crosscheck.ingest.stream import LongLine
from crosscheck.models import IngestFailure, ParsedArticle

_ID_FIELDS = ("id", "ID")
_TEXT_FIELDS = ("text", "content_original", "content")
_DATE_FIELDS = ("published", "date")


def parse_jsonl(
    lines: Iterable[bytes | LongLine], *, name: str, location: str
) -> Iterator[ParsedArticle | IngestFailure]:
    """Yield one article per non-blank line, or a failure located ``location:LINE`` for a bad line (one longer
    than the cap included: it was skipped unread)."""
    for number, raw in enumerate(lines, 1):
        line_location = f"{location}:{number}"
        if isinstance(raw, LongLine):
            reason = f"line longer than max_document_bytes ({raw.size} > {raw.cap} bytes); skipped"
            yield IngestFailure(line_location, reason)
            continue
        if not raw.strip():
            continue
        try:
            record = _load(raw)
            yield _record_article(record, external_id=f"{name}:{number}", location=line_location)
        except InputError as exc:
            yield IngestFailure(line_location, str(exc))


def _load(raw: bytes) -> Mapping[str, Any]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        line = decode_bytes(raw)  # JSON should be UTF-8; accept a legacy-encoded line rather than lose it
    try:
        record = json.loads(line.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError("invalid JSON: nested too deeply") from exc
    if not isinstance(record, dict):
        raise InputError(f"not a JSON object but {type(record).__name__}")
    return record


def _first_string(record: Mapping[str, Any], fields: tuple[str, ...]) -> str:
    for field in fields:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _record_id(record: Mapping[str, Any]) -> str:
    for field in _ID_FIELDS:
        value = record.get(field)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def _record_article(record: Mapping[str, Any], *, external_id: str, location: str) -> ParsedArticle:
    text = _first_string(record, _TEXT_FIELDS)
    if not text:
        raise InputError("missing text (expected a 'text', 'content' or 'content_original' field)")
    return ParsedArticle(
        external_id=_record_id(record) or external_id,
        text=text,
        title=_first_string(record, ("title",)),
        url=clean_url(record.get("url")),
        source_name=clean_name(record.get("source")),
        published=normalise_date(_first_string(record, _DATE_FIELDS) or None),
        authors=split_authors(record.get("authors", record.get("author"))),
        language=normalise_language(record.get("language") or record.get("lang")),
        format="jsonl",
        location=location,
    )
