"""The unit of a figure: a share of GDP, another percentage, money in a currency, a count, years, a fraction.

A percentage is a share of GDP when the text says so ("5% of GDP", "of their national income", "of the size of
their economies") or when it is a level of spending in a sentence about spending or budgets of an article that
speaks of shares of GDP ("Lammy said his country should reach 2.5% by 2027"); a change, a difference ("20
percent more on administrative expenses") ("increase by 30%", "a 400% increase") or a share of something else
("30% of Nato's total military spending") is a plain percentage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crosscheck.claims.tokens import lemma, register
from crosscheck.figures import COUNT as COUNT
from crosscheck.figures import FRACTION as FRACTION
from crosscheck.figures import PERCENT as PERCENT
from crosscheck.figures import PERCENT_GDP as PERCENT_GDP
from crosscheck.figures import UNITS as UNITS
from crosscheck.figures import YEARS as YEARS
from crosscheck.figures import format_figure as format_figure

GDP_WORDS = frozenset({"gdp", "economy", "economies", "income", "gni", "output"})
_GDP_PHRASE = ("gross domestic product", "national income", "gross national income")
SPENDING_WORDS = register(
    {"spend", "spending", "spender", "budget", "expenditure", "defence", "defense", "military", "security",
     "target", "goal", "invest", "investment", "money", "gdp", "outlay", "allocate"}
)  # fmt: skip
SPENDING_VERBS = register({"spend", "spending", "spender", "expenditure", "outlay", "allocate"})
COMPARATIVES = frozenset({"more", "less", "higher", "lower", "fewer", "greater", "larger", "smaller", "above",
                          "below", "over", "under"})  # fmt: skip
CHANGE_WORDS = register({"increase", "rise", "cut", "drop", "fall", "jump", "growth", "hike", "reduction", "boost"})


QUALIFIERS = frozenset({"around", "about", "nearly", "almost", "some", "roughly", "up", "to", "at", "least", "most",
                        "more", "less", "than", "as", "much", "over", "just", "only", "approximately", "an", "a",
                        "extra", "additional", "further", "another", "whopping", "mere", "full"})  # fmt: skip


def preceding_word(span: Any) -> Any:
    """The word before a figure, past qualifiers: "by around 30%" → "by", "spend at least 5%" → "spend"."""
    i = span.start - 1
    while i >= 0 and span.doc[i].lower_ in QUALIFIERS and i > span.start - 5:
        i -= 1
    return span.doc[i] if i >= 0 else None


def _of_phrase(span: Any) -> list[Any] | None:
    """The tokens of an "of …" phrase right after the figure ("of their gross domestic product"), if any."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ == "of":
        prep = doc[span.end]
        return (
            [t for t in prep.subtree]
            if prep.head.i in range(span.start, span.end)
            else list(doc[span.end : span.end + 8])
        )
    return None


def _says_gdp(tokens: list[Any]) -> bool:
    text = " ".join(t.lower_ for t in tokens)
    return any(t.lower_ in GDP_WORDS for t in tokens) or any(p in text for p in _GDP_PHRASE)


def percent_unit(span: Any, context: Sequence[Any], *, article_gdp: bool = False) -> str:
    """``percent_gdp`` or ``percent`` for a percentage ``span``.

    ``context`` holds its sentence and the ones parsed before it; ``article_gdp`` says the article speaks of
    shares of GDP, so that a bare level ("he will get to 2.1%") in it is one too.
    """
    words = {t.lower_ for t in span}
    if "percentage" in words:
        return PERCENT
    of = _of_phrase(span)
    if of is not None:
        return PERCENT_GDP if _says_gdp(of) else PERCENT
    doc = span.doc
    before = preceding_word(span)
    after = doc[span.end] if span.end < len(doc) else None
    if (before is not None and before.lower_ == "by") or (after is not None and lemma(after) in CHANGE_WORDS):
        return PERCENT
    if after is not None and after.lower_ in COMPARATIVES:
        return PERCENT  # "20 percent more on administrative expenses": a difference, not a level
    if _says_gdp(list(span.sent)) or any(lemma(t) in SPENDING_VERBS for t in span.sent):
        return PERCENT_GDP  # "the US was projected to have spent 3.38 per cent": a level of spending
    if article_gdp and any(lemma(t) in SPENDING_WORDS for d in context for t in d):
        return PERCENT_GDP  # a level of spending in an article about shares of GDP
    return PERCENT


def mentions_gdp(text: str) -> bool:
    """Whether an article speaks of shares of GDP ("of GDP", "gross domestic product", "national income")."""
    lower = text.lower()
    return "gdp" in lower or any(p in lower for p in _GDP_PHRASE)
