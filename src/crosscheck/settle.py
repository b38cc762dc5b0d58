"""The second look an ingest gives its stories once the whole batch is in.

Articles are clustered in publication order, so an early article can start a story before the articles that
link it to another one (undated ones, which come last) have arrived. Each story started with a single report is
reconsidered, then the stories touched are split into their developments
(:func:`crosscheck.clustering.split.split_marked`). The stories awaiting the second look are kept in the
database (:data:`UNSETTLED_META`), so a run that was killed leaves them to the next.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from crosscheck.clustering import ArticleFeatures, Clusterer
from crosscheck.clustering.split import split_marked
from crosscheck.storage import Store
from crosscheck.story_summaries import UNSUMMARISED

UNSETTLED_META = "unsettled_stories"  # stories started with one report, awaiting their second look


@dataclass(frozen=True)
class Settled:
    """What the second look changed."""

    merged: dict[int, int]  # story merged or emptied -> the story it redirects to
    created: set[int]  # stories the split created
    to_summarise: set[int]  # live stories changed since their summary


def unsettled(store: Store) -> list[int]:
    """The stories awaiting their second look, oldest first."""
    raw = store.get_meta(UNSETTLED_META)
    return [int(i) for i in json.loads(raw)] if raw else []


def save_unsettled(store: Store, story_ids: Iterable[int]) -> None:
    """Replace the list of stories awaiting their second look; inside the caller's write transaction."""
    store.set_meta(UNSETTLED_META, json.dumps(list(story_ids)).encode())


def second_look(store: Store, clusterer: Clusterer) -> Settled:
    """Reconsider each unsettled story, then split the marked ones; inside the caller's write transaction.

    The summaries are left to the caller: :attr:`Settled.to_summarise` holds every live story changed since its
    summary, those marked :data:`~crosscheck.story_summaries.UNSUMMARISED` included.
    """
    merged: dict[int, int] = {}
    for story_id in unsettled(store):
        features = _single_report(store, story_id)
        target = clusterer.reconsider(story_id, features) if features else None
        if target is not None:
            store.merge_story(story_id, target.id, "its only report fits a story found later")
            store.save_story_state(target)
            merged[story_id] = target.id
    save_unsettled(store, [])
    split, created, emptied = split_marked(store, clusterer, also=merged.values())
    # A story the split emptied redirects like a merged one; what was merged into it follows it.
    merged = {story_id: emptied.get(into, into) for story_id, into in merged.items()} | emptied
    live = clusterer.index.states
    changed = set(merged.values()) | split | store.marked_stories(UNSUMMARISED)
    return Settled(merged, created, {s for s in changed if s in live})


def _single_report(store: Store, story_id: int) -> ArticleFeatures | None:
    """The features of a story's only original article, if it has exactly one."""
    found = store.story_report_features(story_id)
    if found is None:
        return None
    article_id, day, embedding, terms = found
    return ArticleFeatures(article_id, day, embedding, terms)
