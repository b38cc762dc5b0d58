"""The plain data that flows between pipeline stages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

PUBLICATION_ORDER = ("undated", "published", "key")
"""The order an ingest places articles in, as sort columns: dated articles first, oldest first, undated last
(``undated`` is true for an article without a date), ties broken by identity (the article key), never by file
order. Staging, the store's replays and the batch engine all sort by it."""


def publication_order_sql(*, undated: str = "undated", published: str = "published", key: str = "key") -> str:
    """:data:`PUBLICATION_ORDER` as an SQL ``ORDER BY`` list over the given column expressions."""
    columns = {"undated": undated, "published": published, "key": key}
    return ", ".join(columns[name] for name in PUBLICATION_ORDER)


# The outlet of an article whose input names none and whose URL (if any) gives no domain.
UNKNOWN_OUTLET = "unknown outlet"


@dataclass
class ParsedArticle:
    """One article as read from an input, before storage.

    ``published`` is an ISO 8601 date (``YYYY-MM-DD``) or date-time string, or None when the input gives no
    date: crosscheck never invents one. ``source_name`` is the outlet name the input states (a ``source``
    field, a feed title or a site name); the outlet itself is resolved later from the URL first.
    """

    external_id: str
    text: str
    title: str = ""
    title_derived: bool = False
    url: str | None = None
    source_name: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    partial: bool = False
    truncated: bool = False
    format: str = "text"
    location: str = ""
    fetched_at: str | None = None  # pages read back from a web archive: when the page was captured


@dataclass(frozen=True)
class IngestFailure:
    """An input item that could not be read: which item and why."""

    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


@dataclass
class IngestReport:
    """What one ingest run did, for the end-of-run summary."""

    read: int = 0
    added: int = 0
    already_stored: int = 0
    duplicates: int = 0
    stories_touched: int = 0
    stories_created: int = 0
    revisions: int = 0  # later revisions of pages already stored (captures read from web archives)
    failures: list[IngestFailure] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return len(self.failures)

    def add(self, other: IngestReport) -> None:
        """Count another run's results in this one (the stories touched by both are counted twice)."""
        for name in ("read", "added", "already_stored", "duplicates", "stories_touched", "stories_created",
                     "revisions"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)


@dataclass
class StoryState:
    """What the clusterer keeps of a story between articles (and the store keeps between runs)."""

    id: int
    centroid: np.ndarray  # float32 sum of member embeddings
    terms: Mapping[int, float]  # the clusterer keeps them compact (a TermVector)
    first_seen: str | None
    last_seen: str | None
    reports: int
