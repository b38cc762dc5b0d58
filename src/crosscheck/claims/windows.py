"""Which parts of an article are worth parsing: sentences that state a figure or quote someone.

A figure is any number that is not a calendar year, a day of a month or a clock time.

Parsing every sentence would be several times slower than the ingest can afford, so sentences are split with a
cheap rule first and only those that look like they hold a quantity or a direct quote are parsed, each with the
sentence before it (for "It was estimated…" and "He said…" to find whom they mean).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosscheck.credits import is_gallery_caption

_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen"
)
_NUM = rf"(?:\d[\d,.]*|{_NUMBER_WORDS})"
# A cheap look for quantities; the Matcher decides on the parsed sentence what is really a figure.
_QUANTITY_HINT = re.compile(
    rf"\d\s*(?:%|per\s?cent|percent|percentage)"
    rf"|\b{_NUM}[\s-]+(?:per\s?cent|percent)\b"
    rf"|[$€£]\s?\d|\d\s?(?:bn|tn|mn|m)\b|\b\d[\d,.]*\s+(?:thousand|million|billion|trillion|euros?|dollars|pounds)\b"
    rf"|\b{_NUM}\s+(?:of|years?|countries|members|allies|nations|states|member)\b"
    rf"|\b{_NUM}[\s-]+(?:to|and)[\s-]+{_NUM}[\s-]+years?\b"
    rf"|\b(?:a|one|two|three|four)[\s-]+(?:half|thirds?|quarters?|fifths?)\s+of\b|\bhalf\s+of\b"
    rf"|\b{_NUM}\s+(?:hit|met|meet|reach|reached|spent|spend|missed|miss|failed|fail)\b",
    re.IGNORECASE,
)
# Any number that is not a calendar year, a day of a month or a clock time: counts of anything are figures too.
_NOT_FIGURES = re.compile(
    r"\b(?:1[89]|20)\d\d(?:s|'s)?\b|\d{1,2}:\d\d|\b\d{1,2}(?:st|nd|rd|th)\b"
    rf"|(?i:\b(?:the|these|those|its|their|his|her|our|my|your)\s+(?:{_NUMBER_WORDS})\b)"  # "the two leaders"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?\b"
)
_A_YEAR = r"\ba\s+year\s+(?:away|into)\b"  # "about a year away": a duration in number words
_ANY_NUMBER = re.compile(
    rf"\d|\b(?:{_NUMBER_WORDS}|dozen|trio|twice|decade|million|billion|trillion)\b|\b(?:half|thirds?|quarters?)\s+of\b"
    rf"|{_A_YEAR}",
    re.IGNORECASE,
)
_PREFILTER = re.compile(
    rf"[0-9$€£]|\b(?:{_NUMBER_WORDS}|half|thirds?|quarters?|million|billion|trillion|trio|twice|decade)\b|{_A_YEAR}",
    re.IGNORECASE,
)
_QUOTE_HINT = re.compile(r"[“\"][^”\"]{12,}[”\"]")
_OPENS_WITH_PRONOUN = re.compile(r"\W*(?:He|She|It|They|His|Her|Its|Their)\b")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sen|Rep|Gov|Prof|No|Jr|Sr|vs|Inc|Co|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)$"
)
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Window:
    """A sentence of an article to parse: ``start``/``end`` are character offsets into the article text."""

    start: int
    end: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) offsets: lines first, then sentence ends not preceded by an abbreviation."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for boundary in _BOUNDARY.finditer(line.group()):
            cut = line.start() + boundary.start()
            if _ABBREVIATION.search(text[max(start, cut - 6) : cut]):
                continue
            if text[start:cut].strip():
                spans.append((start, cut))
            start = line.start() + boundary.end()
        if text[start : line.end()].strip():
            spans.append((start, line.end()))
    return spans


def wanted(sentence: str, *, quotes: bool) -> bool:
    """Whether a sentence may hold a figure (or, with ``quotes``, a direct quote); never a photo gallery's
    caption (its figures are other days' news)."""
    if is_gallery_caption(sentence):
        return False
    if _PREFILTER.search(sentence) and (
        _QUANTITY_HINT.search(sentence) or _ANY_NUMBER.search(_NOT_FIGURES.sub(" ", sentence))
    ):
        return True
    return quotes and bool(_QUOTE_HINT.search(sentence))


def windows(text: str, *, quotes: bool = False) -> list[Window]:
    """The sentences of ``text`` to parse, in order: the wanted ones, and the one before each wanted sentence
    that opens with a pronoun ("He underlined…", "It was estimated…": the sentence before says who).

    Each is parsed on its own, so the parser never joins two of them into one sentence.
    """
    spans = sentence_spans(text)
    chosen: set[int] = set()
    for i, (start, end) in enumerate(spans):
        sentence = text[start:end]
        if wanted(sentence, quotes=quotes):
            chosen.add(i)
            if i > 0 and _OPENS_WITH_PRONOUN.match(sentence):
                chosen.add(i - 1)
    return [Window(*spans[i]) for i in sorted(chosen)]
