"""Blindspots: stories one side of the spectrum largely missed, by a published, testable rule.

Base rates: the share of left (left and lean left) and of right (lean right and right) reports among every
independent report with a bias rating in the database. A story is a *blindspot for the right* when, among its
``n`` independent reports with a bias rating,

1. ``n`` is at least ``blindspot_min_rated_reports``;
2. the right's share is at most ``blindspot_max_share_ratio`` times the right's base rate;
3. so few right reports would be unlikely by chance: the binomial probability of at most that many right
   reports among ``n`` at the base rate is at most ``blindspot_max_probability``;
4. the left has more of those reports than the right (the story leans to the other side: a story only the
   center covered is nobody's blindspot).

The same with the sides swapped makes a blindspot for the left. A blindspot is marked *low factuality* when at
least ``blindspot_low_factuality_share`` of its factuality-rated reports are rated mixed or below.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

from crosscheck.settings import Settings
from crosscheck.sources.assess import Assessor
from crosscheck.sources.coverage import Coverage
from crosscheck.sources.scales import LOW_FACTUALITY, side
from crosscheck.storage import ratings as db
from crosscheck.storage.connection import Connection

_OTHER = {"left": "right", "right": "left"}


@dataclass(frozen=True)
class BaseRates:
    """Each side's share of the rated independent reports in the database."""

    left: float
    right: float
    reports: int

    def of(self, side: str) -> float:
        return self.left if side == "left" else self.right


@dataclass(frozen=True)
class Blindspot:
    """A story one side missed: ``missing`` is the side that missed it (a blindspot *for* that side)."""

    story_id: int
    missing: str
    rated_reports: int
    missing_reports: int
    other_reports: int
    base_rate: float
    probability: float
    low_factuality: bool
    low_factuality_share: float | None

    @property
    def covered_by(self) -> str:
        return _OTHER[self.missing]

    def to_dict(self) -> dict[str, object]:
        """The blindspot's numbers for exports and the API."""
        return {
            "missing": self.missing,
            "rated_reports": self.rated_reports,
            "missing_reports": self.missing_reports,
            "other_side_reports": self.other_reports,
            "base_rate": round(self.base_rate, 4),
            "probability": round(self.probability, 6),
            "low_factuality": self.low_factuality,
            "low_factuality_share": None if self.low_factuality_share is None else round(self.low_factuality_share, 4),
        }


def binomial_at_most(k: int, n: int, p: float) -> float:
    """P(X ≤ k) for X ~ Binomial(n, p)."""
    return min(1.0, sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1)))


def base_rates(coverages: dict[int, Coverage]) -> BaseRates:
    """Each side's share of every rated independent report of every story."""
    sides = [r.side for c in coverages.values() for r in c.reports if r.side]
    total = len(sides)
    if not total:
        return BaseRates(0.0, 0.0, 0)
    return BaseRates(sides.count("left") / total, sides.count("right") / total, total)


def _low_factuality(coverage: Coverage, settings: Settings) -> tuple[bool, float | None]:
    rated = [r.assessment.factuality for r in coverage.reports if r.assessment.factuality]
    if not rated:
        return False, None
    share = sum(1 for f in rated if f in LOW_FACTUALITY) / len(rated)
    return share >= settings.blindspot_low_factuality_share, share


def detect(coverage: Coverage, base: BaseRates, settings: Settings) -> Blindspot | None:
    """The story's blindspot by the rule above, or None."""
    sides = [r.side for r in coverage.reports if r.side]
    n = len(sides)
    if n < settings.blindspot_min_rated_reports or not base.reports:
        return None
    for missing, other in _OTHER.items():
        k, rate = sides.count(missing), base.of(missing)
        if rate <= 0 or k / n > settings.blindspot_max_share_ratio * rate:
            continue
        probability = binomial_at_most(k, n, rate)
        if probability > settings.blindspot_max_probability or sides.count(other) <= k:
            continue
        low, share = _low_factuality(coverage, settings)
        return Blindspot(coverage.story_id, missing, n, k, sides.count(other), rate, probability, low, share)
    return None


def blindspots(coverages: dict[int, Coverage], settings: Settings) -> tuple[BaseRates, list[Blindspot]]:
    """The base rates and every story's blindspot, most certain first."""
    base = base_rates(coverages)
    found = [b for c in coverages.values() if (b := detect(c, base, settings))]
    return base, sorted(found, key=lambda b: (b.probability, -b.rated_reports, b.story_id))


_BASE_CACHE: dict[tuple[object, ...], BaseRates] = {}


def corpus_base_rates(conn: Connection, assessor: Assessor) -> BaseRates:
    """The base rates of the whole database, without building every story's coverage.

    Cached per database state (articles, stories and imports), since every story page needs them.
    """
    state = db.database_state(conn)
    if state not in _BASE_CACHE:
        if len(_BASE_CACHE) > 16:
            _BASE_CACHE.clear()
        _BASE_CACHE[state] = _count_sides(conn, assessor)
    return _BASE_CACHE[state]


def _count_sides(conn: Connection, assessor: Assessor) -> BaseRates:
    rows = [r for r in db.article_rows(conn) if r.duplicate_of is None]
    assessor.preload((r.domain, r.outlet) for r in rows)
    sides = [s for r in rows if (s := side(assessor.assess(r.domain, r.outlet, r.url).bias))]
    if not sides:
        return BaseRates(0.0, 0.0, 0)
    return BaseRates(sides.count("left") / len(sides), sides.count("right") / len(sides), len(sides))


def story_blindspot(conn: Connection, coverage: Coverage, settings: Settings) -> Blindspot | None:
    """One story's blindspot against the whole database's base rates."""
    if coverage.registry_empty:
        return None
    return detect(coverage, corpus_base_rates(conn, Assessor(conn)), settings)
