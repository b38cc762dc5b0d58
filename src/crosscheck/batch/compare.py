"""How far two databases built from the same inputs agree: articles, duplicate sets, story assignment.

Used to measure ``crosscheck batch`` against ``crosscheck ingest`` (tests/test_batch.py, bench/batch.py).
Articles are matched by where they were read (location and id), not by database ids, which may differ.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

from crosscheck.clustering.evaluation import score_clustering
from crosscheck.storage import Reader, connect


@dataclass(frozen=True)
class Snapshot:
    """One database's articles: story of each, and each copy's original, with its kind."""

    story: dict[str, int | None]
    copies: dict[str, tuple[str, str | None]]  # copy → (original, kind)

    def duplicate_sets(self) -> set[frozenset[str]]:
        """Each original with its copies."""
        members: dict[str, set[str]] = defaultdict(set)
        for copy, (original, _) in self.copies.items():
            members[original].update((original, copy))
        return {frozenset(group) for group in members.values()}


def snapshot(reader: Reader) -> Snapshot:
    """The articles of a database, by identity (location and external id)."""
    ident: dict[int, str] = {}
    story: dict[str, int | None] = {}
    copy_of: dict[str, tuple[int, str | None]] = {}
    for record in reader.iter_articles():
        name = f"{record.location}\0{record.external_id}"
        ident[record.id] = name
        story[name] = record.story_id
        if record.duplicate_of is not None:
            copy_of[name] = (record.duplicate_of, record.duplicate_kind)
    copies = {name: (ident[original], kind) for name, (original, kind) in copy_of.items()}
    return Snapshot(story, copies)


def snapshot_file(path: str | os.PathLike[str]) -> Snapshot:
    """:func:`snapshot` of the database at ``path``, opened read-only."""
    conn = connect(path, readonly=True)
    try:
        return snapshot(Reader(conn))
    finally:
        conn.close()


def agreement(result: Snapshot, reference: Snapshot) -> dict[str, object]:
    """Same articles? same duplicate sets (and kinds)? BCubed of ``result``'s stories against ``reference``'s."""
    same_articles = set(result.story) == set(reference.story)
    common = set(result.story) & set(reference.story)
    scores = score_clustering(
        {name: result.story[name] for name in common}, {name: reference.story[name] for name in common}
    )
    return {
        "articles": len(result.story),
        "reference_articles": len(reference.story),
        "same_articles": same_articles,
        "same_duplicate_sets": result.duplicate_sets() == reference.duplicate_sets(),
        "same_duplicate_links": result.copies == reference.copies,
        "duplicates": len(result.copies),
        "stories": len({result.story[name] for name in common}),
        "reference_stories": len({reference.story[name] for name in common}),
        "bcubed_f1": round(scores.bcubed_f1, 4),
        "identical_partition": scores.bcubed_f1 == 1.0,
    }
