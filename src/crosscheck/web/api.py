"""The JSON API under `/api`: the same data as the pages, for scripts and other tools."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from crosscheck.entities.canonical import article_entities
from crosscheck.settings import Settings
from crosscheck.sources.blindspot import blindspots as find_blindspots
from crosscheck.sources.profile import normalise_domain, outlet_profile
from crosscheck.storage.claims import ClaimReader
from crosscheck.story_view import StoryFigures, read_story_figures
from crosscheck.web.explore import db_key, entity_view, similar_articles, story_timeline, timeline_dict
from crosscheck.web.filters import HomeFiltersDep, filtered_stories
from crosscheck.web.leans import cached_coverage, lean_index
from crosscheck.web.params import (
    SQLITE_MAX_INT,
    ArticleId,
    LikeParam,
    OrderParam,
    ReaderDep,
    SearchQuery,
    SettingsDep,
    StoryId,
)
from crosscheck.web.views import read_web_story

router = APIRouter(prefix="/api", tags=["api"])

SEARCH_MAX = 100
DownloadParam = Annotated[bool, Query(description="`true`: send the JSON as a file to save")]


def _redirect(request: Request, name: str, **params: int) -> RedirectResponse:
    url = request.url_for(name, **params).path
    if request.url.query:
        url += "?" + request.url.query
    return RedirectResponse(url, status_code=301)


@router.get("/stats", name="api_stats", summary="Totals")
def stats(reader: ReaderDep) -> dict[str, int]:
    """Totals: articles, independent reports, duplicates, stories, outlets."""
    return reader.counts()


@router.get("/stories", name="api_stories", summary="Stories, newest or most covered first, filtered")
def stories(
    reader: ReaderDep,
    settings: SettingsDep,
    filters: HomeFiltersDep,
    order: OrderParam = "recent",
    limit: Annotated[int, Query(ge=1, le=200, description="Stories to return (1–200)")] = 50,
    offset: Annotated[int, Query(ge=0, le=SQLITE_MAX_INT, description="Stories to skip")] = 0,
) -> dict[str, Any]:
    """A page of the stories passing the filters (without their member ids: see `/api/stories/{id}`), each with
    its independent reports per side (`sides`) and its `lean`; `total` counts every story passing the filters."""
    found = filtered_stories(reader, filters, settings, order=order, limit=limit, offset=offset)
    rows = []
    for s in found.stories:
        sides = found.index.of(s.id)
        row = {k: v for k, v in s.to_dict().items() if k != "article_ids"}
        rows.append(
            {**row, "sides": dict(sides.items()), "lean": sides.lean, "blindspot": s.id in found.index.blindspots}
        )
    return {"order": order, "limit": limit, "offset": offset, "filters": filters.query(), "total": found.total,
            "ratings_imported": found.index.rated, "stories": rows}  # fmt: skip


@router.get("/stories/{story_id}", name="api_story", summary="One story with its articles and entities",
            response_model=None)  # fmt: skip
def story(request: Request, story_id: StoryId, reader: ReaderDep, settings: SettingsDep,
          download: DownloadParam = False) -> Response:  # fmt: skip
    """The story record, its articles (oldest first, undated last) and its entities.

    A merged story's old id redirects (301) to the story that absorbed it. `download=true` asks the
    browser to save the JSON as a file.
    """
    target = reader.resolve_story_id(story_id)
    if target != story_id:
        return _redirect(request, "api_story", story_id=target)
    view = read_web_story(reader, story_id, settings)
    if view is None:
        raise HTTPException(404, f"There is no story {story_id}.")
    headers = {"Content-Disposition": f'attachment; filename="crosscheck-story-{story_id}.json"'}
    return JSONResponse(view.to_dict(), headers=headers if download else None)


@router.get("/articles/{article_id}", name="api_article", summary="One article with its text and entities")
def article(article_id: ArticleId, reader: ReaderDep) -> dict[str, Any]:
    """The article's metadata, its plain text and the entities it mentions."""
    record = reader.article(article_id)
    if record is None:
        raise HTTPException(404, f"There is no article {article_id}.")
    data = record.to_dict()
    data["text"] = reader.article_text(article_id) or ""
    data["entities"] = [asdict(e) for e in article_entities(reader, article_id)]
    return data


@router.get("/search", name="api_search", summary="Full-text search, or articles like one article")
def search(
    request: Request,
    reader: ReaderDep,
    q: SearchQuery = "",
    like: LikeParam = None,
    limit: Annotated[int, Query(ge=1, le=SEARCH_MAX, description="Results to return (1–100)")] = 20,
    offset: Annotated[int, Query(ge=0, le=SQLITE_MAX_INT, description="Results to skip (full-text search)")] = 0,
) -> dict[str, Any]:
    """Articles matching all the words of `q`, best first, from the `offset`-th on, with the `total` that match;
    or, with `like`, the articles nearest to that article by meaning (as `/api/articles/{id}/similar`).

    Each snippet is raw article text (escape it before display); `matches` lists each match in it as
    `[start, end]` character offsets.
    """
    if like is not None:
        return {"like": like, **similar(request, like, reader, limit)}
    query = q.strip()
    hits = reader.search(query, limit=limit, offset=offset) if query else []
    return {
        "query": q, "limit": limit, "offset": offset, "total": reader.search_total(query) if query else 0,
        "results": [{"article": h.article.to_dict(), "snippet": h.snippet, "matches": h.matches} for h in hits],
    }  # fmt: skip


