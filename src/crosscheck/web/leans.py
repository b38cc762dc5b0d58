"""Every story's coverage by lean and the blindspots, computed once per database state for the story lists.

Lean depends on the outlet registry (rater files, resolved in Python), so it cannot be a SQL filter: the home
page's lean and blindspot filters and its bias bars read this index instead. It is rebuilt when the database
changes (articles, stories or imported rater files: :func:`~crosscheck.storage.ratings.database_state`).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from crosscheck.settings import Settings
from crosscheck.sources.assess import Assessor
from crosscheck.sources.blindspot import blindspots as find_blindspots
from crosscheck.sources.coverage import Coverage, all_coverage, story_coverage
from crosscheck.storage.connection import Connection
from crosscheck.storage.ratings import database_state

SIDES = ("left", "center", "right", "unrated")
StoryLean = Literal["left", "center", "right", "mixed", "unrated"]
LEANS: tuple[StoryLean, ...] = ("left", "center", "right", "mixed", "unrated")


@dataclass(frozen=True)
class SideCounts:
    """A story's independent reports per side (left, center, right; ``unrated``: no bias rating)."""

    left: int = 0
    center: int = 0
    right: int = 0
    unrated: int = 0

    @property
    def total(self) -> int:
        return self.left + self.center + self.right + self.unrated

    @property
    def rated(self) -> int:
        return self.left + self.center + self.right

    def items(self) -> list[tuple[str, int]]:
        """(side, reports) in display order, the unrated last."""
        return [(s, getattr(self, s)) for s in SIDES]

    @property
    def lean(self) -> StoryLean:
        """The side with the most rated reports; ``mixed`` on a tie, ``unrated`` with no rated report."""
        if not self.rated:
            return "unrated"
        ranked = sorted(((self.left, "left"), (self.center, "center"), (self.right, "right")), reverse=True)
        return "mixed" if ranked[0][0] == ranked[1][0] else ranked[0][1]  # type: ignore[return-value]


def side_counts(coverage: Coverage) -> SideCounts:
    """The independent reports of one story's coverage per side."""
    counts = Counter(a.side or "unrated" for a in coverage.reports)
    return SideCounts(**{s: counts.get(s, 0) for s in SIDES})


@dataclass(frozen=True)
class LeanIndex:
    """Every story's coverage and side counts, the ids of the blindspot stories, and whether rater files are
    imported (``rated``)."""

    coverages: dict[int, Coverage]
    sides: dict[int, SideCounts]
    blindspots: frozenset[int]
    rated: bool

    def matching(self, lean: str, blindspots_only: bool) -> set[int]:
        """The story ids with this lean (``""``: any) that are blindspots if ``blindspots_only``."""
        ids = set(self.blindspots) if blindspots_only else set(self.sides)
        return ids if not lean else {i for i in ids if self.of(i).lean == lean}

    def of(self, story_id: int) -> SideCounts:
        return self.sides.get(story_id, SideCounts())


_CACHE: dict[tuple[object, ...], LeanIndex] = {}
_LOCK = threading.Lock()


def build_index(conn: Connection, settings: Settings) -> LeanIndex:
    """The index, computed now (every story's coverage: a second or so per ten thousand articles)."""
    assessor = Assessor(conn)
    coverages = all_coverage(conn, assessor)
    _, found = find_blindspots(coverages, settings)
    sides = {sid: side_counts(c) for sid, c in coverages.items()}
    return LeanIndex(coverages, sides, frozenset(b.story_id for b in found), not assessor.empty)


def _key(conn: Connection, settings: Settings) -> tuple[object, ...]:
    rule = tuple(getattr(settings, k) for k in Settings.documentation() if k.startswith("blindspot_"))
    return (*database_state(conn), *rule)


def lean_index(conn: Connection, settings: Settings) -> LeanIndex:
    """The index of the database behind ``conn``, from the cache while the database is unchanged."""
    key = _key(conn, settings)
    with _LOCK:  # one build at a time: concurrent requests wait for it rather than repeat it
        if key not in _CACHE:
            if len(_CACHE) >= 4:
                _CACHE.clear()
            _CACHE[key] = build_index(conn, settings)
        return _CACHE[key]


def cached_coverage(conn: Connection, story_id: int, settings: Settings) -> Coverage:
    """One story's coverage from the index when it is built for the database as it is now (the same as
    :func:`~crosscheck.sources.coverage.story_coverage`, without assessing its articles again on every page view),
    else assessed alone: a story page never waits for the index of every story after a change."""
    with _LOCK:
        index = _CACHE.get(_key(conn, settings))
    found = index.coverages.get(story_id) if index is not None else None
    return found if found is not None else story_coverage(conn, story_id)
