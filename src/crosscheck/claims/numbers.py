"""Reading numbers as written in news text: digits, number words, scale words and fractions.

Number words go through ``text2num`` (a maintained parser for written-out numbers); this module only adds what
it does not cover: digit strings with separators, scale suffixes ("bn", "m"), and fractions ("two-thirds").
"""

from __future__ import annotations

import re

from text_to_num import text2num  # type: ignore[import-untyped]

SCALES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}

# Denominators of spoken fractions: "a third", "two-thirds", "three quarters", "half".
FRACTIONS: dict[str, int] = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "tenth": 10,
    "tenths": 10,
}

_DIGITS = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_ARTICLES = {"a": 1, "an": 1, "one": 1}


def parse_number(text: str) -> float | None:
    """The value of one written number ("3.38", "1,200", "ten", "thirty-two"), or None if it is not one."""
    word = text.strip().lower().replace("\u2212", "-")
    if not word:
        return None
    if _DIGITS.match(word):
        return float(word.replace(",", ""))
    if word in _ARTICLES:
        return float(_ARTICLES[word])
    try:
        return float(text2num(word.replace("-", " "), "en"))
    except ValueError:
        return None


def parse_words(words: list[str]) -> float | None:
    """The value of a number written over several tokens ("thirty", "-", "two"; "one", "hundred")."""
    joined = " ".join(w for w in words if w not in ("-", "–"))
    if len(words) == 1:
        return parse_number(words[0])
    return parse_number(joined)


def scale_of(word: str) -> float | None:
    """The multiplier of a scale word ("billion", "bn", "m"), or None."""
    return SCALES.get(word.lower())


def fraction_value(numerator: str, denominator: str) -> float | None:
    """``two`` + ``thirds`` → 0.6667 (rounded to four places, as fractions are written in the gold data)."""
    den = FRACTIONS.get(denominator.lower())
    num = parse_number(numerator)
    if den is None or num is None or num <= 0 or num >= den:
        return None
    return round(num / den, 4)


def is_year(value: float) -> bool:
    """Whether a bare number reads as a calendar year (they are periods, never figures)."""
    return value.is_integer() and 1900 <= value <= 2100
