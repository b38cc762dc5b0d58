"""Text hygiene shared by every format, and the length limits applied to each article."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from crosscheck.errors import InputError
from crosscheck.ingest.titles import derive_title
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings

# C0 controls except tab/newline, DEL, C1 controls, zero-width and invisible formatting characters, soft hyphen,
# and bidirectional overrides (which can make displayed text differ from stored text).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
# Lone surrogates (from a JSON "\\ud800" escape or an undecodable file name) cannot be stored as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# What must not reach a terminal or split an error line: controls, line separators, bidi overrides, surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_REASON_CHARS = 500
# Raw text beyond this many times max_article_chars is cut before cleaning: it would be cut after anyway, and
# cleaning a 16 MB text whole takes hundreds of MB. (Only a text mostly made of whitespace loses by it.)
RAW_TEXT_FACTOR = 4
MAX_TITLE_CHARS = 300  # a title is a line, not a paragraph; longer ones are cut with an ellipsis
_WORD_BOUNDARY_REACH = 100  # characters given up at most to end on a whole word
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"[\n\x0c\u2028\u0085]")


def clean_text(text: str) -> str:
    """Normalise an article body: NFC, no control characters, single spaces, lines kept, paragraphs separated
    by exactly one blank line ("\\n\\n")."""
    text = unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n")
    text = _LINE_BREAK.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def clean_line(text: str) -> str:
    """Normalise a one-line field (title, name): like :func:`clean_text`, with all whitespace collapsed."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", text))).split())


def printable(text: str, limit: int | None = None) -> str:
    """``text`` safe for one line of a terminal or log: control characters, line breaks, bidirectional overrides
    and lone surrogates are shown as escapes (``\\n``, ``\\x1b``, ``\\u202e``); cut to ``limit`` characters."""
    safe = _UNPRINTABLE.sub(lambda match: ascii(match.group())[1:-1], text)
    if limit is not None and len(safe) > limit:
        safe = safe[: limit - 1] + "…"
    return safe


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, at a word boundary when one is near the end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not text[limit].isspace():
        boundary = max(cut.rfind(" "), cut.rfind("\n"))
        if boundary > 0 and limit - boundary <= _WORD_BOUNDARY_REACH:
            cut = cut[:boundary]
    return cut.rstrip()


def cut_raw(text: str, settings: Settings) -> tuple[str, bool]:
    """``text`` cut to ``RAW_TEXT_FACTOR * settings.max_article_chars`` characters, and whether it was cut."""
    limit = RAW_TEXT_FACTOR * settings.max_article_chars
    return (text[:limit], True) if len(text) > limit else (text, False)


def finish(article: ParsedArticle, settings: Settings) -> ParsedArticle:
    """Clean an article's text and title, derive a missing title, and apply the length limits.

    Raises InputError when the text is empty or shorter than ``settings.min_article_chars``; text longer than
    ``settings.max_article_chars`` is cut and marked ``truncated``.
    """
    raw, cut = cut_raw(article.text, settings)
    text = clean_text(raw)
    if not text:
        raise InputError("empty")
    title, derived = clean_line(article.title), article.title_derived
    if not title:
        title, text = derive_title(text)
        title, derived = clean_line(title), True
    if len(text) < settings.min_article_chars:
        raise InputError(f"text too short ({len(text)} characters; the minimum is {settings.min_article_chars})")
    truncated = article.truncated or cut or len(text) > settings.max_article_chars
    text = truncate(text, settings.max_article_chars)
    if len(title) > MAX_TITLE_CHARS:
        title = truncate(title, MAX_TITLE_CHARS - 1) + "…"
    return dataclasses.replace(
        article,
        text=text,
        title=title,
        title_derived=derived,
        truncated=truncated,
        external_id=_SURROGATE.sub("\ufffd", article.external_id),
        url=_SURROGATE.sub("\ufffd", article.url) if article.url else article.url,
        location=printable(article.location),
    )
