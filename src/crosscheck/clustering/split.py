"""Splitting, in the store, the stories an ingest touched into their developments (see :mod:`.segment`).

The ingest marks every story it places an article in; when it settles its stories, each marked one is
regrouped from its stored features and, if it holds several developments, split. The marks are kept in the
database, like the stories awaiting their second look, so a killed run leaves them to the next one, and
``crosscheck recluster`` (which marks every story) ends where an ingest of the same articles ends.

A story split this way starts a saga: the next time one of its stories is touched, the saga's stories near it
in time are regrouped together, so that reports cut apart while the saga was young can rejoin (the ingest of a
feed reader sees a saga a day at a time). Each development keeps the id of the story holding most of its
reports, so links keep leading to the same thread; a story emptied this way redirects to the one that took
most of its reports. Copies follow their original.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from crosscheck.clustering.clusterer import ArticleFeatures, Clusterer
from crosscheck.clustering.index import day_number, span_gap
from crosscheck.clustering.segment import Regrouping, regroup
from crosscheck.storage.store import Store

SPLIT_META = "unsplit_stories"  # stories touched since their last split
MAX_SAGA_REPORTS = 2000  # reports regrouped at once; a saga's stories beyond them are left as they are


def marked_for_split(store: Store) -> set[int]:
    """The stories touched since their last split."""
    raw = store.get_meta(SPLIT_META)
    return {int(i) for i in json.loads(raw)} if raw else set()


def mark_for_split(store: Store, story_ids: Iterable[int]) -> None:
    """Remember stories to regroup when the ingest settles."""
    store.set_meta(SPLIT_META, json.dumps(sorted(marked_for_split(store) | set(story_ids))).encode())


def report_features(store: Store, story_id: int) -> list[ArticleFeatures]:
    """A story's original reports with their stored features, in publication order (as the clusterer saw them)."""
    return [ArticleFeatures(*row) for row in store.story_reports(story_id)]


def split_marked(store: Store, clusterer: Clusterer, also: Iterable[int] = ()) -> tuple[set[int], set[int]]:
    """Regroup each marked story (and those in ``also``) with the rest of its saga into developments; clear
    the marks.

    Returns the ids of the stories whose members changed (split, grown or new), for their summaries to be
    refreshed, and the ids of the new ones.
    """
    changed: set[int] = set()
    created: set[int] = set()
    done: set[int] = set()
    for story_id in sorted(marked_for_split(store) | set(also)):
        if story_id in done or story_id not in clusterer.index.states:
            continue  # regrouped with its saga already, or merged into another story since it was marked
        stories = saga_reports(store, clusterer, story_id)
        done.update(stories)
        regrouping = regroup(clusterer, stories)
        _apply(store, stories, regrouping)
        changed.update(state.id for state, _ in regrouping.parts)
        new = {state.id for state, _ in regrouping.parts} - stories.keys()
        created |= new
        if new:
            store.set_saga(stories.keys() | new, store.saga_of(story_id) or story_id)
    store.set_meta(SPLIT_META, b"[]")
    return changed, created


def saga_reports(store: Store, clusterer: Clusterer, story_id: int) -> dict[int, list[ArticleFeatures]]:
    """The reports of a story and of the stories of its saga within ``story_max_gap_days`` of it, nearest first,
    up to :data:`MAX_SAGA_REPORTS` in all (the story's own always)."""
    stories = {story_id: report_features(store, story_id)}
    saga = store.saga_of(story_id)
    if saga is None:
        return stories
    state = clusterer.index.states[story_id]
    first, last = day_number(state.first_seen), day_number(state.last_seen)
    near: list[tuple[int, int]] = []
    for other, other_first, other_last in store.saga_stories(saga):
        gap = span_gap(first, last, day_number(other_first), day_number(other_last))
        if other != story_id and other in clusterer.index.states and gap <= clusterer.settings.story_max_gap_days:
            near.append((gap, other))
    count = len(stories[story_id])
    for _, other in sorted(near):
        reports = report_features(store, other)
        if count + len(reports) > MAX_SAGA_REPORTS:
            break
        stories[other] = reports
        count += len(reports)
    return stories


def _apply(store: Store, stories: dict[int, list[ArticleFeatures]], regrouping: Regrouping) -> None:
    """Write a regrouping: new story states, moved reports (their copies follow), and redirects of emptied ids."""
    owner = {m.article_id: story_id for story_id, reports in stories.items() for m in reports}
    copies = [pair for story_id in stories for pair in store.story_copies(story_id)]
    moved: dict[int, int] = {}
    for state, part in regrouping.parts:
        store.save_story_state(state)
        for member in part:
            if owner[member.article_id] != state.id:
                moved[member.article_id] = state.id
                store.set_story(member.article_id, state.id)
    for copy, original in copies:
        if original in moved:
            store.set_story(copy, moved[original])
    for story_id, into in regrouping.emptied.items():
        store.merge_story(story_id, into, "its reports rejoined another development of its saga")
