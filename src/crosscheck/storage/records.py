"""Read-side records returned by the store to the CLI, the web UI and exports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Bullet:
    """One summary bullet and the articles it was drawn from."""

    text: str
    article_ids: list[int]
    day: str | None = None  # the day of the report it was taken from, when the story spans several days


@dataclass(frozen=True)
class ArticleRecord:
    id: int
    external_id: str
    url: str | None
    outlet: str
    outlet_domain: str | None
    title: str
    title_derived: bool
    published: str | None
    authors: list[str]
    story_id: int | None
    duplicate_of: int | None
    duplicate_kind: str | None
    partial: bool
    truncated: bool
    format: str
    location: str
    ingested_at: str
    note: str | None = None  # "republished by …" when it was read from another site than its publisher's

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StoryRecord:
    id: int
    headline: str
    bullets: list[Bullet]
    why: list[str]
    first_seen: str | None
    last_seen: str | None
    article_count: int
    report_count: int
    outlet_count: int
    updated_at: str
    article_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["bullets"] = [b.text for b in self.bullets]
        data["bullet_sources"] = [b.article_ids for b in self.bullets]
        return data


@dataclass(frozen=True)
class EntityCount:
    """An entity and the number of articles that mention it."""

    name: str
    label: str
    articles: int


@dataclass(frozen=True)
class SearchHit:
    article: ArticleRecord
    snippet: str  # FTS5 snippet with [[ and ]] around matches; escape before display
