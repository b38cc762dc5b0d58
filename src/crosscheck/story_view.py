"""One story as every reader sees it: the read model that the story page, the JSON API, the downloads and the
exports all render.

Storage returns plain records; this module composes them with the domain once: each article's outlet ratings and
the story's coverage (:mod:`crosscheck.sources`), its blindspot, its entities with their surface forms folded
(:mod:`crosscheck.entities`) and its figures ledger (:mod:`crosscheck.claims`). The renderers choose what to show
and how; none of them reads a story from the database itself. A renderer of the figures alone reads only them
(:func:`read_story_figures`): the same records and ledger, without the articles' ratings and the coverage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from crosscheck.claims.ledger import LedgerRow, build_ledger, reference_lookup
from crosscheck.entities.canonical import story_entities
from crosscheck.figures import StoredClaim
from crosscheck.settings import Settings
from crosscheck.sources.assess import Assessment
from crosscheck.sources.blindspot import Blindspot, story_blindspot
from crosscheck.sources.coverage import SIDES, Coverage, story_coverage
from crosscheck.sources.scales import side
from crosscheck.storage import ArticleRecord, EntityCount, Reader, StoryRecord
from crosscheck.storage.claims import ClaimReader
from crosscheck.storage.reader import STORED_STORY_ENTITIES

EXCERPT_CHARS = 280  # the opening of each article the story page shows
API_ENTITIES = 30  # the entities the JSON API lists (the page shows all it has: up to STORED_STORY_ENTITIES)
DEVELOPMENT_FIELDS = ("id", "headline", "first_seen", "last_seen", "article_count")
BLINDSPOT_FIELDS = ("missing", "rated_reports", "missing_reports", "other_side_reports", "base_rate", "probability",
                    "low_factuality", "low_factuality_share")  # fmt: skip
SCALE_DISTRIBUTIONS = ("bias_by_article", "bias_by_report", "factuality_by_article", "factuality_by_report")


def excerpt(text: str, chars: int = EXCERPT_CHARS) -> str:
    """``text`` collapsed to one line and cut to at most ``chars`` characters at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= chars:
        return flat
    cut = flat[:chars].rsplit(" ", 1)[0] or flat[:chars]
    return cut.rstrip(" ,;:") + " …"


def coverage_fields(coverage: Coverage, blindspot: Blindspot | None) -> dict[str, Any]:
    """A story's coverage numbers with its blindspot (None when it is none), as the API and exports give them."""
    return {**coverage.to_dict(), "blindspot": blindspot.to_dict() if blindspot else None}


@dataclass(frozen=True)
class StoryArticle:
    """An article in the story's list: its number (from 1, oldest first, undated last), the stored record, the
    ratings of its outlet and its opening lines."""

    number: int
    record: ArticleRecord
    assessment: Assessment
    excerpt: str

    @property
    def side(self) -> str | None:
        """Left, center or right by its outlet's bias; None when unrated."""
        return side(self.assessment.bias)

    def row(self) -> dict[str, Any]:
        """The flat row the downloads give (CSV and the story's JSON file)."""
        a = self.record
        return {
            "number": self.number, "article_id": a.id, "title": a.title, "outlet": a.outlet,
            "outlet_domain": a.outlet_domain, "lean": self.assessment.bias or "unrated", "side": self.side or "unrated",
            "factuality": self.assessment.factuality or "unrated", "published": a.published,
            "independent": a.duplicate_of is None, "duplicate_of": a.duplicate_of,
            "duplicate_kind": a.duplicate_kind, "url": a.url,
        }  # fmt: skip


@dataclass(frozen=True)
class RatedStory:
    """A story's record with its coverage by rated outlets and its blindspot: what ``export stories`` gives of
    every story, and the core of :class:`StoryView`."""

    record: StoryRecord
    coverage: Coverage
    blindspot: Blindspot | None

    def coverage_dict(self) -> dict[str, Any]:
        return coverage_fields(self.coverage, self.blindspot)

    def export_row(self) -> dict[str, Any]:
        """The row of ``export stories``: the record's fields and ``coverage``."""
        return {**self.record.to_dict(), "coverage": self.coverage_dict()}

    def flat_row(self) -> dict[str, Any]:
        """The row of ``export stories --format csv``: the record's fields and the coverage spread over columns of
        single values, the same columns for every story (docs/cli.md lists them)."""
        coverage = self.coverage
        sides = {side: len(reports) for side, reports in coverage.sides().items()}
        row: dict[str, Any] = {**self.record.to_dict(), **{f"lean_{side}": sides[side] for side in SIDES}}
        row["lean_unrated"] = len(coverage.reports) - sum(sides.values())
        row.update(coverage_articles=len(coverage.articles), coverage_reports=len(coverage.reports),
                   ratings_imported=not coverage.registry_empty)  # fmt: skip
        for name, distribution in coverage.distributions.items():
            if name in SCALE_DISTRIBUTIONS:
                row.update({f"{name}_{key.replace(' ', '_')}": n for key, n in distribution.counts.items()})
            else:  # owners and countries: any number of names, so one cell of "name: count" pairs
                row[name] = "; ".join(f"{key}: {n}" for key, n in distribution.counts.items() if n)
        for dimension, n in coverage.to_dict()["unrated_articles"].items():
            row[f"unrated_{dimension}_articles"] = n
        blindspot = self.blindspot.to_dict() if self.blindspot else {}
        row.update({f"blindspot_{key}": blindspot.get(key) for key in BLINDSPOT_FIELDS})
        return row


