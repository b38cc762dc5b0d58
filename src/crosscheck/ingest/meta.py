"""Small metadata fields normalised the same way for every format: authors, language, URLs, names."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crosscheck.ingest.cleanup import clean_line

_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&|\|)\s*", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+", re.IGNORECASE)
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")
_URL = re.compile(r"https?://[^\s/]++\S*+", re.IGNORECASE)  # possessive: a long URL with a space is not quadratic
_MAX_AUTHORS = 20


def split_authors(value: object) -> list[str]:
    """Authors from a string ("A, B and C", "A; B") or a list of strings, de-duplicated, in order."""
    if isinstance(value, str):
        raw = [value]
    elif isinstance(value, list | tuple):
        raw = [item for item in value if isinstance(item, str)]
    else:
        return []
    names: list[str] = []
    for entry in raw:
        for part in _AUTHOR_SPLIT.split(clean_line(entry)):
            name = _BYLINE.sub("", part).strip(" .-")
            if not name:
                continue
            if name.lower() in _SUFFIXES or name.lower() + "." in _SUFFIXES:
                if names:
                    names[-1] = f"{names[-1]} {part.strip()}"  # "Name, Jr." is one person
                continue
            if name not in names:
                names.append(name)
    return names[:_MAX_AUTHORS]


def normalise_language(value: object) -> str | None:
    """The primary language subtag in lower case ("en-GB" -> "en"), or None."""
    if not isinstance(value, str):
        return None
    match = _LANGUAGE.match(value.strip())
    return match.group(0).lower() if match else None


def clean_url(value: object) -> str | None:
    """An absolute http(s) URL without surrounding whitespace, or None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not _URL.fullmatch(value):
        return None
    try:  # what the standard parser cannot take apart ("http://[x", a port of 99999) is no URL to store
        parts = urlsplit(value)
        valid = bool(parts.hostname) and (parts.port is None or parts.port >= 0)  # .port checks the range
    except ValueError:
        return None
    return value if valid else None


def clean_name(value: object) -> str | None:
    """A one-line name (source, outlet), or None when empty."""
    if not isinstance(value, str):
        return None
    return clean_line(value) or None
