"""Which format an input is, judged from its first bytes first and its name (or content type) second."""

from __future__ import annotations

import json
import re
from typing import Literal

Format = Literal["text", "html", "feed", "jsonl"]

# Possessive loops (*+): once a comment is matched it is never re-split, or "<!--a-->" * 40 takes forever.
_LEADING_NOISE = re.compile(r"^(?:\s+|<\?xml[^>]*>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*+", re.DOTALL | re.I)
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(r"<(?:html|head|body|meta|title|article|div|p)[\s>/]", re.IGNORECASE)
_HTML_DOCTYPE = re.compile(r"^\s*+(?:<!--.*?-->\s*+)*+<!DOCTYPE\s+html", re.DOTALL | re.IGNORECASE)

_BY_SUFFIX: dict[str, Format] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}

_BY_CONTENT_TYPE: tuple[tuple[str, Format], ...] = (
    ("html", "html"),
    ("rss", "feed"),
    ("atom", "feed"),
    ("xml", "feed"),
    ("json", "jsonl"),
    ("text/plain", "text"),
)


def sniff_format(head: str, name: str = "", content_type: str = "") -> Format:
    """Guess the format of an input from the start of its decoded text, then its file name or content type."""
    if _HTML_DOCTYPE.match(head):
        return "html"
    start = _LEADING_NOISE.sub("", head[:16384], count=1)
    if _FEED_ROOT.match(start):
        return "feed"
    if start.startswith("<") and _HTML_ROOT.search(start[:4096]):
        return "html"
    if start.startswith("{") and _first_line_is_object(start):
        return "jsonl"
    return _by_name(name) or _by_content_type(content_type) or "text"


def _first_line_is_object(text: str) -> bool:
    first = text.split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        # a first line longer than the sniffed head is cut off; an opening brace with a key still counts
        return bool(re.match(r'\{\s*"', first)) and "\n" not in text


def _by_name(name: str) -> Format | None:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for suffix, found in _BY_SUFFIX.items():
        if lower.endswith(suffix):
            return found
    return None


def _by_content_type(content_type: str) -> Format | None:
    lower = content_type.lower()
    for marker, found in _BY_CONTENT_TYPE:
        if marker in lower:
            return found
    return None
