"""Page furniture in titles and sentences: labels, programme names, captions, credits, markup and disclaimers.

Articles saved from pages keep what surrounded the news: an "OPINION:" label or a programme's name as the
title ("Radio | News week in plain Finnish | Saturday 28.6.2025"), "Read the full text of …", Markdown
("## …", "**name**"), captions ("[Image caption] …", "In this file photo …"), photo credits
(:mod:`crosscheck.credits`, which figure extraction uses too), video players' "CLOSE", "More: …" links and
columnists' disclaimers. A story's headline and bullets leave all of it out.
"""

from __future__ import annotations

import re

from crosscheck.credits import has_credit, is_gallery_caption

# Labels an outlet or a republisher puts before a title: "OPINION: …", "Analysis | …", "Breaking: …".
_LABEL = re.compile(
    r"^\s*(?:opinion|analysis|editorial|commentary|op-?ed|column|perspective|review|exclusive|breaking(?: news)?|"
    r"update[ds]?|latest|live|watch|video|listen|podcast|photos?|big news|just in|fact check|new|read|"
    r"explainer|the big read)\s*(?::|\||\s[-–—])\s*",
    re.IGNORECASE,
)
# Titles that are not a report's headline but a page's: a full text, a transcript, a programme, a gallery.
_NOT_A_HEADLINE = re.compile(
    r"^\s*(?:read\b|full text\b|(?:the )?transcript\b|watch\b|video\b|listen\b|live updates?\b|in pictures\b|"
    r"photos?\b|podcast\b|newsletter\b|today'?s (?:headlines|briefing)\b)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s+[|•]\s+")
_WEEKDAY_DATE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+\d{1,2}[./]\d{1,2}[./]\d{2,4}\b", re.IGNORECASE
)
_LETTERS = re.compile(r"[^\W\d_]")

# Whole sentences that are furniture.
_FURNITURE_SENTENCE = re.compile(
    r"""^\s*(?:
        \#{1,6}\s                                   # a Markdown heading
      | \[[^\]]{1,60}\]                             # [Image caption], [Struggling to keep up …]
      | \|                                          # "| Photographer/Agency …" credit runs
      | \.?@\w                                      # a quoted tweet's handle
      | (?-i:CLOSE)\b                               # a video player's close button (in capitals)
      | (?:more|related|see\ also|also\ read|watch|listen|read)\s*:   # link lists
      | (?:read\ more|sign\ up|click\ here|follow\ us|subscribe\ to)\b
      | (?:in\ )?(?:this|these)\b.{0,80}?\b(?:photo|image|picture)s?\b(?!-)   # "In this Jan. 30, 2003 file photo …"
      | from\ (?:left|right)\s*:                    # caption of a group photo
      | (?:photo|image|picture|credit|illustration)s?\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_DISCLAIMER = re.compile(
    r"\bopinions? expressed\b|\b(?:do|does) not (?:necessarily )?(?:represent|reflect) the (?:views|opinions)\b|"
    r"\bthis is a rush transcript\b|\bcopy may not be in its final form\b",
    re.IGNORECASE,
)
# Inline Markdown: emphasis and links keep their words.
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]+)\)")
_CODE = re.compile(r"`([^`]*)`")


def strip_markup(text: str) -> str:
    """Text without inline Markdown: "**Kalervo Kummola**" → Kalervo Kummola, "[text](url)" → text."""
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    for _ in range(2):  # nested emphasis ("***x***")
        text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def clean_sentence(sentence: str) -> str | None:
    """A sentence fit for a summary, without inline markup; None when it is furniture (a heading, a caption, a
    credit, a link list, a disclaimer)."""
    if _FURNITURE_SENTENCE.match(sentence) or has_credit(sentence) or is_gallery_caption(sentence):
        return None
    if _DISCLAIMER.search(sentence):
        return None
    cleaned = strip_markup(sentence)
    return cleaned or None


def _shouting(text: str) -> bool:
    letters = _LETTERS.findall(text)
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def clean_title(title: str) -> tuple[str, bool]:
    """A title without labels and a trailing section or site name ("OPINION: X" → X; "X | Politics" → X), and
    whether a label said it is opinion."""
    text = strip_markup(title)
    opinion = False
    while match := _LABEL.match(text):
        opinion = opinion or match.group(0).strip(" :|-–—").lower() in {
            "opinion",
            "commentary",
            "op-ed",
            "oped",
            "column",
            "editorial",
            "perspective",
        }
        text = text[match.end() :]
    parts = _SEPARATOR.split(text)
    if len(parts) == 2:  # "Headline | Section" or "Section | Headline": the longer part is the headline
        text = max(parts, key=lambda p: len(p.split()))
    return text.strip(), opinion


def is_furniture_title(title: str) -> bool:
    """Whether a (cleaned) title is not a report's headline: a programme name with its date, a page of a full
    text or transcript, shouting, or a single word."""
    return bool(
        len(_SEPARATOR.split(title)) > 2
        or _WEEKDAY_DATE.search(title)
        or _NOT_A_HEADLINE.match(title)
        or _shouting(title)
        or len(title.split()) < 2
    )
