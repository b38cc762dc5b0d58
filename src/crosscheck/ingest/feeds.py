"""RSS and Atom feeds with feedparser: one article per entry.

Entity declarations are refused before parsing: an internal DTD subset is how XML external entities (XXE) and
entity-expansion bombs ("billion laughs") arrive, and no real news feed needs one. Entry HTML becomes plain text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

import feedparser

from crosscheck.errors import InputError
from crosscheck.ingest.cleanup import clean_line, clean_text
from crosscheck.ingest.dates import normalise_date
from crosscheck.ingest.html import html_to_text
from crosscheck.ingest.meta import clean_name, clean_url, normalise_language, split_authors
from crosscheck.models import ParsedArticle

ENTITY_REASON = "XML entity declarations are refused"

_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
# "<" ends the scan too, and no backtracking: each character is looked at once ("<!DOCTYPE" repeated was quadratic)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^<>\[]*+\[", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_DATE_FIELDS = ("published", "updated", "created", "issued", "modified")


def refuse_entities(text: str) -> None:
    """Raise InputError when an XML document declares entities or carries an internal DTD subset."""
    if _ENTITY_DECLARATION.search(text) or _DOCTYPE_SUBSET.search(text):
        raise InputError(ENTITY_REASON)


def parse_feed(text: str, *, name: str, location: str, url: str | None = None) -> Iterator[ParsedArticle]:
    """Yield one article per feed entry; ``location`` + ``#entry-N`` names each.

    Raises InputError for refused or unparseable feeds and for feeds without entries.
    """
    refuse_entities(text)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url  # base for relative links inside entries
    try:
        # A stream, never a string: feedparser treats a string that looks like a URL or path as one to open.
        parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=headers)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # feedparser's own bugs on malformed XML (a namespace URI with odd bytes: "too many values to unpack")
        raise InputError(f"not a valid feed: the feed parser failed on it ({type(exc).__name__}: {exc})") from exc
    if not parsed.entries:
        if parsed.get("bozo"):
            raise InputError(f"not a valid feed: {parsed.get('bozo_exception')}")
        raise InputError("feed has no entries")
    feed = parsed.get("feed", {})
    feed_title = clean_name(feed.get("title"))
    feed_language = normalise_language(feed.get("language"))
    for number, entry in enumerate(parsed.entries, 1):
        yield _entry_article(
            entry,
            external_id=f"{name}#entry-{number}",
            location=f"{location}#entry-{number}",
            feed_title=feed_title,
            feed_language=feed_language,
        )


def _entry_article(
    entry: Mapping[str, Any], *, external_id: str, location: str, feed_title: str | None, feed_language: str | None
) -> ParsedArticle:
    title = clean_line(_detail_text(entry.get("title_detail"), entry.get("title")))
    content, language = _full_content(entry.get("content"))
    partial = not content
    if partial:
        summary = _detail_text(entry.get("summary_detail"), entry.get("summary"))
        content = "\n\n".join(part for part in (title, summary) if part)
        language = _detail_language(entry.get("summary_detail"))
    link = clean_url(entry.get("link"))
    return ParsedArticle(
        external_id=clean_line(str(entry.get("id") or "")) or link or external_id,
        text=content,
        title=title,
        url=link,
        source_name=clean_name((entry.get("source") or {}).get("title")) or feed_title,
        published=_entry_date(entry),
        authors=_entry_authors(entry),
        language=language or feed_language,
        partial=partial,
        format="feed",
        location=location,
    )


def _detail_text(detail: Mapping[str, Any] | None, value: object) -> str:
    """Text of a feed field: HTML converted, plain text kept literally."""
    if not isinstance(value, str):
        return ""
    kind = str((detail or {}).get("type") or "text/plain").lower()
    return html_to_text(value) if kind in _HTML_TYPES else clean_text(value)


def _detail_language(detail: Mapping[str, Any] | None) -> str | None:
    return normalise_language((detail or {}).get("language"))


def _full_content(contents: object) -> tuple[str, str | None]:
    """The longest ``content`` element of an entry as text, with its language."""
    best, language = "", None
    if isinstance(contents, list):
        for detail in contents:
            if isinstance(detail, Mapping):
                text = _detail_text(detail, detail.get("value"))
                if len(text) > len(best):
                    best, language = text, _detail_language(detail)
    return best, language


def _entry_date(entry: Mapping[str, Any]) -> str | None:
    """The entry's own date string (keeps its timezone), else feedparser's parsed UTC time."""
    for field in _DATE_FIELDS:
        found = normalise_date(entry.get(field))
        if found:
            return found
    for field in _DATE_FIELDS:
        found = normalise_date(entry.get(f"{field}_parsed"))
        if found:
            return found
    return None


def _entry_authors(entry: Mapping[str, Any]) -> list[str]:
    names = [str(author.get("name")) for author in entry.get("authors") or [] if isinstance(author, Mapping)]
    names = [name for name in names if name and name != "None"]
    return split_authors(names or entry.get("author") or "")
