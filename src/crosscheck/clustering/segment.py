"""Developments within a story: a long-running saga is split into the events a reader follows one by one.

Incremental placement compares each article with a story's whole profile, so a saga covered every day (a
nomination, then an allegation, the negotiations over a hearing, the hearing, an investigation) grows into one
story: each day's articles resemble the day before. Its developments differ mostly in *when* they happen, and a
little in what they say. So once an ingest has placed its articles, each story it touched is regrouped by
average-linkage clustering of its reports, where two reports are as similar as the clusterer finds them (the
same mix of embedding and term cosines) less a penalty per day between them. Groups merge while their average
similarity is at least ``development_threshold``; a story whose reports fall into several groups is split.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix

from crosscheck.clustering.clusterer import ArticleFeatures, Clusterer
from crosscheck.clustering.index import day_number
from crosscheck.settings import Settings
from crosscheck.storage.store import StoryState


def _term_matrix(members: Sequence[ArticleFeatures]) -> csr_matrix:
    """Members' term weights as rows of a sparse matrix, each row scaled to unit length."""
    columns: dict[int, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, member in enumerate(members):
        norm = float(np.sqrt(sum(w * w for w in member.terms.values()))) or 1.0
        for feature, weight in member.terms.items():
            rows.append(row)
            cols.append(columns.setdefault(feature, len(columns)))
            values.append(weight / norm)
    return csr_matrix((values, (rows, cols)), shape=(len(members), max(1, len(columns))))


def pair_similarity(members: Sequence[ArticleFeatures], embedding_weight: float) -> np.ndarray:
    """Similarity of every two members: the clusterer's mix of embedding and term cosines."""
    vectors = np.stack([m.embedding for m in members]).astype(np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms > 0, norms, 1.0)
    terms = _term_matrix(members)
    lexical = np.asarray((terms @ terms.T).todense())
    return np.asarray(embedding_weight * (vectors @ vectors.T) + (1 - embedding_weight) * lexical)


def day_distance(members: Sequence[ArticleFeatures]) -> np.ndarray:
    """News days between every two members: how many of the days the story was reported on separate them.

    A quiet spell between two reports is no sequence of developments, so days without a report of the story do
    not count (a follow-up weeks later is one day on). 0 where either member is undated (no evidence either way).
    """
    days = [day_number(m.day) for m in members]
    covered = {d: rank for rank, d in enumerate(sorted({d for d in days if d is not None}))}
    known = np.array([d is not None for d in days])
    values = np.array([covered[d] if d is not None else 0 for d in days], dtype=np.float64)
    gaps = np.abs(values[:, None] - values[None, :])
    return np.asarray(np.where(known[:, None] & known[None, :], gaps, 0.0))


def developments(members: Sequence[ArticleFeatures], settings: Settings) -> list[list[int]]:
    """Positions of ``members`` grouped into developments, groups ordered by their first position.

    One group (no split) when the step is off or there are fewer than two members.
    """
    if settings.development_threshold <= 0 or len(members) < 2:
        return [list(range(len(members)))]
    similarity = pair_similarity(members, settings.embedding_weight)
    similarity -= settings.development_day_penalty * day_distance(members)
    # Distances for the linkage: non-negative, zero diagonal; merging stops above 1 - threshold.
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    condensed = distance[np.triu_indices(len(members), k=1)]
    labels = fcluster(
        linkage(condensed, method="average"), t=1.0 - settings.development_threshold, criterion="distance"
    )
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), []).append(position)
    return sorted(groups.values(), key=lambda g: g[0])


def split_story(
    clusterer: Clusterer, story_id: int, members: list[ArticleFeatures]
) -> list[tuple[StoryState, list[ArticleFeatures]]]:
    """Split a story into its developments in the clusterer's index; [] when it is one development.

    The largest development (the earliest on ties) keeps the story's id, so links to the story lead to its main
    thread; each other one becomes a new story. ``members`` must be the story's reports in publication order.
    """
    groups = developments(members, clusterer.settings)
    if len(groups) < 2:
        return []
    keep = max(range(len(groups)), key=lambda i: (len(groups[i]), -groups[i][0]))
    parts: list[tuple[StoryState, list[ArticleFeatures]]] = []
    for i, group in enumerate(groups):
        part = [members[p] for p in group]
        state = clusterer.rebuild(story_id if i == keep else clusterer.create_story(), part)
        parts.append((state, part))
    return parts