@dataclass(frozen=True)
class StoryFigures:
    """A story's record with its figures (claims) and their ledger: the part of :class:`StoryView` that the
    figures endpoint and download render."""

    record: StoryRecord
    claims: list[StoredClaim]
    ledger: list[LedgerRow]


@dataclass(frozen=True)
class StoryView(RatedStory):
    """Everything shown of one story: its articles with their outlets' ratings, its entities (up to
    :data:`~crosscheck.storage.reader.STORED_STORY_ENTITIES`), the other developments of its saga, its figures and
    their ledger."""

    articles: list[StoryArticle]
    entities: list[EntityCount]
    developments: list[StoryRecord]
    claims: list[StoredClaim]
    ledger: list[LedgerRow]

    @property
    def records(self) -> list[ArticleRecord]:
        return [a.record for a in self.articles]

    @property
    def figures(self) -> StoryFigures:
        """The story's figures and ledger, as :func:`read_story_figures` reads them alone."""
        return StoryFigures(self.record, self.claims, self.ledger)

    def to_dict(self) -> dict[str, Any]:
        """The story as the JSON API gives it: the record, its articles, entities, coverage and developments."""
        data = self.record.to_dict()
        data["articles"] = [a.record.to_dict() for a in self.articles]
        data["entities"] = [asdict(e) for e in self.entities[:API_ENTITIES]]
        data["coverage"] = self.coverage_dict()
        data["developments"] = [{key: d.to_dict()[key] for key in DEVELOPMENT_FIELDS} for d in self.developments]
        return data

    def article_rows(self) -> list[dict[str, Any]]:
        """One flat row per article, in the story page's order and numbering."""
        return [a.row() for a in self.articles]


def _articles(reader: Reader, story_id: int, coverage: Coverage) -> list[StoryArticle]:
    """The story's articles numbered as its coverage numbers them, each with its assessment and excerpt."""
    records = {r.id: r for r in reader.story_articles(story_id)}
    openings = reader.story_openings(story_id, chars=EXCERPT_CHARS + 40)
    return [
        StoryArticle(item.number, records[item.article.id], item.assessment, excerpt(openings.get(item.article.id, "")))
        for item in coverage.articles
        if item.article.id in records
    ]


def read_story(
    reader: Reader,
    story_id: int,
    settings: Settings,
    *,
    rate: Callable[[int], Coverage] | None = None,
) -> StoryView | None:
    """The story ``story_id`` as every reader shows it; None when there is no such story (redirects of merged
    stories are not followed: see :meth:`~crosscheck.storage.Reader.resolve_story_id`).

    ``rate`` gives a story's coverage (the web passes one that reuses its cache); by default it is assessed now.
    """
    record = reader.story(story_id)
    if record is None:
        return None
    coverage = rate(story_id) if rate is not None else story_coverage(reader.conn, story_id)
    claims, ledger = _figures(reader, story_id)
    return StoryView(
        record=record,
        coverage=coverage,
        blindspot=story_blindspot(reader.conn, coverage, settings),
        articles=_articles(reader, story_id, coverage),
        entities=story_entities(reader, story_id, limit=STORED_STORY_ENTITIES),
        developments=reader.story_developments(story_id),
        claims=claims,
        ledger=ledger,
    )


def read_story_figures(reader: Reader, story_id: int) -> StoryFigures | None:
    """The record, figures and ledger of story ``story_id``, as :func:`read_story` gives them, read without the
    rest of the story; None when there is no such story (redirects are not followed)."""
    record = reader.story(story_id)
    if record is None:
        return None
    claims, ledger = _figures(reader, story_id)
    return StoryFigures(record, claims, ledger)


def _figures(reader: Reader, story_id: int) -> tuple[list[StoredClaim], list[LedgerRow]]:
    figures = ClaimReader(reader.conn)
    claims = figures.story_claims(story_id)
    return claims, build_ledger(claims, reference_lookup(figures))
