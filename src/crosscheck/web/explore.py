"""Browsing across stories: entity pages, "more like this" by embedding, and a story's timeline by lean.

The view models here are shared by the HTML pages and the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse

from crosscheck.sources.coverage import Coverage
from crosscheck.storage import ArticleRecord, EntityCount, Reader
from crosscheck.storage.browse import Browser, EntityStory
from crosscheck.web.charts import Timeline, build_timeline
from crosscheck.web.params import ReaderDep
from crosscheck.web.render import render
from crosscheck.web.similar import embedding_matrix
from crosscheck.web.views import EntityGroup, group_entities

SIMILAR_LIMIT = 10
ENTITY_ARTICLES = 50
ENTITY_STORIES = 50
COOCCURRING = 40

router = APIRouter(include_in_schema=False)
EntityName = Annotated[str, PathParam(min_length=1, max_length=300, description="The entity's exact name")]


@dataclass(frozen=True)
class SimilarArticle:
    """An article near another by embedding; ``score`` is the cosine of their embeddings."""

    record: ArticleRecord
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.record.to_dict(), "score": round(self.score, 4)}


def similar_articles(reader: Reader, db_key: str, record: ArticleRecord, *, limit: int) -> list[SimilarArticle] | None:
    """The stored articles nearest to ``record``, best first; None when it has no stored embedding.

    A copy has no embedding of its own: its original's stands in, and neither is listed.
    """
    browser = Browser(reader.conn)
    matrix = embedding_matrix(browser, db_key)
    query = record.id if record.id in matrix.rows else record.duplicate_of
    if query is None or query not in matrix.rows:
        return None
    found = matrix.nearest(query, limit=limit, exclude={record.id})
    records = {r.id: r for r in browser.articles_by_ids([i for i, _ in found])}
    return [SimilarArticle(records[i], score) for i, score in found if i in records]


def db_key(request: Request) -> str:
    """The key of the app's database for per-process caches: its path (or address) as configured."""
    return str(request.app.state.db_path)


@dataclass(frozen=True)
class EntityView:
    """One entity across the database: its labels, articles, stories and the entities named with it."""

    name: str
    labels: list[str]
    article_count: int
    articles: list[tuple[ArticleRecord, int]]
    stories: list[EntityStory]
    cooccurring: list[EntityGroup]
    cooccurring_flat: list[EntityCount]

    def to_dict(self) -> dict[str, Any]:
        """The entity for the JSON API."""
        return {
            "name": self.name,
            "labels": self.labels,
            "article_count": self.article_count,
            "articles": [{**a.to_dict(), "mentions": n} for a, n in self.articles],
            "stories": [
                {
                    **{k: v for k, v in s.story.to_dict().items() if k != "article_ids"},
                    "mentioning_articles": s.mentioning,
                }
                for s in self.stories
            ],
            "cooccurring": [{"name": e.name, "label": e.label, "articles": e.articles} for e in self.cooccurring_flat],
        }


def entity_view(reader: Reader, name: str) -> EntityView | None:
    """Everything the entity page shows, or None when no article mentions an entity of this name (or a variant
    of it: "Nato" for "NATO")."""
    browser = Browser(reader.conn)
    found = browser.entity_ids(name)
    ids = [i for i, _ in found]
    count = browser.entity_article_count(ids)
    if not count:
        return None
    together = browser.cooccurring(ids, limit=COOCCURRING)
    return EntityView(
        name=name,
        labels=[found[0][1]],  # the label most of its mentions have
        article_count=count,
        articles=browser.entity_articles(ids, limit=ENTITY_ARTICLES),
        stories=browser.entity_stories(ids, limit=ENTITY_STORIES),
        cooccurring=group_entities(together),
        cooccurring_flat=together,
    )


def story_timeline(coverage: Coverage) -> Timeline | None:
    """Articles per day by the lean of their outlet (unrated when the outlet has no bias rating)."""
    return build_timeline((item.article.published, item.side) for item in coverage.articles)


def timeline_dict(timeline: Timeline | None) -> dict[str, Any]:
    """The timeline's numbers for the JSON API."""
    if timeline is None:
        return {"days": [], "undated": 0, "totals": {}}
    days = [{"day": r.day, **r.counts, "total": r.total} for r in timeline.rows]
    return {"days": days, "undated": timeline.undated, "totals": timeline.totals}


@router.get("/entities/{name:path}", name="entity", response_class=HTMLResponse)
def entity(request: Request, name: EntityName, reader: ReaderDep) -> HTMLResponse:
    """One entity: the stories and articles that mention it and the entities mentioned with it."""
    view = entity_view(reader, name)
    if view is None:
        raise HTTPException(404, f"No stored article mentions an entity named {name}.")
    return render(request, "entity.html", {"entity": view, "limit": ENTITY_ARTICLES})
