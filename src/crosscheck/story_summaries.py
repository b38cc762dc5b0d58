"""Stored story summaries brought up to date: headline, bullets, counts and "why together" of changed stories.

:mod:`crosscheck.summaries` computes a summary from a story's members; this module reads the members from the
store, adds the editors' corrections to "why together" and writes the result back. Stories whose members changed
since their summary carry the :data:`UNSUMMARISED` mark until the ingest that changed them settles.
"""

from __future__ import annotations

from collections.abc import Iterable

from crosscheck.clustering.evidence import story_evidence
from crosscheck.clustering.split import report_features
from crosscheck.corrections import StoredConstraints, constraints_for
from crosscheck.entities.canonical import count_story_entities
from crosscheck.settings import Settings
from crosscheck.storage import Store
from crosscheck.storage.reader import STORED_STORY_ENTITIES
from crosscheck.summaries.story import MAX_WHY, Member, summarize

# Stories whose members changed since their summary. A mark in the database rather than a set in the run: a story
# that another ingest adds to is summarised by whichever ingest settles first.
UNSUMMARISED = "unsummarised_stories"


def refresh_summaries(
    store: Store, settings: Settings, story_ids: Iterable[int], constraints: StoredConstraints | None = None
) -> None:
    """Recompute headline, bullets, counts and "why together" of each story; "why together" names the
    corrections that put its articles there first (``constraints``: the stored corrections, when the caller
    holds them already). Inside the caller's write transaction."""
    ids = sorted(story_ids)
    reader = store.reader
    if constraints is None:
        constraints = constraints_for(store, placed=False) if ids else StoredConstraints()
    for story_id in ids:
        members = [Member(*row) for row in reader.story_members(story_id)]
        entities = count_story_entities(reader, story_id, limit=STORED_STORY_ENTITIES)
        evidence = story_evidence(report_features(store, story_id), settings)
        summary = summarize(members, entities, settings, evidence)
        corrected = [constraints.reason_for(m.article_id) for m in members]
        store.update_story_summary(
            story_id,
            headline=summary.headline,
            bullets=[
                {"text": b.text, "article_ids": b.article_ids, **({"day": b.day} if b.day else {})}
                for b in summary.bullets
            ],
            why=(list(dict.fromkeys(r for r in corrected if r)) + summary.why)[:MAX_WHY],
            entities=entities,
        )
