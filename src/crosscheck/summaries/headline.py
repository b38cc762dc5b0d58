"""A story's headline: the member title that best represents the story."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


@dataclass(frozen=True)
class TitleCandidate:
    title: str
    derived: bool  # made by crosscheck from the text rather than given by the outlet
    lead: str  # the article's opening text, to judge how central the title is


def _preference(candidate: TitleCandidate) -> int:
    """Outlet titles first, then derived titles that read like headlines, then cut-off lead sentences."""
    if not candidate.derived:
        return 0
    cut_off = candidate.title.rstrip("\"'”’» ").endswith(("…", "..."))
    return 2 if cut_off else 1


def choose_headline(candidates: list[TitleCandidate]) -> str:
    """The title closest to all members' titles and leads, among the most headline-like ones."""
    usable = [c for c in candidates if c.title.strip()]
    if not usable:
        return "Untitled story"
    best_rank = min(_preference(c) for c in usable)
    pool = [c for c in usable if _preference(c) == best_rank]
    if len(pool) == 1 or len(usable) == 1:
        return pool[0].title
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        vectorizer.fit([f"{c.title} {c.lead}" for c in usable])
    except ValueError:
        return pool[0].title
    context = np.asarray(vectorizer.transform([f"{c.title} {c.lead}" for c in usable]).mean(axis=0)).ravel()
    # Sparse times dense: a dense matrix of the titles would be titles × vocabulary (gigabytes for a story of
    # 10,000 reports, as one feed of near-identical items makes).
    scores = np.asarray(vectorizer.transform([c.title for c in pool]) @ context).ravel()
    return pool[int(np.argmax(scores))].title