@router.get("/articles/{article_id}/similar", name="api_similar", summary="More like this: nearest articles")
def similar(
    request: Request,
    article_id: ArticleId,
    reader: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=SEARCH_MAX, description="Articles to return (1–100)")] = 10,
) -> dict[str, Any]:
    """The stored articles nearest to this one by the cosine of their embeddings, best first, each with its
    `score` (1: the same direction). `embedded` is false when the article has no stored embedding (then
    `results` is empty); a copy uses its original's embedding."""
    record = reader.article(article_id)
    if record is None:
        raise HTTPException(404, f"There is no article {article_id}.")
    found = similar_articles(reader, db_key(request), record, limit=limit)
    return {"article_id": article_id, "embedded": found is not None, "results": [s.to_dict() for s in found or []]}


@router.get("/entities/{name:path}", name="api_entity", summary="One entity across stories")
def entity(name: Annotated[str, Path(min_length=1, max_length=300, description="The entity's exact name")],
           reader: ReaderDep) -> dict[str, Any]:  # fmt: skip
    """The labels of the entities of this exact name, the number of articles mentioning them, the newest 50
    such articles (with mentions), up to 50 stories (most mentioning articles first) and the entities most
    often mentioned in the same articles."""
    view = entity_view(reader, name)
    if view is None:
        raise HTTPException(404, f"No stored article mentions an entity named {name}.")
    return view.to_dict()


@router.get("/stories/{story_id}/timeline", name="api_story_timeline", summary="A story's articles per day by lean")
def timeline(story_id: StoryId, reader: ReaderDep, settings: SettingsDep) -> dict[str, Any]:
    """For each day with articles, how many came from outlets on the left, center and right, and how many are
    unrated (no bias rating for the outlet), with the totals and the number of undated articles."""
    story_id = reader.resolve_story_id(story_id)
    if reader.story(story_id) is None:
        raise HTTPException(404, f"There is no story {story_id}.")
    coverage = cached_coverage(reader.conn, story_id, settings)
    return {"story_id": story_id, **timeline_dict(story_timeline(coverage))}


@router.get("/outlets/{domain}", name="api_outlet", summary="One outlet: every rater's ratings and the combined")
def outlet(domain: Annotated[str, Path(max_length=300, description="Domain, host or URL")], reader: ReaderDep
           ) -> dict[str, Any]:  # fmt: skip
    """The outlet's names, each rater's value with its scale, date and file, the combined values with their
    spread (and why a value is missing), every rater entry for the domain, and the outlet's articles."""
    key = normalise_domain(domain)
    profile = outlet_profile(reader.conn, key) if key else None
    if profile is None or not profile.known:
        raise HTTPException(404, f"No rater file and no stored article knows the outlet {domain}.")
    return profile.to_dict()


@router.get("/blindspots", name="api_blindspots", summary="Stories one side largely missed")
def blindspots(reader: ReaderDep, settings: SettingsDep) -> dict[str, Any]:
    """The base rates, the rule's settings and every blindspot (see docs/ratings.md for the rule)."""
    base, found = find_blindspots(lean_index(reader.conn, settings).coverages, settings)
    rule = {k: getattr(settings, k) for k in Settings.documentation() if k.startswith("blindspot_")}
    return {"base_rates": asdict(base), "rule": rule, "blindspots": [{"story_id": b.story_id, **b.to_dict()}
                                                                    for b in found]}  # fmt: skip


@router.get("/stories/{story_id}/claims", name="api_story_claims", summary="A story's figures and its ledger")
def story_claims(story_id: StoryId, reader: ReaderDep) -> dict[str, Any]:
    """Every figure (claim) of the story's articles and the ledger rows grouping them, each reported value with
    its check against the imported reference figures."""
    story_id = reader.resolve_story_id(story_id)
    figures = read_story_figures(reader, story_id)
    if figures is None:
        raise HTTPException(404, f"There is no story {story_id}.")
    return claims_dict(figures)


def claims_dict(figures: StoryFigures) -> dict[str, Any]:
    """A story's figures and its ledger for the JSON API."""
    return {"story_id": figures.record.id, "claims": [c.to_dict() for c in figures.claims],
            "ledger": [row.to_dict() for row in figures.ledger]}  # fmt: skip


@router.get("/claims", name="api_claims", summary="Figures across stories")
def claims(
    reader: ReaderDep,
    subject: Annotated[str, Query(max_length=200, description="Only this subject (e.g. `United States`)")] = "",
    unit: Annotated[str, Query(max_length=40, description="Only this unit (e.g. `percent_gdp`)")] = "",
    limit: Annotated[int, Query(ge=1, le=5000, description="Figures to return (1–5000)")] = 500,
) -> dict[str, Any]:
    """Figures (claims) of every story, oldest article first, filtered by subject and unit."""
    found = ClaimReader(reader.conn).claims(subject=subject or None, unit=unit or None, limit=limit)
    return {"subject": subject, "unit": unit, "claims": [c.to_dict() for c in found]}
