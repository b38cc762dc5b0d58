"""The server-rendered HTML pages: stories, one story, one article, search, and the API index."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal
from urllib.parse import quote_plus, urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosscheck.claims.chart import build_chart
from crosscheck.entities.canonical import article_entities
from crosscheck.sources.blindspot import blindspots as find_blindspots
from crosscheck.sources.profile import normalise_domain, outlet_profile, outlet_summaries
from crosscheck.storage.claims import ClaimReader
from crosscheck.storage.ratings import sources as rating_sources
from crosscheck.storage.ratings import story_headlines
from crosscheck.web.charts import bias_bar
from crosscheck.web.explore import SIMILAR_LIMIT, db_key, similar_articles, story_timeline
from crosscheck.web.filters import HomeFilters, HomeFiltersDep, filtered_stories
from crosscheck.web.glance import glance
from crosscheck.web.leans import LEANS, lean_index
from crosscheck.web.params import ArticleId, LikeParam, OrderParam, ReaderDep, SearchQuery, SettingsDep, StoryId
from crosscheck.web.render import render
from crosscheck.web.views import group_entities, read_web_story, story_headline, story_page

PAGE_SIZE = 30
SEARCH_LIMIT = 50
LeanFilter = Annotated[Literal["left", "center", "right"] | None, Query()]
ORDER_LABELS: dict[str, str] = {"recent": "Newest", "coverage": "Most covered"}

router = APIRouter(include_in_schema=False)


def _page_link(request: Request, filters: HomeFilters, order: str, page: int) -> str:
    return str(request.url_for("home").path) + "?" + filters.query_string(order=order, page=page)


def _pager(request: Request, filters: HomeFilters, order: str, page: int, pages: int) -> dict[str, Any]:
    return {
        "page": page,
        "pages": pages,
        "prev": _page_link(request, filters, order, page - 1) if page > 1 else None,
        "next": _page_link(request, filters, order, page + 1) if page < pages else None,
    }


@router.get("/", name="home", response_class=HTMLResponse)
def home(
    request: Request,
    reader: ReaderDep,
    settings: SettingsDep,
    filters: HomeFiltersDep,
    order: OrderParam = "recent",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Stories, newest or most covered first, 30 to a page, filtered, with the database's totals."""
    found = filtered_stories(reader, filters, settings, order=order, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, math.ceil(found.total / PAGE_SIZE))
    if page > pages:
        raise HTTPException(404, f"There is no page {page}: the stories fill {pages} page(s).")
    sides = [found.index.of(s.id) for s in found.stories]
    rows = [(s, story_headline(s), bias_bar(n), n) for s, n in zip(found.stories, sides, strict=True)]
    context = {
        "counts": reader.counts(),
        "stories": rows,
        "total": found.total,
        "rated": found.index.rated,
        "filters": filters,
        "leans": LEANS,
        "order": order,
        "orders": [(key, label, _page_link(request, filters, key, 1)) for key, label in ORDER_LABELS.items()],
        "pager": _pager(request, filters, order, page, pages),
        "first_number": (page - 1) * PAGE_SIZE + 1,
    }
    return render(request, "home.html", context)


@router.get("/stories/{story_id}", name="story", response_class=HTMLResponse)
def story(
    request: Request, story_id: StoryId, reader: ReaderDep, settings: SettingsDep, lean: LeanFilter = None
) -> Response:
    """One story from every side, its article list filtered to one side with ``lean``; a merged story's old id
    redirects to the story that absorbed it."""
    target = reader.resolve_story_id(story_id)
    if target != story_id:
        return RedirectResponse(str(request.url_for("story", story_id=target).path), status_code=301)
    view = read_web_story(reader, story_id, settings)
    if view is None:
        raise HTTPException(404, f"There is no story {story_id}.")
    page = story_page(view, lean)
    context = {"view": view, "page": page, "coverage": view.coverage, "blindspot": view.blindspot,
               "glance": glance(view.coverage),
               "ledger": view.ledger, "timeline": story_timeline(view.coverage),
               "day_outlets": {d.day: d.outlets for d in page.days}}  # fmt: skip
    return render(request, "story.html", context)


@router.get("/articles/{article_id}", name="article", response_class=HTMLResponse)
def article(request: Request, article_id: ArticleId, reader: ReaderDep) -> HTMLResponse:
    """One article: where it came from, what it mentions, its story, and its text as plain paragraphs."""
    record = reader.article(article_id)
    if record is None:
        raise HTTPException(404, f"There is no article {article_id}.")
    story_record = reader.story(reader.resolve_story_id(record.story_id)) if record.story_id else None
    context = {
        "article": record,
        "text": reader.article_text(article_id) or "",
        "entity_groups": group_entities(article_entities(reader, article_id)),
        "story": story_record,
        "story_headline": story_headline(story_record) if story_record else None,
        "original": reader.article(record.duplicate_of) if record.duplicate_of else None,
        "similar": similar_articles(reader, db_key(request), record, limit=SIMILAR_LIMIT),
    }
    return render(request, "article.html", context)


@router.get("/outlets", name="outlets", response_class=HTMLResponse)
def outlets(request: Request, reader: ReaderDep) -> HTMLResponse:
    """The outlets of the stored articles with their combined ratings and the imported rater files."""
    context = {"outlets": outlet_summaries(reader.conn), "files": rating_sources(reader.conn)}
    return render(request, "outlets.html", context)


