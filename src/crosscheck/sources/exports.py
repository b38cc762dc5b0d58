"""The rating fields that ``export articles`` and ``export stories`` add to their rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from crosscheck.settings import Settings
from crosscheck.sources.assess import Assessor
from crosscheck.sources.blindspot import blindspots
from crosscheck.sources.coverage import all_coverage, build_coverage


def article_fields(conn: sqlite3.Connection) -> Callable[[str | None, str, str | None], dict[str, Any]]:
    """A function giving an article's ``bias``, ``factuality`` (combined; None when unrated) and ``owner``
    from its outlet domain, outlet name and URL."""
    assessor = Assessor(conn)

    def fields(domain: str | None, outlet: str, url: str | None) -> dict[str, Any]:
        found = assessor.assess(domain, outlet, url)
        return {"bias": found.bias, "factuality": found.factuality, "owner": found.owner}

    return fields


def story_fields(conn: sqlite3.Connection, settings: Settings | None = None) -> Callable[[int], dict[str, Any]]:
    """A function giving a story's ``coverage`` (its distributions, unrated counts and blindspot, if any)."""
    assessor = Assessor(conn)
    coverages = all_coverage(conn, assessor)
    _, found = blindspots(coverages, settings or Settings.from_env())
    by_story = {b.story_id: b for b in found}

    def fields(story_id: int) -> dict[str, Any]:
        coverage = coverages.get(story_id) or build_coverage(story_id, [], assessor.empty)
        blindspot = by_story.get(story_id)
        return {"coverage": {**coverage.to_dict(), "blindspot": blindspot.to_dict() if blindspot else None}}

    return fields
