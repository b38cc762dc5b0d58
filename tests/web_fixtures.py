"""A small rated database for the browsing tests: two stories, entities, and synthetic embeddings (no models).

The ferry story of :mod:`sources_data` (rated outlets on every side) plus a budget story covered only by the
Ridge Post (right) a month later. Every original article gets a unit embedding: the ferry articles point one
way, the budget articles another, so "more like this" has a known answer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from crosscheck import Store
from crosscheck.models import ParsedArticle
from sources_data import SCRIPT, RatedDB, build_rated_db

DIM = 16
ODD_ENTITY = "AC/DC & Sons? #1"  # a name with characters that must be encoded in a path
FORMULA_TITLE = '=HYPERLINK("http://x.example") budget'  # a spreadsheet would run it as a formula


class BrowseDB(RatedDB):
    """The rated database with a second story; ``budget`` holds the new story's id and article ids."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.budget = 0
        self.budget_articles: list[int] = []


def _vector(direction: int, wobble: float) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    vector[direction] = 1.0
    vector[(direction + 1) % DIM] = wobble
    return vector / np.linalg.norm(vector)


def _add_budget_story(store: Store, built: BrowseDB) -> None:
    ridge = store.outlet_id("ridgepost.example", "Ridge Post")
    built.budget = store.create_story()
    for n in range(3):
        title = FORMULA_TITLE if n == 2 else f"Budget vote {n} {SCRIPT}"
        parsed = ParsedArticle(external_id=f"budget-{n}", title=title,
                               text=f"The city budget passed. Vote {n}.", url=f"https://ridgepost.example/news/b{n}",
                               published=f"2025-07-{n + 1:02d}", location=f"/in/budget-{n}.txt")  # fmt: skip
        article = store.insert_article(parsed, key=f"budget-{n}", outlet_id=ridge, text_hash=f"budget-{n}",
                                       duplicate_of=None, duplicate_kind=None)  # fmt: skip
        built.budget_articles.append(article)
        store.set_story(article, built.budget)
        store.add_entities(article, [("City Council", "ORG", 2), (ODD_ENTITY, "ORG", 1)])
        store.save_features(article, embedding=_vector(5, 0.1 * n), minhash=None, terms={})
    store.update_story_summary(built.budget, headline="City budget passes", bullets=[], why=[])


def build_browse_db(folder: Path) -> BrowseDB:
    """The rated ferry story with entities and embeddings, and the budget story."""
    rated = build_rated_db(folder)
    built = BrowseDB(rated.path)
    built.articles, built.story = rated.articles, rated.story
    with Store(built.path) as store, store.transaction():
        for n, (name, article) in enumerate(built.articles.items()):
            store.add_entities(article, [("Harbor Union", "ORG", 2), ("Ferry Board", "ORG", 1)])
            if name != "copy":  # a copy has no embedding of its own, as the pipeline stores it
                store.save_features(article, embedding=_vector(0, 0.05 * n), minhash=None, terms={})
        store.add_entities(built.articles["ridge"], [("City Council", "ORG", 1)])
        store.update_story_summary(built.story, headline="Ferry strike ends", bullets=[], why=[])
        _add_budget_story(store, built)
    return built
