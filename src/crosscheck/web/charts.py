"""Charts laid out in Python for inline SVG (the templates draw them; no script, no external library).

Only numbers and labels leave here; the templates escape every label. Each chart also has a table or a text
form, so colour never carries meaning alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from crosscheck.web.leans import SIDES, SideCounts

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 10, 12, 34
MAX_GAPLESS_DAYS = 120  # longer spans show only the days with articles, so bars stay visible
X_LABELS = 6


@dataclass(frozen=True)
class Segment:
    """One side's part of one day's bar, in pixels, with its tooltip."""

    x: float
    y: float
    width: float
    height: float
    side: str
    title: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class DayRow:
    """One day of the timeline's table: articles per side and in all."""

    day: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Timeline:
    """Articles per day by lean: the bars, the axes and the same numbers as table rows."""

    segments: list[Segment]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    rows: list[DayRow]
    gapless: bool
    undated: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    right_edge: int = WIDTH - RIGHT

    @property
    def totals(self) -> dict[str, int]:
        """Articles per side over every dated day."""
        return {s: sum(r.counts[s] for r in self.rows) for s in SIDES}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _days(found: Iterable[date]) -> tuple[list[date], bool]:
    seen = sorted(set(found))
    span = (seen[-1] - seen[0]).days + 1
    if span > MAX_GAPLESS_DAYS:
        return seen, False
    return [seen[0] + timedelta(days=i) for i in range(span)], True


def _y_ticks(peak: int, scale: float) -> list[Tick]:
    values = sorted({0, peak, peak // 2} if peak >= 4 else set(range(peak + 1)))
    return [Tick(round(HEIGHT - BOTTOM - v * scale, 1), str(v)) for v in values]


def _x_ticks(days: list[date], slot: float) -> list[Tick]:
    step = max(1, -(-len(days) // X_LABELS))
    picked = list(range(0, len(days), step))
    ticks = []
    for i in picked:
        label = days[i].isoformat() if i == 0 else days[i].strftime("%m-%d")
        ticks.append(Tick(round(LEFT + (i + 0.5) * slot, 1), label))
    return ticks


def _segments(rows: list[DayRow], slot: float, scale: float) -> list[Segment]:
    width = round(max(1.0, slot * 0.8), 2)
    segments = []
    for i, row in enumerate(rows):
        x = round(LEFT + i * slot + (slot - width) / 2, 2)
        top = float(HEIGHT - BOTTOM)
        for side in SIDES:
            n = row.counts[side]
            if n:
                height = n * scale
                top -= height
                noun = "article" if n == 1 else "articles"
                title = f"{row.day}: {n} {noun} from {side} outlets" if side != "unrated" else (
                    f"{row.day}: {n} unrated {noun}")  # fmt: skip
                segments.append(Segment(x, round(top, 2), width, round(height, 2), side, title))
    return segments


def build_timeline(articles: Iterable[tuple[str | None, str | None]]) -> Timeline | None:
    """The timeline of (published, side) pairs (side None: unrated); None when no article has a date."""
    per_day: dict[date, Counter[str]] = {}
    undated = 0
    for published, side in articles:
        day = _day(published)
        if day is None:
            undated += 1
            continue
        per_day.setdefault(day, Counter())[side or "unrated"] += 1
    if not per_day:
        return None
    days, gapless = _days(per_day)
    empty: Counter[str] = Counter()
    rows = [DayRow(d.isoformat(), {s: per_day.get(d, empty)[s] for s in SIDES}) for d in days]
    peak = max(r.total for r in rows)
    scale = (HEIGHT - TOP - BOTTOM) / peak
    slot = (WIDTH - LEFT - RIGHT) / len(rows)
    return Timeline(_segments(rows, slot, scale), _x_ticks(days, slot), _y_ticks(peak, scale),
                    [r for r in rows if r.total], gapless, undated)  # fmt: skip


@dataclass(frozen=True)
class BarPart:
    """One side's share of a bias bar, in percent of the bar's width (an SVG ``viewBox`` of 100 wide)."""

    side: str
    count: int
    x: float
    width: float


def bias_bar(counts: SideCounts) -> list[BarPart]:
    """A story's independent reports per side as consecutive bar parts (sides without reports left out)."""
    total = counts.total
    parts, x = [], 0.0
    for side, n in counts.items():
        if n and total:
            width = round(100 * n / total, 3)
            parts.append(BarPart(side, n, round(x, 3), width))
            x += width
    return parts
