"""A story's headline: the member title that best represents the story, as a plain news headline.

Titles are cleaned of labels ("OPINION: …", "Analysis | …") and titles that are page furniture (a programme's
name, "Read the full text of …", shouting) are set aside (:mod:`crosscheck.summaries.furniture`). Among the
rest, outlets' own titles come before titles crosscheck derived from the text, news before titles labelled
opinion, and of those the title closest to all members' titles and leads is chosen. When every title is
furniture, the first sentence of a lead that reads as news is the headline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from crosscheck.summaries.furniture import clean_sentence, clean_title, is_furniture_title
from crosscheck.summaries.sentences import split_sentences

MAX_LEAD_HEADLINE_WORDS = 16


@dataclass(frozen=True)
class TitleCandidate:
    title: str
    derived: bool  # made by crosscheck from the text rather than given by the outlet
    lead: str  # the article's opening text, to judge how central the title is


@dataclass(frozen=True)
class _Title:
    text: str
    rank: tuple[int, int]
    candidate: TitleCandidate


def _preference(candidate: TitleCandidate) -> int:
    """Outlet titles first, then derived titles that read like headlines, then cut-off lead sentences."""
    if not candidate.derived:
        return 0
    cut_off = candidate.title.rstrip("\"'”’» ").endswith(("…", "..."))
    return 2 if cut_off else 1


def _titles(candidates: list[TitleCandidate]) -> list[_Title]:
    found = []
    for candidate in candidates:
        text, opinion = clean_title(candidate.title)
        if text and not is_furniture_title(text):
            found.append(_Title(text, (_preference(candidate), int(opinion)), candidate))
    return found


def _from_leads(candidates: list[TitleCandidate]) -> str | None:
    """The first sentence of a lead that reads as news (not furniture, eight words or more), shortened."""
    for candidate in candidates:
        for sentence in split_sentences(candidate.lead, limit=8):
            cleaned = clean_sentence(sentence)
            if cleaned and len(cleaned.split()) >= 8 and not is_furniture_title(cleaned):
                words = cleaned.rstrip(".").split()
                return " ".join(words) if len(words) <= MAX_LEAD_HEADLINE_WORDS else " ".join(words[:14]) + " …"
    return None


def choose_headline(candidates: list[TitleCandidate]) -> str:
    """The title closest to all members' titles and leads, among the most headline-like ones."""
    usable = [c for c in candidates if c.title.strip()]
    titles = _titles(usable)
    if not titles:
        fallback = _from_leads(candidates)
        if fallback:
            return fallback
        return clean_title(usable[0].title)[0] or usable[0].title if usable else "Untitled story"
    best_rank = min(t.rank for t in titles)
    pool = [t for t in titles if t.rank == best_rank]
    if len(pool) == 1 or len(usable) == 1:
        return pool[0].text
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        vectorizer.fit([f"{c.title} {c.lead}" for c in usable])
    except ValueError:
        return pool[0].text
    context = np.asarray(vectorizer.transform([f"{c.title} {c.lead}" for c in usable]).mean(axis=0)).ravel()
    # Sparse times dense: a dense matrix of the titles would be titles × vocabulary (gigabytes for a story of
    # 10,000 reports, as one feed of near-identical items makes).
    scores = np.asarray(vectorizer.transform([t.text for t in pool]) @ context).ravel()
    return pool[int(np.argmax(scores))].text
