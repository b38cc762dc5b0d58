"""Candidate search: which stories might a new article belong to, without scanning them all.

An inverted index maps each story's strongest terms and entities to the story; an article's own strongest
features look up their stories, and the date filter drops those too far away in time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from crosscheck.storage.store import StoryState

INDEXED_TERMS = 40  # strongest features of a story kept in the inverted index
MAX_POSTINGS = 2000  # a feature shared by more stories than this is too common to find candidates with


def day_number(day: str | None) -> int | None:
    """Days since 0001-01-01 of an ISO date (or date-time) string; None when undated or malformed."""
    if not day:
        return None
    try:
        return date.fromisoformat(day[:10]).toordinal()
    except ValueError:
        return None


def day_gap(day: int | None, first: int | None, last: int | None) -> int:
    """Days between ``day`` and the span [first, last]; 0 when either side is undated."""
    if day is None or first is None or last is None:
        return 0
    if day < first:
        return first - day
    return max(0, day - last)


class StoryIndex:
    """The stories known to the clusterer, with an inverted index from features to stories."""

    def __init__(self) -> None:
        self.states: dict[int, StoryState] = {}
        self._postings: defaultdict[int, set[int]] = defaultdict(set)
        self._indexed: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self.states)

    def put(self, state: StoryState) -> None:
        """Add or refresh a story and its index entries."""
        for feature in self._indexed.get(state.id, []):
            self._postings[feature].discard(state.id)
        strongest = sorted(state.terms, key=lambda f: state.terms[f], reverse=True)[:INDEXED_TERMS]
        for feature in strongest:
            self._postings[feature].add(state.id)
        self._indexed[state.id] = strongest
        self.states[state.id] = state

    def candidates(self, features: list[int], day: int | None, max_gap_days: int, limit: int = 50) -> list[StoryState]:
        """Stories sharing at least one of ``features``, at most ``max_gap_days`` away, most shared first."""
        shared: Counter[int] = Counter()
        for feature in features:
            postings = self._postings.get(feature)
            if postings and len(postings) <= MAX_POSTINGS:
                shared.update(postings)
        found: list[StoryState] = []
        for story_id, _ in shared.most_common():
            state = self.states[story_id]
            gap = day_gap(day, day_number(state.first_seen), day_number(state.last_seen))
            if gap <= max_gap_days:
                found.append(state)
                if len(found) >= limit:
                    break
        return found
