"""Extractive summary bullets: central, well-supported, non-redundant sentences, each citing its articles.

A sentence scores by how close it is to the story as a whole (TF-IDF centroid), how many articles say much the
same thing, and how early it comes in its article (news leads carry the facts). Bullets are then chosen
greedily, skipping any too similar to one already chosen (maximal marginal relevance).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from crosscheck.storage.records import Bullet

MIN_WORDS, MAX_WORDS = 8, 45
SUPPORT_SIMILARITY = 0.3  # another article "says much the same" at this TF-IDF cosine
CITE_SIMILARITY = 0.45  # an article is cited for a bullet when one of its sentences is this close
MIN_BULLETS = 3

# Sentences that lean on the previous one make poor stand-alone bullets.
_DEPENDENT_START = re.compile(
    r"^(he|she|it|they|this|that|these|those|but|and|or|so|also|however|meanwhile|further|in addition)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Candidate:
    article_id: int
    position: int
    text: str


def _usable(sentence: str) -> bool:
    words = len(sentence.split())
    return (
        MIN_WORDS <= words <= MAX_WORDS
        and not sentence.endswith("?")
        and sentence[:1] not in "\"“‘'"
        and not _DEPENDENT_START.match(sentence)
    )


def _candidates(articles: list[tuple[int, list[str]]], strict: bool) -> list[_Candidate]:
    found = []
    for article_id, sentences in articles:
        for position, sentence in enumerate(sentences):
            if _usable(sentence) if strict else len(sentence.split()) >= 5:
                found.append(_Candidate(article_id, position, sentence))
    return found


def _scores(candidates: list[_Candidate], similarity: np.ndarray, matrix: Any) -> np.ndarray:
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid)) or 1.0
    centrality = np.asarray(matrix @ (centroid / norm)).ravel()
    owners = np.array([c.article_id for c in candidates])
    scores = np.empty(len(candidates))
    for i, candidate in enumerate(candidates):
        support = max(1, len(set(owners[similarity[i] >= SUPPORT_SIMILARITY].tolist())))
        lead = 0.15 / (1 + candidate.position)
        scores[i] = centrality[i] * (1 + 0.5 * math.log(support)) + lead
    return scores


def select_bullets(
    articles: list[tuple[int, list[str]]],
    *,
    max_bullets: int = 5,
    redundancy: float = 0.5,
    days: Mapping[int, str | None] | None = None,
) -> list[Bullet]:
    """Choose up to ``max_bullets`` bullets from ``articles`` given as (article id, sentences in order); each
    bullet carries the day ``days`` gives the article it was taken from (none without ``days``)."""
    candidates = _candidates(articles, strict=True)
    if len(candidates) < MIN_BULLETS:
        candidates = _candidates(articles, strict=False)
    if not candidates:
        return []
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        # Sparse: a dense sentences × vocabulary matrix of a large story takes gigabytes.
        matrix = vectorizer.fit_transform([c.text for c in candidates])
    except ValueError:  # nothing but stop words
        return []
    similarity = (matrix @ matrix.T).toarray()
    scores = _scores(candidates, similarity, matrix)
    chosen: list[int] = []
    for i in np.argsort(-scores, kind="stable"):
        if len(chosen) >= max_bullets:
            break
        if all(similarity[i, j] < redundancy for j in chosen):
            chosen.append(int(i))
    owners = np.array([c.article_id for c in candidates])
    bullets = []
    for i in chosen:
        cited = {candidates[i].article_id, *owners[similarity[i] >= CITE_SIMILARITY].tolist()}
        day = days.get(candidates[i].article_id) if days else None
        bullets.append(Bullet(candidates[i].text, sorted(int(a) for a in cited), day))
    return bullets
