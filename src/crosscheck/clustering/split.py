"""Splitting, in the store, the stories an ingest touched into their developments (see :mod:`.segment`).

The ingest marks every story it places an article in; when it settles its stories, each marked one is
regrouped from its stored features and, if it holds several developments, split. The marks are kept in the
database, like the stories awaiting their second look, so a killed run leaves them to the next one, and
``crosscheck recluster`` (which marks every story) ends where an ingest of the same articles ends.

The largest development keeps the story's id, so links to the story keep working and lead to its main thread;
the others become new stories. Copies follow their original.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from crosscheck.clustering.clusterer import ArticleFeatures, Clusterer
from crosscheck.clustering.segment import split_story
from crosscheck.storage.store import Store

SPLIT_META = "unsplit_stories"  # stories touched since their last split


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
    """Split each marked story (and those in ``also``) into its developments; clear the marks.

    Returns the ids of the stories whose members changed (the split ones and the new ones), for their summaries
    to be refreshed, and the ids of the new ones.
    """
    changed: set[int] = set()
    created: set[int] = set()
    for story_id in sorted(marked_for_split(store) | set(also)):
        if story_id not in clusterer.index.states:
            continue  # merged into another story since it was marked
        copies = store.story_copies(story_id)
        for state, part in split_story(clusterer, story_id, report_features(store, story_id)):
            changed.add(state.id)
            store.save_story_state(state)
            if state.id == story_id:
                continue
            created.add(state.id)
            moved = {member.article_id for member in part}
            for member in part:
                store.set_story(member.article_id, state.id)
            for copy, original in copies:
                if original in moved:
                    store.set_story(copy, state.id)
    store.set_meta(SPLIT_META, b"[]")
    return changed, created
