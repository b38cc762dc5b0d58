"""crosscheck's common rating scales, every rater's own scale mapped onto them, and the combining rule.

Bias is placed on five steps (left … right), factuality on six (very low … very high, MBFC's steps) and
credibility on three. A rater's own value is always kept as given; its common value is what it maps to here, or
None when the rater's value is not a point on the scale (AllSides' "Mixed" or "AllSides" ratings). The combined
value of several raters is their median (see :func:`combine`); docs/ratings.md states the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

BIAS = ("left", "lean left", "center", "lean right", "right")
FACTUALITY = ("very low", "low", "mixed", "mostly factual", "high", "very high")
CREDIBILITY = ("low", "medium", "high")
COMMON_SCALES: dict[str, tuple[str, ...]] = {"bias": BIAS, "factuality": FACTUALITY, "credibility": CREDIBILITY}
# Dimensions that are facts about an outlet rather than points on a scale.
TEXT_DIMENSIONS = ("owner", "owner_kind", "parent", "country")
DIMENSIONS = (*COMMON_SCALES, *TEXT_DIMENSIONS)
LOW_FACTUALITY = frozenset(FACTUALITY[:3])  # "mixed" or below: what marks a low-factuality blindspot
LEFT_SIDE = frozenset(BIAS[:2])
RIGHT_SIDE = frozenset(BIAS[3:])


class ScaleError(ValueError):
    """A rater's value that its scale does not know."""


@dataclass(frozen=True)
class Scale:
    """A rater's own scale: each of its values (normalised) and the common value it maps to."""

    id: str
    dimension: str
    description: str
    mapping: Mapping[str, str | None]

    def common(self, raw: str) -> str | None:
        """The common value of ``raw`` (None when it is not a point on the common scale); ScaleError if unknown."""
        value = normalise_value(raw)
        if value not in self.mapping:
            known = ", ".join(sorted(k for k in self.mapping if k))
            raise ScaleError(f"{raw!r} is not a value of {self.id} ({known})")
        return self.mapping[value]


def normalise_value(raw: str) -> str:
    """Lower case, single spaces, ``_`` as ``-``: "Lean Left" → "lean left", "right_center" → "right-center"."""
    return " ".join(raw.strip().lower().replace("_", "-").split())


def _steps(values: tuple[str, ...], raw: tuple[str, ...]) -> dict[str, str | None]:
    return dict(zip(raw, values, strict=True))


_ALLSIDES = {
    "left": "left", "left-center": "lean left", "lean left": "lean left", "center": "center",
    "right-center": "lean right", "lean right": "lean right", "right": "right",
    "allsides": None, "mixed": None, "not rated": None,
}  # fmt: skip
_MBFC_7 = {
    "extreme-left": "left", "extreme left": "left", "left": "left", "left-center": "lean left",
    "center": "center", "least biased": "center", "right-center": "lean right", "right": "right",
    "extreme-right": "right", "extreme right": "right",
}  # fmt: skip
_OWN_BIAS = {
    **{v: v for v in BIAS}, "lean-left": "lean left", "left-center": "lean left", "center-left": "lean left",
    "lean-right": "lean right", "right-center": "lean right", "center-right": "lean right", "centre": "center",
    **{str(i - 2): v for i, v in enumerate(BIAS)},
}  # fmt: skip
_OWN_FACTUALITY = {
    **{v: v for v in FACTUALITY}, "very-low": "very low", "mostly-factual": "mostly factual",
    "very-high": "very high", **{str(i + 1): v for i, v in enumerate(FACTUALITY)},
}  # fmt: skip

SCALES: dict[str, Scale] = {
    s.id: s
    for s in (
        Scale("allsides-5", "bias", "AllSides: left, lean left, center, lean right, right; Mixed and "
              "AllSides are not on the scale", _ALLSIDES),
        Scale("mbfc-factual-6", "factuality", "MBFC factual reporting 1-6 (very low … very high)",
              {**_steps(FACTUALITY, ("1", "2", "3", "4", "5", "6")), "n/a": None}),
        Scale("mbfc-credibility-3", "credibility", "MBFC credibility 1-3 (low, medium, high)",
              {**_steps(CREDIBILITY, ("1", "2", "3")), "n/a": None}),
        Scale("baly-bias-7", "bias", "MBFC's seven steps as published by Baly et al. 2018; the extremes "
              "join left and right", _MBFC_7),
        Scale("baly-bias-3", "bias", "Baly et al. 2020: left, center, right (MBFC's left and extreme-left "
              "make left)", {"left": "left", "center": "center", "right": "right"}),
        Scale("baly-fact-3", "factuality", "Baly et al.: low, mixed, high (from MBFC)",
              {"low": "low", "mixed": "mixed", "high": "high"}),
        Scale("crosscheck-bias", "bias", "crosscheck's own bias steps (or -2 … 2)", _OWN_BIAS),
        Scale("crosscheck-factuality", "factuality", "crosscheck's own factuality steps (or 1 … 6)",
              _OWN_FACTUALITY),
        Scale("crosscheck-credibility", "credibility", "low, medium, high", {v: v for v in CREDIBILITY}),
    )
}  # fmt: skip
TEXT_SCALE = "text"  # owner, owner kind, country: kept as written


def position(dimension: str, common: str) -> int:
    """The step of a common value: bias −2 … 2, factuality 1 … 6, credibility 1 … 3."""
    steps = COMMON_SCALES[dimension]
    index = steps.index(common)
    return index - 2 if dimension == "bias" else index + 1


def value_at(dimension: str, step: int) -> str:
    """The common value at a step (inverse of :func:`position`)."""
    steps = COMMON_SCALES[dimension]
    return steps[step + 2] if dimension == "bias" else steps[step - 1]


def combine(dimension: str, values: list[str]) -> str | None:
    """The median of common values; a median between two steps goes toward center (bias) or down (the others).

    Toward center: a left and a lean-left rater make "lean left", not "left". Down: a high and a very-high rater
    make "high", so the combined value never credits an outlet with more than both raters grant it.
    """
    steps = sorted(position(dimension, v) for v in values)
    if not steps:
        return None
    middle = len(steps) // 2
    if len(steps) % 2:
        return value_at(dimension, steps[middle])
    total = steps[middle - 1] + steps[middle]
    # Python's int() truncates toward zero, which is toward center on the bias steps.
    step = int(total / 2) if dimension == "bias" else total // 2
    return value_at(dimension, step)


def spread(dimension: str, values: list[str]) -> int | None:
    """How many steps apart the most distant raters are (0: they agree), or None without values."""
    steps = [position(dimension, v) for v in values]
    return max(steps) - min(steps) if steps else None


def side(bias: str | None) -> str | None:
    """left, center or right: the lean steps join their side."""
    if bias is None:
        return None
    return "left" if bias in LEFT_SIDE else "right" if bias in RIGHT_SIDE else "center"


_TEXT_SPACE = re.compile(r"\s+")


def clean_text_value(raw: str, limit: int = 200) -> str:
    """An owner, owner kind or country as written, on one line and at most ``limit`` characters."""
    return _TEXT_SPACE.sub(" ", raw).strip()[:limit]
