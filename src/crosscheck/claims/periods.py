"""The year a figure is for: the year it describes, or a target's deadline.

Explicit years are read from the parse ("by 2032", "in 2024", "by April 2027"); relative ones ("last year",
"this year", "within seven years") are resolved by ``dateparser`` against the article's publication date, so an
undated article gets no relative period rather than a guess.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d|21\d\d)\b")
_RELATIVE = re.compile(r"\b(last|this|next|past|coming) year\b|\byear after next\b", re.IGNORECASE)
_IN_YEARS = re.compile(
    r"\b(?:within|in|(?:over|in|during|within) the next|the next)\s+(\w+)\s+years?\b(?! ago)", re.IGNORECASE
)
DEADLINE_PREPS = frozenset({"by", "until", "before", "within", "till", "over"})
MAX_DISTANCE = 5
TARGET_DISTANCE = 2


@lru_cache(maxsize=4096)
def relative_year(phrase: str, base: str | None) -> int | None:
    """The year ``phrase`` means, published on ``base`` (ISO date): "last year" → base year − 1; else None."""
    found = _YEAR.search(phrase)
    if found:
        return int(found.group(1))
    if not base:
        return None
    try:
        base_date = datetime.fromisoformat(base[:10])
    except ValueError:
        return None
    lower = phrase.lower()
    if "year after next" in lower:
        return base_date.year + 2
    match = _RELATIVE.search(lower) or _IN_YEARS.search(lower)
    if match is None:
        return None
    import dateparser  # type: ignore[import-untyped]

    text = match.group(0)
    in_years = _IN_YEARS.search(text)
    if in_years:
        text = f"in {in_years.group(1)} years"
    parsed = dateparser.parse(
        text, languages=["en"], settings={"RELATIVE_BASE": base_date, "PREFER_DATES_FROM": "future"}
    )
    return parsed.year if parsed else None


def _candidates(sent: Any, skip: set[int]) -> list[tuple[Any, str]]:
    """(root token, text) of each time expression in a sentence: DATE entities and bare years."""
    found: list[tuple[Any, str]] = []
    covered: set[int] = set()
    for ent in sent.ents:
        if ent.label_ == "DATE" and not any(t.i in skip for t in ent):
            before = sent.doc[ent.start - 1] if ent.start > sent.start else None
            text = f"{before.text} {ent.text}" if before is not None and before.dep_ == "prep" else ent.text
            if _YEAR.search(text) or _RELATIVE.search(text) or _IN_YEARS.search(text):
                found.append((ent.root, text))
                covered.update(range(ent.start, ent.end))
    for token in sent:
        if token.i not in covered and token.i not in skip and token.like_num and _YEAR.fullmatch(token.text):
            found.append((token, token.text))
    return found


def _path(token: Any) -> list[Any]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 30:
        chain.append(chain[-1].head)
    return chain


def distance(a: Any, b: Any) -> int:
    """Edges between two tokens in the dependency tree."""
    up_a = {t.i: n for n, t in enumerate(_path(a))}
    for n, t in enumerate(_path(b)):
        if t.i in up_a:
            return n + up_a[t.i]
    return 99


def _deadline(anchor: Any, candidates: list[tuple[Any, str]]) -> tuple[Any, str] | None:
    """A "by 2032" / "by the next elections planned for 2029" attached to the figure's verb or noun."""
    for node in _path(anchor)[:4]:
        for prep in node.children:
            if prep.dep_ == "prep" and prep.lower_ in DEADLINE_PREPS:
                inside = {t.i for t in prep.subtree}
                for root, text in candidates:
                    if root.i in inside:
                        return root, text
    return None


def find_period(anchor: Any, skip: set[int], published: str | None, *, target: bool = False) -> int | None:
    """The year the figure at ``anchor`` is for, from its sentence; None when the sentence does not say.

    A target's period is its deadline ("by 2032", "within seven years") or a year right on its verb ("plans to
    spend 2% this year"), never the year it was agreed in ("agreed in 2023 to spend 2%").
    """
    candidates = _candidates(anchor.sent, skip)
    chosen = _deadline(anchor, candidates)
    if chosen is None and candidates:
        scored = sorted(candidates, key=lambda c: (distance(anchor, c[0]), c[0].i < anchor.i))
        if distance(anchor, scored[0][0]) <= (TARGET_DISTANCE if target else MAX_DISTANCE):
            chosen = scored[0]
    if chosen is None:
        return None
    return relative_year(chosen[1], published)
