"""Coverage details of a story: who covered it by lean, factuality, owner and country, and what is unrated.

Every distribution counts the unrated too ("unrated" is a category, never dropped), by article and by
independent report (duplicates counted once). Owners, kinds of owner and countries are counted by independent
report. Side by side lists the headlines of the independent reports from the left, the center and the right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crosscheck.sources.assess import Assessment, Assessor
from crosscheck.sources.scales import BIAS, FACTUALITY, side
from crosscheck.storage import ratings as db
from crosscheck.storage.connection import Connection
from crosscheck.storage.ratings import ArticleRow

UNRATED = "unrated"
UNKNOWN = "unknown"
SIDES = ("left", "center", "right")


@dataclass(frozen=True)
class RatedArticle:
    """An article of a story with the ratings of its outlet; ``number`` is its place in the story's list."""

    number: int
    article: ArticleRow
    assessment: Assessment

    @property
    def is_report(self) -> bool:
        """Whether it is an independent report (not a copy of another article)."""
        return self.article.duplicate_of is None

    @property
    def side(self) -> str | None:
        return side(self.assessment.bias)


@dataclass(frozen=True)
class Distribution:
    """Counts per category, in display order, with the unrated last."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rated(self) -> int:
        return self.total - self.counts.get(UNRATED, 0) - self.counts.get(UNKNOWN, 0)

    def rows(self) -> list[tuple[str, int, float]]:
        """(category, count, share of all) for every category, the unrated (or unknown) last."""
        total = self.total or 1
        return [(k, n, n / total) for k, n in self.counts.items()]


def _scale_distribution(values: Iterable[str | None], steps: Sequence[str]) -> Distribution:
    counts = Counter(v or UNRATED for v in values)
    return Distribution({k: counts.get(k, 0) for k in (*steps, UNRATED)})


def _text_distribution(values: Iterable[str | None]) -> Distribution:
    counts = Counter(v or UNKNOWN for v in values)
    known = sorted((k for k in counts if k != UNKNOWN), key=lambda k: (-counts[k], k.casefold()))
    return Distribution({**{k: counts[k] for k in known}, UNKNOWN: counts.get(UNKNOWN, 0)})


@dataclass(frozen=True)
class OutletRatings:
    """One outlet of a story, the numbers of its articles there, and its ratings."""

    name: str
    domain: str | None
    numbers: list[int]
    assessment: Assessment


@dataclass(frozen=True)
class Coverage:
    """Everything the coverage panel, the export and the blindspot rule need of one story."""

    story_id: int
    articles: list[RatedArticle]
    registry_empty: bool
    distributions: dict[str, Distribution] = field(default_factory=dict)

    @property
    def reports(self) -> list[RatedArticle]:
        return [a for a in self.articles if a.is_report]

    def unrated(self) -> list[tuple[RatedArticle, str]]:
        """Articles missing a bias or a factuality rating, each with why."""
        found = []
        for item in self.articles:
            reasons = item.assessment.reasons
            missing = [d for d in ("bias", "factuality") if d in reasons]
            if missing:
                why = {reasons[d] for d in missing}
                text = reasons[missing[0]] if len(why) == 1 else "; ".join(f"{d}: {reasons[d]}" for d in missing)
                found.append((item, f"no {' or '.join(missing)}: {text}"))
        return found

    def sides(self) -> dict[str, list[RatedArticle]]:
        """The independent reports of each side (left, center, right), for side-by-side headlines."""
        return {s: [a for a in self.reports if a.side == s] for s in SIDES}

    def outlets(self) -> list[OutletRatings]:
        """The story's outlets with their ratings, most articles first; an outlet whose sections are rated
        differently (news and opinion) appears once per rating."""
        rows: dict[tuple[str, str | None, str | None, str | None], list[RatedArticle]] = {}
        for item in self.articles:
            a = item.assessment
            rows.setdefault((item.article.outlet, item.article.domain, a.bias, a.factuality), []).append(item)
        found = [OutletRatings(k[0], k[1], [i.number for i in v], v[0].assessment) for k, v in rows.items()]
        return sorted(found, key=lambda o: (-len(o.numbers), o.name.casefold()))

    def to_dict(self) -> dict[str, Any]:
        """The coverage numbers for exports: counts per category (unrated included)."""
        return {
            "articles": len(self.articles),
            "reports": len(self.reports),
            "ratings_imported": not self.registry_empty,
            **{name: dict(d.counts) for name, d in self.distributions.items()},
            "unrated_articles": {
                dim: sum(1 for a in self.articles if dim in a.assessment.reasons) for dim in ("bias", "factuality")
            },
        }


def build_coverage(story_id: int, items: list[RatedArticle], registry_empty: bool) -> Coverage:
    """A story's coverage from its rated articles (in list order)."""
    reports = [a for a in items if a.is_report]
    distributions = {
        "bias_by_article": _scale_distribution((a.assessment.bias for a in items), BIAS),
        "bias_by_report": _scale_distribution((a.assessment.bias for a in reports), BIAS),
        "factuality_by_article": _scale_distribution((a.assessment.factuality for a in items), FACTUALITY),
        "factuality_by_report": _scale_distribution((a.assessment.factuality for a in reports), FACTUALITY),
        "owners_by_report": _text_distribution(a.assessment.owner for a in reports),
        "owner_kinds_by_report": _text_distribution(a.assessment.values.get("owner_kind") for a in reports),
        "countries_by_report": _text_distribution(a.assessment.values.get("country") for a in reports),
    }
    return Coverage(story_id, items, registry_empty, distributions)


def rate(assessor: Assessor, rows: Sequence[ArticleRow]) -> list[RatedArticle]:
    """Assess each article; numbers count from 1 in the given order."""
    assessor.preload((r.domain, r.outlet) for r in rows)
    return [RatedArticle(i, r, assessor.assess(r.domain, r.outlet, r.url)) for i, r in enumerate(rows, 1)]


def story_coverage(conn: Connection, story_id: int, assessor: Assessor | None = None) -> Coverage:
    """The coverage of one story."""
    assessor = assessor or Assessor(conn)
    items = rate(assessor, db.article_rows(conn, story_id))
    return build_coverage(story_id, items, assessor.empty)


def all_coverage(conn: Connection, assessor: Assessor | None = None) -> dict[int, Coverage]:
    """The coverage of every story that has articles, by story id."""
    assessor = assessor or Assessor(conn)
    rows = db.article_rows(conn)
    assessor.preload((r.domain, r.outlet) for r in rows)
    by_story: dict[int, list[ArticleRow]] = {}
    for row in rows:
        if row.story_id is not None:
            by_story.setdefault(row.story_id, []).append(row)
    return {sid: build_coverage(sid, rate(assessor, members), assessor.empty) for sid, members in by_story.items()}
