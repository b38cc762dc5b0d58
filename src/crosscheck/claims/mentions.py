"""Finding figures in a parsed sentence with spaCy's Matcher: percentages, money, durations, counts, fractions.

Each pattern names the kind of quantity; :func:`find_mentions` turns the longest non-overlapping matches into
:class:`Mention` objects with their value(s). Whether a mention is a claim at all (a duration of "three years
ago" is not) is decided later, from the parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crosscheck.claims.numbers import FRACTIONS, fraction_value, is_year, parse_number, scale_of

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
NUM: dict[str, Any] = {"LIKE_NUM": True, "LOWER": {"NOT_IN": sorted({*ORDINALS, *FRACTIONS})}}
DASH: dict[str, Any] = {"ORTH": {"IN": ["-", "–", "—"]}}
RANGE_WORD: dict[str, Any] = {"LOWER": {"IN": ["to", "-", "–", "—", "and"]}}
SCALE: dict[str, Any] = {"LOWER": {"IN": ["thousand", "million", "billion", "trillion", "bn", "m", "mn", "tn", "k"]},
                         "OP": "?"}  # fmt: skip
WEIGHTS = frozenset({"kilograms", "kilogram", "kg", "tons", "tonnes", "uranium", "weighs", "weighing", "weight"})
BRITISH = frozenset({"£", "sterling", "britain", "british", "uk", "u.k.", "england", "london", "english", "scotland",
                     "wales", "treasury", "chancellor", "bank", "pay", "paid", "cost", "costs", "fund", "funding",
                     "budget"})  # fmt: skip
CURRENCY_SYMBOLS = {"$": "currency_usd", "us$": "currency_usd", "€": "currency_eur", "£": "currency_gbp"}
CURRENCY_WORDS = {"dollars": "currency_usd", "dollar": "currency_usd", "usd": "currency_usd",
                  "euros": "currency_eur", "euro": "currency_eur", "eur": "currency_eur",
                  "pounds": "currency_gbp", "gbp": "currency_gbp", "sterling": "currency_gbp"}  # fmt: skip
POINT_NOUNS = frozenset({"margin", "lead", "gap", "advantage", "swing", "drop", "rise", "jump", "increase", "decline",
                         "edge", "deficit", "gain", "fall"})  # fmt: skip


def _pct(*, optional: bool = False) -> list[list[dict[str, Any]]]:
    op = {"OP": "?"} if optional else {}
    return [
        [{"ORTH": "%", **op}],
        [{"LOWER": "per", **op}, {"LOWER": "cent", **op}],
        [{"LOWER": {"IN": ["percent", "pct"]}, **op}],
        [{"LOWER": "percentage", **op}, {"LOWER": {"IN": ["point", "points"]}, **op}],
    ]


def _patterns() -> dict[str, list[list[dict[str, Any]]]]:
    percent = [[NUM, *unit] for unit in _pct()]
    percent += [[NUM, *low, RANGE_WORD, NUM, *unit] for low in _pct(optional=True) for unit in _pct()]
    percent += [[{"LOWER": "between"}, NUM, *low, {"LOWER": "and"}, NUM, *unit]
                for low in _pct(optional=True) for unit in _pct()]  # fmt: skip
    symbol = {"LOWER": {"IN": sorted(CURRENCY_SYMBOLS)}}
    money = [
        [symbol, NUM, SCALE],
        [NUM, SCALE, {"LOWER": {"IN": sorted(CURRENCY_WORDS)}}],
    ]
    years = [
        [NUM, RANGE_WORD, NUM, {"LOWER": {"IN": ["year", "years"]}}],
        [NUM, {"LOWER": "years"}, {"LOWER": {"IN": ["to", "and", "or"]}}, NUM, {"LOWER": "years"}],
        [NUM, {"LOWER": "years"}],
        [{"LOWER": {"IN": ["a", "one"]}}, {"LOWER": {"IN": ["year", "decade"]}}],  # "about a year away"
    ]
    fraction = [
        [{"LOWER": {"IN": ["a", "one", "two", "three", "four", "nine"]}}, {**DASH, "OP": "?"},
         {"LOWER": {"IN": sorted(FRACTIONS)}}, {"LOWER": "of"}],
        [{"LOWER": "half"}, {"LOWER": "of"}],
        [NUM, {"LOWER": "out"}, {"LOWER": "of"}, NUM],  # "three out of 10 independents"
    ]  # fmt: skip
    # "a 12-point margin": poll leads and swings in percentage points
    points = [[NUM, DASH, {"LOWER": "point"}, {"LOWER": {"IN": sorted(POINT_NOUNS)}}]]
    return {"PERCENT": percent + points, "MONEY": money, "YEARS": years, "FRACTION": fraction}


@dataclass
class Mention:
    """One figure as written: its tokens, kind of quantity and value(s)."""

    span: Any  # spacy.tokens.Span
    quantity: str  # PERCENT, MONEY, YEARS, FRACTION, COUNT (counts: see :mod:`counts`)
    value: float
    value_high: float | None = None
    currency: str | None = None
    group: Any = None  # the counted group noun (Token) of a COUNT

    @property
    def anchor(self) -> Any:
        """The token whose place in the parse stands for the whole figure."""
        return self.span.root


class MentionFinder:
    """Wraps a spaCy Matcher built for one pipeline's vocabulary."""

    def __init__(self, vocab: Any) -> None:
        from spacy.matcher import Matcher

        self.matcher = Matcher(vocab)
        for label, patterns in _patterns().items():
            self.matcher.add(label, patterns, greedy="LONGEST")

    def find_with_tokens(self, doc: Any) -> tuple[list[Mention], set[int]]:
        """The figure mentions, and the tokens of every match, figures or not ("661 pounds" of uranium, the
        "£155m" converting "€183.4m"): no count is read inside them."""
        from spacy.util import filter_spans

        matches = self.matcher(doc)
        spans = [doc[start:end] for _, start, end in matches]
        labels = {(s, e): doc.vocab.strings[m] for m, s, e in matches}
        mentions = []
        taken: set[int] = set()
        for span in sorted(filter_spans(spans), key=lambda s: s.start):
            taken.update(range(span.start, span.end))
            mention = interpret(span, labels[(span.start, span.end)])
            if mention is not None:
                mentions.append(mention)
                mentions.extend(_second_of_change(mention, span))
        return _drop_conversions(mentions), taken


