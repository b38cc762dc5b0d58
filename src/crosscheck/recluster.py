"""Every story rebuilt from the stored features with the current settings (``crosscheck recluster``).

The articles are replayed through a fresh clusterer in publication order, obeying the editors' corrections;
duplicates follow their originals. Old story ids redirect to the new story holding most of their articles, so
links keep working. The rebuilt stories are left to the second look (:mod:`crosscheck.settle`) and their summaries
to when they settle, as after an ingest.
"""

from __future__ import annotations

from collections import Counter

from crosscheck.clustering import ArticleFeatures, Clusterer, StoryIndex
from crosscheck.clustering.split import mark_for_split
from crosscheck.corrections import constraints_for
from crosscheck.settings import Settings
from crosscheck.settle import save_unsettled
from crosscheck.storage import Store
from crosscheck.story_summaries import UNSUMMARISED


def rebuild_stories(store: Store, settings: Settings) -> None:
    """Place every stored article in a story again; inside the caller's write transaction."""
    constraints = constraints_for(store, placed=False)
    clusterer = Clusterer(settings, StoryIndex(), store.create_story, constraints)
    old_story: dict[int, int | None] = {}
    new_story: dict[int, int] = {}
    unsettled: list[int] = []
    for article_id, story_id, published, embedding, terms in store.clustering_replay():
        old_story[article_id] = story_id
        if embedding is None:
            continue  # a duplicate: placed with its original below
        assignment = clusterer.assign(ArticleFeatures(article_id, published, embedding, terms))
        new_story[article_id] = assignment.story_id
        if assignment.created:
            unsettled.append(assignment.story_id)
    _apply(store, clusterer, old_story, new_story)
    save_unsettled(store, unsettled)
    mark_for_split(store, new_story.values())
    store.mark_stories(UNSUMMARISED, new_story.values())


def _apply(store: Store, clusterer: Clusterer, old_story: dict[int, int | None], new_story: dict[int, int]) -> None:
    """Move the articles into their new stories and redirect each old story to the one holding most of them."""
    for article_id, story_id in new_story.items():
        store.set_story(article_id, story_id)
    for article_id in sorted(old_story.keys() - new_story.keys()):
        original = store.copy_of(article_id).original_id
        target = new_story.get(original)
        store.set_story(article_id, target if target is not None else store.create_story())
    for state in clusterer.index.states.values():
        store.save_story_state(state)
    votes: dict[int, Counter[int]] = {}
    for article_id, previous in old_story.items():
        if previous is not None and article_id in new_story:
            votes.setdefault(previous, Counter())[new_story[article_id]] += 1
    for previous, counter in votes.items():
        store.merge_story(previous, counter.most_common(1)[0][0], "stories rebuilt by recluster")
    # Counts now, for readers between the two transactions; each summary once, when the stories settle.
    for story_id in sorted(set(new_story.values())):
        store.recount_story(story_id)
