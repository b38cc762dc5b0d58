"""What holds a story's reports together, in the terms of the split that decided it: how alike the reports are
(the embedding and term cosines), how far apart in time, and, with the learned matcher, which of its signals
weigh most in their links. A story's "why together" (:mod:`crosscheck.summaries.story`) names them.

Read from the features stored for the clusterer, over at most :data:`MAX_EVIDENCE_REPORTS` reports of a story
(evenly spread over its time), so a saga of hundreds of reports costs what a story of forty does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import numpy as np

from crosscheck.clustering.clusterer import ArticleFeatures
from crosscheck.clustering.matcher import load_matcher, pair_signals
from crosscheck.clustering.segment import day_distance
from crosscheck.settings import Settings

T = TypeVar("T")
MAX_EVIDENCE_REPORTS = 40
MIN_CONTRIBUTION = 0.01  # a signal adding less than this to the average link is not named

# The matcher's signals in plain words (as a reason for or against two reports being one story).
SIGNAL_NAMES = {
    "embedding_cosine": "similar title and lead",
    "term_cosine": "shared words and names",
    "embedding_x_term": "alike in both meaning and wording",
    "entity_jaccard": "share of names in common",
    "shared_entities": "number of names in common",
    "news_days": "news days apart",
    "calendar_days": "calendar days apart",
    "undated": "an undated report",
    "rank_near": "how close each is among the other's nearest reports",
    "rank_far": "how close the farther of the two ranks is",
}


@dataclass(frozen=True)
class Evidence:
    """How a story's reports are linked: averages over their pairs, their time span and the matcher's reasons."""

    reports: int
    embedding: float | None  # mean cosine of title-and-lead embeddings over pairs; None for one report
    terms: float | None  # mean cosine of the words-and-names vectors
    days: int | None  # calendar days from the first dated report to the last; None when none is dated
    reasons: list[tuple[str, float]] = field(default_factory=list)  # (signal, weight × mean value), strongest first


def spread(members: Sequence[T], limit: int) -> list[T]:
    """At most ``limit`` of ``members`` (in their order), evenly spaced, the first and the last among them: the
    sample a story's "why together" and its summary are read from."""
    if len(members) <= limit:
        return list(members)
    if limit <= 1:
        return list(members[:limit])
    step = (len(members) - 1) / (limit - 1)
    return [members[round(n * step)] for n in range(limit)]


def story_evidence(members: Sequence[ArticleFeatures], settings: Settings) -> Evidence:
    """The evidence that holds a story's original reports (``members``, in publication order) together."""
    days = [date.fromisoformat(m.day[:10]) for m in members if m.day]
    span = (max(days) - min(days)).days if days else None
    if len(members) < 2:
        return Evidence(len(members), None, None, span)
    sample = spread(members, MAX_EVIDENCE_REPORTS)
    signals = pair_signals(sample, day_distance(sample))
    upper = np.triu_indices(len(sample), k=1)
    means = [float(matrix[upper].mean()) for matrix in signals]
    reasons: list[tuple[str, float]] = []
    if settings.story_matcher == "learned":
        model = load_matcher(settings.matcher_path)
        contributions = [
            (name, coef / scale * (value - mean))
            for name, coef, scale, mean, value in zip(
                model.features, model.coef, model.scale, model.mean, means, strict=True
            )
        ]
        reasons = sorted((c for c in contributions if abs(c[1]) >= MIN_CONTRIBUTION), key=lambda c: -abs(c[1]))
    return Evidence(len(members), means[0], means[1], span, reasons)
