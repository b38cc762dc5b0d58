"""A subject's figures over time, laid out for an inline SVG chart (the template draws it; no script).

Reported figures with a year are dots, targets and forecasts with a year are rings, and the latest edition of
the reference figures for each year is a line, so a reader sees at a glance which quoted figures sit on the
official series and which do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crosscheck.claims.kinds import REPORTED
from crosscheck.figures import ReferenceFigure, StoredClaim, format_figure

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36


@dataclass(frozen=True)
class Dot:
    """One plotted figure: where it goes, whether it is reported, and what its tooltip says."""

    x: float
    y: float
    reported: bool
    label: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass
class Chart:
    """Everything the SVG needs, in pixel coordinates."""

    width: int = WIDTH
    height: int = HEIGHT
    dots: list[Dot] = field(default_factory=list)
    reference_points: str = ""  # the SVG polyline of the reference series
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT


def _nice_step(span: float) -> float:
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 1e3, 1e4, 1e6, 1e9, 1e10, 1e11, 1e12):
        if span / step <= 6:
            return step
    return span / 5


def build_chart(claims: list[StoredClaim], references: list[ReferenceFigure], unit: str) -> Chart | None:
    """The chart of the claims (of one subject and unit) that have a year, with the reference series."""
    dated = [c for c in claims if c.claim.period is not None and c.claim.unit == unit]
    latest: dict[int, ReferenceFigure] = {}
    for ref in references:
        if ref.unit == unit and (
            ref.year not in latest or (ref.edition_date or "") >= (latest[ref.year].edition_date or "")
        ):
            latest[ref.year] = ref
    if not dated and not latest:
        return None
    years = [int(c.claim.period or 0) for c in dated] + list(latest)
    values = [c.claim.value for c in dated] + [r.value for r in latest.values()] + [0.0]
    x0, x1 = min(years) - 1, max(years) + 1
    step = _nice_step(max(values) or 1)
    top = step * (int(max(values) / step) + 1)
    chart = Chart()

    def x(year: float) -> float:
        return round(LEFT + (year - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT), 1)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - value / top * (HEIGHT - TOP - BOTTOM), 1)

    for c in dated:
        figure = format_figure(c.claim.value, c.claim.value_high, unit)
        text = f"{figure} in {c.claim.period} ({c.claim.kind}) — {c.outlet}"
        chart.dots.append(Dot(x(c.claim.period or 0), y(c.claim.value), c.claim.kind == REPORTED, text))
    points = [(x(year), y(latest[year].value)) for year in sorted(latest)]
    if len(points) == 1:  # a polyline of one point draws nothing: a short level line across its year
        year = next(iter(latest))
        points = [(x(year - 0.4), points[0][1]), (x(year + 0.4), points[0][1])]
    chart.reference_points = " ".join(f"{px},{py}" for px, py in points)
    year_step = max(1, (x1 - x0) // 8)
    chart.x_ticks = [Tick(x(yr), str(yr)) for yr in range(x0 + 1, x1, year_step)]
    chart.y_ticks = [Tick(y(i * step), format_figure(i * step, None, unit).replace(" of GDP", ""))
                     for i in range(int(top / step) + 1)]  # fmt: skip
    return chart