def _numbers(span: Any) -> list[tuple[Any, float]]:
    """(token, value) of each number in a span, scale words applied ("1.2 billion" → 1.2e9)."""
    found: list[tuple[Any, float]] = []
    for token in span:
        scale = scale_of(token.text)
        if scale is not None and found and token.i == found[-1][0].i + 1:
            found[-1] = (found[-1][0], found[-1][1] * scale)
            continue
        if token.like_num:
            value = parse_number(token.text)
            if value is not None:
                found.append((token, value))
    return found


def interpret(span: Any, label: str) -> Mention | None:
    """A mention with its values, or None when the match is not a figure (a year, an ordinal)."""
    if label == "FRACTION" and span[1].lower_ == "out":
        low, high = parse_number(span[0].text), parse_number(span[-1].text)
        return None if not low or not high or low >= high else Mention(span, label, round(low / high, 4))
    if label == "FRACTION":
        words = [t.lower_ for t in span if t.lower_ not in ("-", "–", "of")]
        value = 0.5 if words == ["half"] else fraction_value(words[0], words[-1])
        return None if value is None else Mention(span, label, value)
    if label == "YEARS" and len(span) == 2 and span[0].lower_ in ("a", "one"):
        return Mention(span, label, 10.0 if span[1].lower_ == "decade" else 1.0)  # number words, as "ten years"
    numbers = _numbers(span)
    if not numbers or any(is_year(v) and label != "MONEY" for _, v in numbers[:1]):
        return None
    value = numbers[0][1]
    high = numbers[1][1] if len(numbers) > 1 and label in ("PERCENT", "YEARS") else None
    if high is not None and high <= value:
        return None
    if high is not None and _after_from(span):
        cut = next(t.i for t in span[1:] if t.lower_ in ("to", "-", "–", "—", "and"))
        return Mention(span.doc[span.start : cut], label, value)  # "from 2% to 5%": a change, two figures
    if label == "MONEY":
        return None if _weight(span) else Mention(span, label, value, currency=_currency(span))
    return Mention(span, label, value, high)


def _second_of_change(mention: Mention, matched: Any) -> list[Mention]:
    """The "5%" of "from 2% to 5%", matched as one range and split back into two figures."""
    if mention.quantity != "PERCENT" or mention.value_high is not None or matched.end == mention.span.end:
        return []
    numbers = _numbers(matched[mention.span.end - matched.start :])
    if not numbers:
        return []
    token, value = numbers[0]
    return [Mention(matched.doc[token.i : matched.end], "PERCENT", value)]


def _after_from(span: Any) -> bool:
    i = span.start - 1
    while i >= 0 and span.doc[i].lower_ in ("less", "more", "than", "just", "about", "around", "nearly"):
        i -= 1
    return i >= 0 and bool(span.doc[i].lower_ == "from")


def _weight(span: Any) -> bool:
    """ "30,000 pounds of explosives" weighs, it does not cost; so does any "pounds" in a sentence that weighs
    ("300 kilograms (661 pounds)") or that names no British money."""
    doc = span.doc
    if span[-1].lower_ not in ("pounds", "pound"):
        return False
    if span.end < len(doc) and doc[span.end].lower_ in ("of", "sterling"):
        return bool(doc[span.end].lower_ == "of")
    words = {t.lower_ for t in span.sent}
    scaled = any(scale_of(t.text) is not None for t in span)
    return bool(words & WEIGHTS) or not (scaled or words & BRITISH)


def _currency(span: Any) -> str | None:
    for token in span:
        code = CURRENCY_SYMBOLS.get(token.lower_) or CURRENCY_WORDS.get(token.lower_)
        if code:
            return code
    return None


def _drop_conversions(mentions: list[Mention]) -> list[Mention]:
    """Leave out money in brackets right after other money: "€183.4m (£155m; $210m)" states one figure."""
    kept: list[Mention] = []
    prev: Mention | None = None
    for mention in mentions:
        before = mention.span.doc[max(0, mention.span.start - 1)]
        last, prev = prev, mention
        if (
            mention.quantity == "MONEY"
            and last is not None
            and last.quantity == "MONEY"
            and before.text in ("(", ";", "/")
            and mention.span.start - last.span.end <= 2
        ):
            continue
        kept.append(mention)
    return kept
