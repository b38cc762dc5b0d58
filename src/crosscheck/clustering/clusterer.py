"""Incremental story clustering: each new article joins the most similar story or starts a new one.

Similarity combines the embedding of title and lead (what the article is about), TF-IDF over words and
entities (which event, which people and places) and a bonus for shared named entities; time gates it. Articles
are processed in publication order, so the result does not depend on the order of files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from crosscheck.clustering.constraints import Constraints
from crosscheck.clustering.index import StoryIndex, day_number
from crosscheck.clustering.lexical import TermVector
from crosscheck.models import StoryState
from crosscheck.settings import Settings

STORY_TERMS = 300  # strongest features kept per story


@dataclass(frozen=True)
class ArticleFeatures:
    """What the clusterer knows of one article."""

    article_id: int
    day: str | None
    embedding: np.ndarray
    terms: dict[int, float]

    @cached_property
    def vector(self) -> TermVector:
        """The term weights as a :class:`TermVector` (made once, compared with many stories)."""
        return TermVector.of(self.terms)


@dataclass(frozen=True)
class Assignment:
    story_id: int
    created: bool
    score: float


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _extend_span(first: str | None, last: str | None, day: str | None) -> tuple[str | None, str | None]:
    if day is None:
        return first, last
    day = day[:10]
    return (min(first, day) if first else day), (max(last, day) if last else day)


class Clusterer:
    """Assigns articles to stories, keeping story state in a :class:`StoryIndex`.

    ``create_story`` is called to obtain the id of a new story (the store allocates it). ``constraints`` are
    the editors' corrections (:mod:`.constraints`): they override the similarity for the articles they name.
    """

    def __init__(
        self,
        settings: Settings,
        index: StoryIndex,
        create_story: Callable[[], int],
        constraints: Constraints | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.create_story = create_story
        self.constraints = constraints if constraints is not None else Constraints()

    def similarity(self, article: ArticleFeatures, story: StoryState) -> float:
        """Combined similarity of an article to a story, in [0, 1 + entity_bonus]."""
        s = self.settings
        dense = float(np.dot(article.embedding, _unit(story.centroid)))
        terms = TermVector.of(story.terms)
        dot, shared_entities = terms.overlap(article.vector)
        norms = terms.norm() * article.vector.norm()
        lexical = dot / norms if norms else 0.0
        entities = article.vector.entity_count()
        shared = shared_entities / entities if entities else 0.0
        return s.embedding_weight * dense + (1 - s.embedding_weight) * lexical + s.entity_bonus * shared

    def best_story(self, article: ArticleFeatures) -> tuple[StoryState | None, float]:
        """The most similar candidate story at or above the threshold that the constraints allow, and the score."""
        lookup = sorted(article.terms, key=lambda f: article.terms[f], reverse=True)[: self.settings.candidate_terms]
        best: StoryState | None = None
        best_score = 0.0
        day = day_number(article.day)
        for story in self.index.candidates(lookup, article.embedding, day, self.settings.story_max_gap_days):
            score = self.similarity(article, story)
            allowed = score >= self.settings.story_threshold and self.constraints.allows(article.article_id, story.id)
            if allowed and score > best_score:
                best, best_score = story, score
        return best, best_score

    def assign(self, article: ArticleFeatures) -> Assignment:
        """Place an article in its story, updating that story's state.

        An article a correction groups with articles already placed joins their story, whatever its similarity.
        """
        home = self.constraints.story_of_group(article.article_id)
        if home is not None and home in self.index.states:
            story: StoryState | None = self.index.states[home]
            score = self.similarity(article, self.index.states[home])
        else:
            story, score = self.best_story(article)
        created = story is None
        if story is None:
            story = StoryState(
                id=self.create_story(),
                centroid=np.zeros_like(article.embedding),
                terms={},
                first_seen=None,
                last_seen=None,
                reports=0,
            )
        self.add_member(story, article)
        return Assignment(story.id, created, score)

    def reconsider(self, story_id: int, article: ArticleFeatures) -> StoryState | None:
        """Move ``article``, the only report of story ``story_id``, into a story found since; return that story.

        Articles are clustered in publication order, so an early article can start a story before the articles
        that link it to another one (undated ones, which come last) have arrived. At the end of an ingest each
        story it created with one report is reconsidered with everything then known. The emptied story is
        dropped from the index; the caller records where it went.
        """
        own = self.index.states.get(story_id)
        if own is None or own.reports != 1:
            return None
        self.index.remove(own.id)
        target, _ = self.best_story(article)
        if target is None:
            self.index.put(own)
            return None
        self.add_member(target, article)
        return target

    def rebuild(self, story_id: int, members: list[ArticleFeatures]) -> StoryState:
        """Replace a story's state with one built from ``members`` (in publication order), as if they alone had
        joined it."""
        story = StoryState(story_id, np.zeros_like(members[0].embedding), {}, None, None, 0)
        for member in members:
            self.add_member(story, member)
        return story

    def add_member(self, story: StoryState, article: ArticleFeatures) -> None:
        """Fold an article into a story's centroid, terms and dates."""
        story.centroid = story.centroid + article.embedding
        story.terms = TermVector.of(story.terms).plus(article.vector, STORY_TERMS)
        story.first_seen, story.last_seen = _extend_span(story.first_seen, story.last_seen, article.day)
        story.reports += 1
        self.index.put(story)
        self.constraints.placed(article.article_id, story.id)
