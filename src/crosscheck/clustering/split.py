"""The split, in the store: the stories an ingest touched, with those dated near them, into their developments
(:mod:`.segment`); it decides the final stories.

The ingest marks every story it places an article in; when it settles its stories, each marked one is
split from its stored features together with the other stories dated near it: all reports of those
stories are clustered afresh into developments. Placement decides for each article alone, in order, against
whole stories; splitting the neighbourhood lets a report move to the story it fits once more reports are
known, and a development that placement spread over two stories come together. The marks are kept in the
database, like the stories awaiting their second look, so a killed run leaves them to the next one, and
``crosscheck recluster`` (which marks every story) ends where an ingest of the same articles ends.

A story split this way starts a saga (its developments are linked on the story page). Each development keeps
the id of the story holding most of its reports, so links keep leading to the same thread; a story emptied this
way redirects to the one that took most of its reports. Copies follow their original.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

import numpy as np

from crosscheck.clustering.clusterer import ArticleFeatures, Clusterer
from crosscheck.clustering.index import day_number, span_gap
from crosscheck.clustering.segment import Split, split_stories
from crosscheck.models import StoryState

SPLIT_META = "unsplit_stories"  # stories touched since their last split
MAX_SPLIT_REPORTS = 2000  # reports split at once (the nearest stories first); bounds time and memory
# A story that holds more reports alone (one feed of 10,000 near-identical items makes one) is not split.


class Store(Protocol):
    """What splitting needs of the store (:class:`crosscheck.storage.Store` has it): clustering itself never
    imports storage."""

    def marked_stories(self, mark: str) -> set[int]: ...
    def mark_stories(self, mark: str, story_ids: Iterable[int]) -> None: ...
    def clear_mark(self, mark: str) -> None: ...
    def story_reports(self, story_id: int) -> list[tuple[int, str | None, np.ndarray, dict[int, float]]]: ...
    def stories_dated_near(self, first: str, last: str, days: int) -> list[tuple[int, str, str]]: ...
    def saga_of(self, story_id: int) -> int | None: ...
    def set_saga(self, story_ids: Iterable[int], saga: int) -> None: ...
    def story_copies(self, story_id: int) -> list[tuple[int, int]]: ...
    def save_story_state(self, state: StoryState) -> None: ...
    def set_story(self, article_id: int, story_id: int) -> None: ...
    def merge_story(self, from_id: int, to_id: int, reason: str) -> None: ...


def marked_for_split(store: Store) -> set[int]:
    """The stories touched since their last split."""
    return store.marked_stories(SPLIT_META)


def mark_for_split(store: Store, story_ids: Iterable[int]) -> None:
    """Remember stories to split when the ingest settles."""
    store.mark_stories(SPLIT_META, story_ids)


def report_features(store: Store, story_id: int) -> list[ArticleFeatures]:
    """A story's original reports with their stored features, in publication order (as the clusterer saw them)."""
    return [ArticleFeatures(*row) for row in store.story_reports(story_id)]


def split_marked(
    store: Store, clusterer: Clusterer, also: Iterable[int] = ()
) -> tuple[set[int], set[int], dict[int, int]]:
    """Split each marked story (and those in ``also``) with the stories near it in time; clear the marks.

    Returns the ids of the stories whose members changed (split, grown, shrunk or new), for their summaries to
    be refreshed, the ids of the new ones, and the stories emptied, each with the story it now redirects to.
    """
    changed: set[int] = set()
    created: set[int] = set()
    emptied: dict[int, int] = {}
    done: set[int] = set()
    if clusterer.settings.development_threshold <= 0:  # the split is off
        store.clear_mark(SPLIT_META)
        return changed, created, emptied
    for story_id in sorted(marked_for_split(store) | set(also)):
        if story_id in done or story_id not in clusterer.index.states:
            continue  # split with a neighbour already, or merged into another story since it was marked
        stories = neighbour_reports(store, clusterer, story_id)
        done.update(stories)
        if len(stories[story_id]) > MAX_SPLIT_REPORTS:
            continue  # its pairwise matrices alone would take gigabytes (10,000 reports: 3.4 GB); left as placed
        result = split_stories(clusterer, stories)
        _apply(store, stories, result)
        changed.update(state.id for state, _ in result.parts)
        new = {state.id for state, _ in result.parts} - stories.keys()
        created |= new
        _record_sagas(store, stories, result, new)
        for story_id_emptied, into in result.emptied.items():
            emptied.update({old: into for old, target in emptied.items() if target == story_id_emptied})
            emptied[story_id_emptied] = into
    store.clear_mark(SPLIT_META)
    return changed - emptied.keys(), created - emptied.keys(), emptied


def neighbour_reports(store: Store, clusterer: Clusterer, story_id: int) -> dict[int, list[ArticleFeatures]]:
    """The reports of a story and of the other stories dated within ``story_max_gap_days`` of it, nearest
    first, up to :data:`MAX_SPLIT_REPORTS` in all (the story's own always). An undated story is split
    alone."""
    stories = {story_id: report_features(store, story_id)}
    state = clusterer.index.states[story_id]
    if state.first_seen is None or state.last_seen is None:
        return stories
    first, last = day_number(state.first_seen), day_number(state.last_seen)
    near: list[tuple[int, int]] = []
    for other, other_first, other_last in store.stories_dated_near(
        state.first_seen, state.last_seen, clusterer.settings.story_max_gap_days
    ):
        gap = span_gap(first, last, day_number(other_first), day_number(other_last))
        if other != story_id and other in clusterer.index.states:
            near.append((gap, other))
    count = len(stories[story_id])
    for _, other in sorted(near):
        reports = report_features(store, other)
        if count + len(reports) > MAX_SPLIT_REPORTS:
            break
        stories[other] = reports
        count += len(reports)
    return stories


def _record_sagas(store: Store, stories: dict[int, list[ArticleFeatures]], result: Split, new: set[int]) -> None:
    """Each new development joins the saga of the story most of its reports came from (which starts one)."""
    owner = {m.article_id: story_id for story_id, reports in stories.items() for m in reports}
    for state, part in result.parts:
        if state.id in new:
            origin = Counter(owner[m.article_id] for m in part).most_common(1)[0][0]
            store.set_saga([origin, state.id], store.saga_of(origin) or origin)


def _apply(store: Store, stories: dict[int, list[ArticleFeatures]], result: Split) -> None:
    """Write a split: new story states, moved reports (their copies follow), and redirects of emptied ids."""
    owner = {m.article_id: story_id for story_id, reports in stories.items() for m in reports}
    copies = [pair for story_id in stories for pair in store.story_copies(story_id)]
    moved: dict[int, int] = {}
    for state, part in result.parts:
        store.save_story_state(state)
        for member in part:
            if owner[member.article_id] != state.id:
                moved[member.article_id] = state.id
                store.set_story(member.article_id, state.id)
    for copy, original in copies:
        if original in moved:
            store.set_story(copy, moved[original])
    for story_id, into in result.emptied.items():
        store.merge_story(story_id, into, "its reports joined another story when the stories near it were split")