@router.get("/outlets/{domain}", name="outlet", response_class=HTMLResponse)
def outlet(request: Request, domain: Annotated[str, Path(max_length=300)], reader: ReaderDep) -> Response:
    """One outlet: every rater's rating side by side, owner, country, its articles and stories."""
    key = normalise_domain(domain)
    if key and key != domain:
        return RedirectResponse(str(request.url_for("outlet", domain=key).path), status_code=301)
    profile = outlet_profile(reader.conn, key) if key else None
    if profile is None or not profile.known:
        raise HTTPException(404, f"No rater file and no stored article knows the outlet {domain}.")
    return render(request, "outlet.html", {"profile": profile})


@router.get("/blindspots", name="blindspots", response_class=HTMLResponse)
def blindspots(request: Request, reader: ReaderDep, settings: SettingsDep) -> HTMLResponse:
    """Stories one side of the spectrum largely missed, by the published rule."""
    index = lean_index(reader.conn, settings)  # every story's coverage, kept while the database is unchanged
    base, found = find_blindspots(index.coverages, settings)
    headlines = story_headlines(reader.conn, [b.story_id for b in found])
    context = {"base": base, "found": found, "settings": settings, "headlines": headlines, "rated": index.rated}
    return render(request, "blindspots.html", context)


FIGURES_LIMIT = 500  # the most figures one chart draws
FIGURES_PAGE = 100  # figures listed per page
FigureFilter = Annotated[str, Query(max_length=200)]


@router.get("/figures", name="figures", response_class=HTMLResponse)
def figures(
    request: Request,
    reader: ReaderDep,
    subject: FigureFilter = "",
    unit: FigureFilter = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Figures across stories, filtered by subject and unit, 100 to a page, with a chart of one subject's figures
    over time."""
    claims = ClaimReader(reader.conn)
    chosen, of_unit = subject or None, unit or None
    total = claims.count_claims(subject=chosen, unit=of_unit)
    pages = max(1, math.ceil(total / FIGURES_PAGE))
    if page > pages:
        raise HTTPException(404, f"There is no page {page}: the figures fill {pages} page(s).")
    listed = claims.claims(subject=chosen, unit=of_unit, limit=FIGURES_PAGE, offset=(page - 1) * FIGURES_PAGE)
    chart = None
    if subject and unit:
        charted = claims.claims(subject=chosen, unit=of_unit, limit=FIGURES_LIMIT)
        chart = build_chart(charted, claims.reference_series(subject, unit), unit)
    link = str(request.url_for("figures").path) + "?"
    query = {k: v for k, v in (("subject", subject), ("unit", unit)) if v}
    pager = {"page": page, "pages": pages,
             "prev": link + urlencode({**query, "page": page - 1}) if page > 1 else None,
             "next": link + urlencode({**query, "page": page + 1}) if page < pages else None}  # fmt: skip
    context = {"subjects": claims.subjects(), "units": claims.units(), "subject": subject, "unit": unit,
               "claims": listed, "total": total, "first_number": (page - 1) * FIGURES_PAGE + 1, "chart": chart,
               "pager": pager}  # fmt: skip
    return render(request, "figures.html", context)


@router.get("/search", name="search", response_class=HTMLResponse)
def search(request: Request, reader: ReaderDep, q: SearchQuery = "", like: LikeParam = None,
           page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> HTMLResponse:  # fmt: skip
    """Full-text search over titles and texts, 50 results to a page, or with ``like`` the articles nearest to one
    article by meaning; with neither, just the form."""
    query = q.strip()
    context: dict[str, Any] = {"query": query, "hits": [], "total": 0, "first_number": 1, "pager": None,
                               "like": None, "similar": None}  # fmt: skip
    if like is not None:
        record = reader.article(like)
        if record is None:
            raise HTTPException(404, f"There is no article {like}.")
        context.update(like=record, similar=similar_articles(reader, db_key(request), record, limit=SEARCH_LIMIT))
    elif query:
        total = reader.search_total(query)
        pages = max(1, math.ceil(total / SEARCH_LIMIT))
        if page > pages:
            raise HTTPException(404, f"There is no page {page}: the results fill {pages} page(s).")
        link = str(request.url_for("search").path) + "?q=" + quote_plus(query) + "&page="
        pager = {"page": page, "pages": pages, "prev": f"{link}{page - 1}" if page > 1 else None,
                 "next": f"{link}{page + 1}" if page < pages else None}  # fmt: skip
        offset = (page - 1) * SEARCH_LIMIT
        hits = reader.search(query, limit=SEARCH_LIMIT, offset=offset)
        context.update(hits=hits, total=total, first_number=offset + 1, pager=pager)
    return render(request, "search.html", context)


@router.get("/docs", name="api_docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """A plain list of the JSON API's routes, built from the OpenAPI schema (no external scripts)."""
    schema = request.app.openapi()
    routes = [
        (path, method.upper(), op.get("summary", ""), op.get("description", ""), op.get("parameters", []))
        for path, methods in schema.get("paths", {}).items()
        for method, op in methods.items()
    ]
    return render(request, "api.html", {"routes": routes, "title": schema["info"]["title"]})
