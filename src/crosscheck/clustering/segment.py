"""Developments within a story: a long-running saga is split into the events a reader follows one by one.

Incremental placement compares each article with a story's whole profile, so a saga covered every day (a
nomination, then an allegation, the negotiations over a hearing, the hearing, an investigation) grows into one
story: each day's articles resemble the day before. Its developments differ mostly in *when* they happen, and a
little in what they say. So once an ingest has placed its articles, each story it touched is split by
average-linkage clustering of its reports, where two reports are as similar as the clusterer finds them (the
same mix of embedding and term cosines) less a penalty per day between them. Groups merge while their average
similarity is at least ``development_threshold``; a story whose reports fall into several groups is split.
Several stories are split at once (:func:`split_stories`): reports placed apart can come together, and
developments cut apart early can rejoin. This split, not placement, decides the final stories.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix

from crosscheck.clustering.clusterer import ArticleFeatures, Clusterer
from crosscheck.clustering.constraints import Constraints
from crosscheck.clustering.index import day_number
from crosscheck.clustering.matcher import learned_link
from crosscheck.models import StoryState
from crosscheck.settings import Settings


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


# Distance between two reports a correction keeps apart: far enough that no average over the pairs of two
# groups of up to MAX_SPLIT_REPORTS (split.py) reports holding it comes within the linkage's cut.
APART = 1e9


def developments(
    members: Sequence[ArticleFeatures], settings: Settings, constraints: Constraints | None = None
) -> list[list[int]]:
    """Positions of ``members`` grouped into developments, groups ordered by their first position.

    One group (no split) when the step is off or there are fewer than two members. Reports that ``constraints``
    link are at distance 0 (they join first and stay joined); reports it keeps apart never join.
    """
    if settings.development_threshold <= 0 or len(members) < 2:
        return [list(range(len(members)))]
    if settings.story_matcher == "learned":
        similarity, threshold = learned_link(members, day_distance(members), settings.matcher_path)
    else:
        similarity = pair_similarity(members, settings.embedding_weight)
        similarity -= settings.development_day_penalty * day_distance(members)
        threshold = settings.development_threshold
    # Distances for the linkage: non-negative, zero diagonal; merging stops above 1 - threshold.
    distance = np.clip(1.0 - similarity, 0.0, None)
    if constraints:
        _constrain(distance, [m.article_id for m in members], constraints)
    np.fill_diagonal(distance, 0.0)
    condensed = distance[np.triu_indices(len(members), k=1)]
    labels = fcluster(linkage(condensed, method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), []).append(position)
    return sorted(groups.values(), key=lambda g: g[0])


def _constrain(distance: np.ndarray, ids: list[int], constraints: Constraints) -> None:
    """Set the distances of linked reports to 0 and of reports kept apart to :data:`APART`, in place."""
    named = [p for p, article_id in enumerate(ids) if article_id in constraints.group_of]
    for i, first in enumerate(named):
        for second in named[i + 1 :]:
            if constraints.linked(ids[first], ids[second]):
                distance[first, second] = distance[second, first] = 0.0
            elif constraints.kept_apart(ids[first], ids[second]):
                distance[first, second] = distance[second, first] = APART


@dataclass
class Split:
    """What a split changed: the stories whose reports changed, and those it emptied."""

    parts: list[tuple[StoryState, list[ArticleFeatures]]] = field(default_factory=list)
    emptied: dict[int, int] = field(default_factory=dict)  # emptied story → the story that took most of its reports


def split_stories(clusterer: Clusterer, stories: Mapping[int, Sequence[ArticleFeatures]]) -> Split:
    """Split the reports of several stories, pooled, into developments, in the clusterer's index.

    ``stories`` maps each story to its reports in publication order; one story alone is simply split. Pooling
    stories lets a report move to the story it fits and a development cut early, from the few reports known
    then, rejoin the rest once later reports show they belong together.

    Each development takes the id of the story holding most of its reports (the largest development first,
    the earliest on ties), so links keep leading to the same thread; a development with no story of its own
    gets a new one. A story left without reports is removed from the index and listed in ``emptied`` with the
    story that took most of them.
    """
    members = _pooled(stories)
    groups = developments(members, clusterer.settings, clusterer.constraints)
    owner = {m.article_id: story_id for story_id, reports in stories.items() for m in reports}
    ids = _keep_ids(groups, [owner[m.article_id] for m in members])
    result = Split()
    for group, story_id in zip(groups, ids, strict=True):
        part = [members[p] for p in group]
        if story_id is None:
            story_id = clusterer.create_story()
        elif [m.article_id for m in part] == [m.article_id for m in stories[story_id]]:
            continue  # unchanged
        result.parts.append((clusterer.rebuild(story_id, part), part))
    taken = {m.article_id: state.id for state, part in result.parts for m in part}
    for story_id in stories.keys() - set(ids):
        votes = Counter(taken[m.article_id] for m in stories[story_id])
        result.emptied[story_id] = votes.most_common(1)[0][0]
        clusterer.index.remove(story_id)
    return result


def _pooled(stories: Mapping[int, Sequence[ArticleFeatures]]) -> list[ArticleFeatures]:
    """The reports of several stories in one publication order (undated last; a stable merge of their orders)."""
    if len(stories) == 1:
        return list(next(iter(stories.values())))
    pooled = [m for reports in stories.values() for m in reports]
    return sorted(pooled, key=lambda m: (m.day is None, m.day or ""))


def _keep_ids(groups: list[list[int]], owners: list[int]) -> list[int | None]:
    """For each group, the story (an entry of ``owners``, by position) that keeps its id there, or None.

    Greedy by overlap: the pair of a group and a story sharing the most reports first (ties: the larger group,
    then the earlier one), each story and each group used once.
    """
    overlap = Counter((g, owners[p]) for g, group in enumerate(groups) for p in group)
    order = sorted(overlap, key=lambda gs: (-overlap[gs], -len(groups[gs[0]]), groups[gs[0]][0], gs[1]))
    ids: list[int | None] = [None] * len(groups)
    used: set[int] = set()
    for g, story_id in order:
        if ids[g] is None and story_id not in used:
            ids[g] = story_id
            used.add(story_id)
    return ids
