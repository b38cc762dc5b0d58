"""Titles for articles that come without one.

Plain-text articles usually have no title field. When the first line reads like a headline (short, no final
period, followed by body text) it is the title and leaves the body; otherwise the lead sentence, shortened to about
fifteen words at a word boundary, stands in. Either way the caller marks the title as derived.
"""

from __future__ import annotations

import re

MAX_TITLE_WORDS = 15
MAX_HEADLINE_WORDS = 20
MAX_HEADLINE_CHARS = 200
MIN_BODY_WORDS = 8
ELLIPSIS = "…"

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_HEADLINE_END_REFUSED = (".", ",", ";", ":", "…", "-", "–", "—")
_HEADLINE_START = re.compile(r"[\w\"“‘'(\[]")
_BULLET = re.compile(r"^(?:[-*•·]|\d+[.)])\s")
# A sentence ends at . ! or ? (plus closing quotes/brackets) followed by space and a capital, digit or quote.
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Inc|Co|Corp|Ltd|No|vs|etc|approx"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$"
)
_TRAILING_PUNCT = ' ,;:-–—([{"“‘'
# A wire dateline opening the lead is no part of a headline: "Brussels, Apr 4 (AP) European allies…",
# "LONDON (Reuters) - The bank…", "WASHINGTON — The Senate…". A place (capitalised words, at most 40 characters,
# an optional date after a comma), then an agency in brackets or, for a place in capitals, a dash.
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:,\s*[A-Z][a-z]{2,4}\.?\s+\d{1,2})?\s*"
    r"\((?:AP|Reuters|AFP|dpa|DPA|UPI|PTI|IANS|ANI|Xinhua|Bloomberg|CNN)\)\s*[-–—:]?"
    r"|[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?\s+[-–—]{1,2})\s+"
)
_LEAD_SCAN_CHARS = 2000  # a lead sentence is looked for this far; beyond, it is over fifteen words anyway
_ABBREVIATION_REACH = 16  # characters before a full stop that can hold an abbreviation ("approx.", "Sept.")


def derive_title(text: str) -> tuple[str, str]:
    """Return ``(title, body)`` for a text without a title.

    A headline-like first line becomes the title and is removed from the body; otherwise the title is the
    shortened lead sentence and the body is returned unchanged. The title is empty only for an empty text.
    """
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    headline = _MARKDOWN_HEADING.sub("", first.strip()).strip()
    body = rest.strip()
    if is_headline(headline, body):
        return headline, body
    return lead_title(stripped), stripped


def is_headline(line: str, following: str) -> bool:
    """True when ``line`` looks like a headline for the ``following`` body text."""
    words = line.split()
    if not 2 <= len(words) <= MAX_HEADLINE_WORDS or len(line) > MAX_HEADLINE_CHARS:
        return False
    if line.endswith(_HEADLINE_END_REFUSED) or _BULLET.match(line) or not _HEADLINE_START.match(line):
        return False
    return len(following.split()) >= MIN_BODY_WORDS


def lead_title(text: str, max_words: int = MAX_TITLE_WORDS) -> str:
    """The first sentence of ``text``, cut to ``max_words`` words at a word boundary with an ellipsis."""
    paragraph = text.strip().partition("\n")[0][:_LEAD_SCAN_CHARS]
    sentence = _first_sentence(_DATELINE.sub("", _MARKDOWN_HEADING.sub("", paragraph), count=1))
    words = sentence.split()
    if len(words) <= max_words:
        return " ".join(words).rstrip(".")
    return _close_quotes(" ".join(words[:max_words]).rstrip(_TRAILING_PUNCT) + ELLIPSIS)


def _close_quotes(title: str) -> str:
    """Close a quotation the cut left open, so the title does not end mid-quote."""
    if title.count('"') % 2:
        return title + '"'
    if title.count("“") > title.count("”"):
        return title + "”"
    return title


def _first_sentence(paragraph: str) -> str:
    for match in _SENTENCE_END.finditer(paragraph):
        # Only the few characters before the stop: searching the whole prefix each time is quadratic ("A. A. …").
        end = match.start() + 1
        if not _ABBREVIATION.search(paragraph, max(0, end - _ABBREVIATION_REACH), end):
            return paragraph[: match.end()].rstrip()
    return paragraph
