"""Candidate search: which stories might a new article belong to.

Two complementary lookups: an inverted index from each story's strongest terms and entities to the story (finds
stories sharing distinctive words), and the stories whose embedding centroids are nearest to the article's
embedding (finds stories worded differently, and works while the corpus is too small for term weights to mean
much). Both drop stories too far away in time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import numpy as np

from crosscheck.clustering.lexical import TermVector
from crosscheck.models import StoryState

INDEXED_TERMS = 80  # strongest features of a story kept in the inverted index
MAX_POSTINGS = 2000  # a feature shared by more stories than this is too common to find candidates with
DENSE_CANDIDATES = 10  # nearest story centroids added to the candidates
UNDATED = -1  # stands for "no date" in the day arrays
REMOVED = -2  # a merged story's row
NO_FEATURES = np.zeros(0, dtype=np.int32)


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


def span_gap(first: int | None, last: int | None, other_first: int | None, other_last: int | None) -> int:
    """Days between two date spans; 0 when they overlap or either is undated."""
    if first is None or last is None or other_first is None or other_last is None:
        return 0
    return max(0, other_first - last, first - other_last)


class StoryIndex:
    """The stories known to the clusterer, with an inverted index from features to stories."""

    def __init__(self) -> None:
        self.states: dict[int, StoryState] = {}
        # Lists, not sets: most features index one or two stories, and a set of one costs 216 bytes.
        self._postings: defaultdict[int, list[int]] = defaultdict(list)
        self._indexed: dict[int, np.ndarray] = {}
        self._dense = _CentroidTable()

    def __len__(self) -> int:
        return len(self.states)

    def put(self, state: StoryState) -> None:
        """Add or refresh a story and its index entries (its terms are kept as a :class:`TermVector`)."""
        state.terms = TermVector.of(state.terms)
        strongest = state.terms.strongest(INDEXED_TERMS)
        before = set(self._indexed.get(state.id, NO_FEATURES).tolist())
        after = set(strongest.tolist())
        # One more report changes a few of a story's strongest features: only those postings change.
        for feature in before - after:
            self._unpost(feature, state.id)
        for feature in after - before:
            self._postings[feature].append(state.id)
        self._indexed[state.id] = strongest
        self.states[state.id] = state
        self._dense.put(state)

    def remove(self, story_id: int) -> None:
        """Forget a story (merged into another)."""
        for feature in self._indexed.pop(story_id, NO_FEATURES).tolist():
            self._unpost(feature, story_id)
        self.states.pop(story_id, None)
        self._dense.remove(story_id)

    def _unpost(self, feature: int, story_id: int) -> None:
        postings = self._postings[feature]
        postings.remove(story_id)
        if not postings:
            del self._postings[feature]

    def candidates(
        self, features: list[int], embedding: np.ndarray, day: int | None, max_gap_days: int, limit: int = 50
    ) -> list[StoryState]:
        """Stories sharing ``features`` (most shared first), then those nearest in embedding, within the gap."""
        shared: Counter[int] = Counter()
        for feature in features:
            postings = self._postings.get(feature)
            if postings and len(postings) <= MAX_POSTINGS:
                shared.update(postings)
        found: dict[int, StoryState] = {}
        for story_id, _ in shared.most_common():
            state = self.states[story_id]
            if day_gap(day, day_number(state.first_seen), day_number(state.last_seen)) <= max_gap_days:
                found[story_id] = state
                if len(found) >= limit:
                    break
        for story_id in self._dense.nearest(embedding, day, max_gap_days, DENSE_CANDIDATES):
            found.setdefault(story_id, self.states[story_id])
        return list(found.values())


class _CentroidTable:
    """Unit-length story centroids in one growing matrix, with each story's date span, for nearest lookups."""

    def __init__(self) -> None:
        self._ids: list[int] = []
        self._row: dict[int, int] = {}
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._first = np.zeros(0, dtype=np.int64)
        self._last = np.zeros(0, dtype=np.int64)

    def _grow(self, dim: int) -> None:
        size = max(64, 2 * len(self._ids))
        vectors = np.zeros((size, dim), dtype=np.float32)
        if self._vectors.shape[1] == dim:
            vectors[: len(self._ids)] = self._vectors[: len(self._ids)]
        self._vectors = vectors
        self._first = np.resize(self._first, size)
        self._last = np.resize(self._last, size)

    def put(self, state: StoryState) -> None:
        row = self._row.get(state.id)
        if row is None:
            if len(self._ids) >= len(self._first) or self._vectors.shape[1] != state.centroid.shape[0]:
                self._grow(state.centroid.shape[0])
            row = self._row[state.id] = len(self._ids)
            self._ids.append(state.id)
        norm = float(np.linalg.norm(state.centroid)) or 1.0
        self._vectors[row] = state.centroid / norm
        self._first[row] = day_number(state.first_seen) or UNDATED
        self._last[row] = day_number(state.last_seen) or UNDATED

    def remove(self, story_id: int) -> None:
        row = self._row.get(story_id)
        if row is not None:
            # The row stays (rows never move) but can no longer be anyone's nearest story.
            self._vectors[row] = 0.0
            self._first[row] = self._last[row] = REMOVED

    def nearest(self, embedding: np.ndarray, day: int | None, max_gap_days: int, k: int) -> list[int]:
        """Ids of up to ``k`` stories nearest to ``embedding`` whose span is within ``max_gap_days`` of ``day``."""
        count = len(self._ids)
        if count == 0 or embedding.shape[0] != self._vectors.shape[1]:
            return []
        rows = np.arange(count)
        rows = rows[self._first[:count] != REMOVED]
        if day is not None:
            first, last = self._first[rows], self._last[rows]
            gap = np.maximum(np.maximum(first - day, day - last), 0)
            rows = rows[(first == UNDATED) | (gap <= max_gap_days)]
        if rows.size == 0:
            return []
        scores = self._vectors[rows] @ embedding
        top = rows[np.argsort(-scores)[:k]]
        return [self._ids[int(r)] for r in top]
