"""Coverage at a glance: the one-line verdict and the lean, factuality and owner-type bars at the top of a story.

Only numbers and labels leave here (the template draws each bar as SVG rects and repeats every number in words),
so the page needs no script and no inline style.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosscheck.sources.coverage import UNKNOWN, UNRATED, Coverage, Distribution
from crosscheck.sources.scales import side

OWNER_KIND_COLOURS = 6  # owner types get kind-0 … kind-5 in the stylesheet, in order of their share


@dataclass(frozen=True)
class Part:
    """One category's stretch of a bar, in percent of the bar's width, with its CSS class."""

    label: str
    count: int
    x: float
    width: float
    css: str


@dataclass(frozen=True)
class Bar:
    """One stacked bar: what it measures and its parts (the unrated or unknown last)."""

    caption: str
    parts: list[Part]
    total: int


@dataclass(frozen=True)
class Glance:
    """What a reader sees of a story's coverage before anything else."""

    verdict: str
    bars: list[Bar]


def _bar(caption: str, counts: dict[str, int], css: dict[str, str]) -> Bar:
    total = sum(counts.values())
    parts, x = [], 0.0
    for label, n in counts.items():
        if n:
            width = 100 * n / total
            parts.append(Part(label, n, round(x, 3), round(width, 3), css[label]))
            x += width
    return Bar(caption, parts, total)


def _lean_counts(d: Distribution) -> dict[str, int]:
    counts = {"left": 0, "center": 0, "right": 0, UNRATED: 0}
    for value, n in d.counts.items():
        counts[side(None if value == UNRATED else value) or UNRATED] += n
    return counts


def _css_by_order(counts: dict[str, int], prefix: str, grey: str) -> dict[str, str]:
    known = [k for k in counts if k not in (UNRATED, UNKNOWN)]
    return {**{k: f"{prefix}-{i % OWNER_KIND_COLOURS}" for i, k in enumerate(known)}, UNRATED: grey, UNKNOWN: grey}


def verdict(lean: dict[str, int]) -> str:
    """The largest side's share of all independent reports, e.g. "45% of reports from center outlets"."""
    total = sum(lean.values())
    rated = {k: n for k, n in lean.items() if k != UNRATED and n}
    if not total:
        return "No independent report yet"
    if not rated:
        return "No report comes from an outlet with a lean rating"
    top = max(rated, key=lambda k: (rated[k], k == "center"))
    line = f"{rated[top] / total:.0%} of reports from {top} outlets"
    if lean[UNRATED]:
        line += f"; {lean[UNRATED] / total:.0%} unrated"
    return line


def glance(coverage: Coverage) -> Glance | None:
    """The verdict and bars of a story's coverage; None while no rater file is imported."""
    if coverage.registry_empty:
        return None
    d = coverage.distributions
    lean = _lean_counts(d["bias_by_report"])
    facts = d["factuality_by_report"].counts
    kinds = d["owner_kinds_by_report"].counts
    bars = [
        _bar("Lean", lean, {k: f"side-{k}" for k in lean}),
        _bar("Factual reporting", facts, {**_css_by_order(facts, "fact", "side-unrated")}),
        _bar("Owner type", kinds, _css_by_order(kinds, "kind", "side-unrated")),
    ]
    return Glance(verdict(lean), bars)
