"""Plain-text articles, with the optional header lines crosscheck's own text files use.

Two header styles occur:

* the seed style, where the text opens with `` date YYYY-MM-DD`` and the article goes on on the same line;
* a header block of ``date …``, ``source NAME`` and ``url ADDRESS`` lines, then a blank line, then the text.

Header keys are lower case and must start their line, so ordinary prose ("Source code …") is never mistaken for
one. The title is derived (see :mod:`crosscheck.ingest.titles`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosscheck.ingest.cleanup import clean_text
from crosscheck.ingest.dates import normalise_date
from crosscheck.ingest.meta import clean_name, clean_url
from crosscheck.ingest.titles import derive_title
from crosscheck.models import ParsedArticle

_HEADER_LINE = re.compile(r"(date|source|url)[ \t]+(\S.*)")
_DATE_VALUE = re.compile(
    r"(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)(?:\s+(\S.*))?"
)


@dataclass
class TextHeader:
    """Fields read from a plain-text header, and the text that follows it."""

    date: str | None = None
    source: str | None = None
    url: str | None = None
    body: str = ""


def split_header(text: str) -> TextHeader:
    """Separate the optional header lines from the article text."""
    lines = text.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    header = TextHeader()
    seen: set[str] = set()
    while index < len(lines):
        match = _HEADER_LINE.fullmatch(lines[index].strip())
        if match is None or match.group(1) in seen:
            break
        key, value = match.groups()
        if key == "date":
            date_match = _DATE_VALUE.fullmatch(value)
            if date_match is None:
                break
            header.date = date_match.group(1)
            if date_match.group(2):  # seed style: the article starts after the date, on the same line
                lines[index] = date_match.group(2)
                break
        elif key == "url":
            if clean_url(value) is None:
                break
            header.url = value.strip()
        else:
            header.source = value
        seen.add(key)
        index += 1
    header.body = "\n".join(lines[index:])
    return header


def parse_plain_text(text: str, *, external_id: str, location: str, url: str | None = None) -> ParsedArticle:
    """Read a plain-text article: header fields, a derived title and the cleaned body."""
    header = split_header(text)
    body = clean_text(header.body)
    title, body = derive_title(body)
    return ParsedArticle(
        external_id=external_id,
        text=body,
        title=title,
        title_derived=bool(title),
        url=clean_url(header.url) or url,
        source_name=clean_name(header.source),
        published=normalise_date(header.date),
        format="text",
        location=location,
    )
