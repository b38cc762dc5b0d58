"""Read-side records returned by the store to the CLI, the web UI and exports."""

from __future__ import annotations

import re
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
    note: str | None = None  # "republished by …" (read from another site), "credited in the dateline"

    @property
    def shown_location(self) -> str:
        """Where it was read from, as readers see it (:func:`public_location`)."""
        return public_location(self.location)

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready data, ``location`` as readers see it."""
        return {**asdict(self), "location": self.shown_location}


_URL = re.compile(r"^https?://", re.IGNORECASE)


def public_location(location: str) -> str:
    """Where an article was read from, fit to show anyone: a URL as it is; for a local file only its name (with its
    ``:LINE`` or ``#entry-N``), never the folders of the machine that read it."""
    if _URL.match(location):
        return location
    return re.split(r"[\\/]", location)[-1]


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
        data["bullet_days"] = [b.day for b in self.bullets]
        return data


@dataclass(frozen=True)
class EntityCount:
    """An entity and the number of articles that mention it."""

    name: str
    label: str
    articles: int


# The search engines put these around each match in a snippet. They are control characters, which are removed from
# every text before it is stored, so a marker written in an article cannot pass for a match.
MATCH_START = "\x02"
MATCH_END = "\x03"


@dataclass(frozen=True)
class SearchHit:
    """A search result: the article, a snippet of its text (plain text) and the matches in it."""

    article: ArticleRecord
    snippet: str  # raw article text: escape before display
    matches: list[tuple[int, int]] = field(default_factory=list)  # [start, end) character offsets into snippet

    @classmethod
    def from_marked(cls, article: ArticleRecord, marked: str) -> SearchHit:
        """A hit from a snippet with :data:`MATCH_START` and :data:`MATCH_END` around its matches."""
        text: list[str] = []
        matches: list[tuple[int, int]] = []
        length, start = 0, -1
        for part in re.split(f"([{MATCH_START}{MATCH_END}])", marked):
            if part == MATCH_START:
                start = length
            elif part == MATCH_END:
                if start >= 0 and length > start:
                    matches.append((start, length))
                start = -1
            else:
                text.append(part)
                length += len(part)
        return cls(article, "".join(text), matches)
