"""Downloads of one story under ``/api``: its articles (with outlet, lean, date, copy marker) and its figures,
as CSV for spreadsheets and as one JSON file with the timeline by lean."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from crosscheck.exports import csv_cell
from crosscheck.settings import Settings
from crosscheck.storage import Reader
from crosscheck.story_view import StoryView, read_story_figures
from crosscheck.web.explore import story_timeline, timeline_dict
from crosscheck.web.params import ReaderDep, SettingsDep, StoryId
from crosscheck.web.views import read_web_story

router = APIRouter(prefix="/api", tags=["downloads"])

ARTICLE_FIELDS = ("number", "article_id", "title", "outlet", "outlet_domain", "lean", "side", "factuality",
                  "published", "independent", "duplicate_of", "duplicate_kind", "url")  # fmt: skip


def to_csv(rows: Iterable[dict[str, Any]], fields: Iterable[str]) -> str:
    """Rows as CSV text with a header line (every cell through :func:`csv_cell`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()


def _story_or_404(reader: Reader, story_id: int, settings: Settings) -> StoryView:
    view = read_web_story(reader, story_id, settings)
    if view is None:
        raise HTTPException(404, f"There is no story {story_id}.")
    return view


def _redirect(request: Request, name: str, story_id: int) -> RedirectResponse:
    return RedirectResponse(request.url_for(name, story_id=story_id).path, status_code=301)


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _csv(body: str, filename: str) -> Response:
    return Response(body, media_type="text/csv; charset=utf-8", headers=_attachment(filename))


@router.get("/stories/{story_id}/articles.csv", name="story_articles_csv", response_class=Response,
            summary="A story's articles as CSV", responses={200: {"content": {"text/csv": {}}}})  # fmt: skip
def articles_csv(request: Request, story_id: StoryId, reader: ReaderDep, settings: SettingsDep) -> Response:
    """One row per article: number, id, title, outlet and domain, lean (the outlet's combined bias) and side,
    factuality, published, whether it is an independent report, what it copies, and its address.

    Text that a spreadsheet would read as a formula starts with `'`."""
    target = reader.resolve_story_id(story_id)
    if target != story_id:
        return _redirect(request, "story_articles_csv", target)
    rows = _story_or_404(reader, story_id, settings).article_rows()
    return _csv(to_csv(rows, ARTICLE_FIELDS), f"crosscheck-story-{story_id}-articles.csv")


CLAIM_FIELDS = ("id", "article_id", "outlet", "published", "subject", "kind", "value", "value_high", "unit",
                "period", "speaker", "evidence")  # fmt: skip


@router.get("/stories/{story_id}/claims.csv", name="story_claims_csv", response_class=Response,
            summary="A story's figures as CSV", responses={200: {"content": {"text/csv": {}}}})  # fmt: skip
def claims_csv(request: Request, story_id: StoryId, reader: ReaderDep) -> Response:
    """One row per figure (claim) of the story's articles, with the sentence stating it."""
    target = reader.resolve_story_id(story_id)
    if target != story_id:
        return _redirect(request, "story_claims_csv", target)
    figures = read_story_figures(reader, story_id)
    if figures is None:
        raise HTTPException(404, f"There is no story {story_id}.")
    rows = [c.to_dict() for c in figures.claims]
    return _csv(to_csv(rows, CLAIM_FIELDS), f"crosscheck-story-{story_id}-figures.csv")


def story_export(view: StoryView) -> dict[str, Any]:
    """The story, its articles with lean, its timeline by lean and its figures, as one JSON document."""
    data = {k: v for k, v in view.record.to_dict().items() if k != "article_ids"}
    data["articles"] = view.article_rows()
    data["timeline"] = timeline_dict(story_timeline(view.coverage))
    data["claims"] = [c.to_dict() for c in view.claims]
    return data


@router.get("/stories/{story_id}/export.json", name="story_export_json", response_model=None,
            summary="A story as one JSON file: articles with lean, timeline, figures")  # fmt: skip
def export_json(request: Request, story_id: StoryId, reader: ReaderDep, settings: SettingsDep) -> Response:
    """The story, every article with its outlet, lean, date and copy marker, articles per day by lean, and
    every figure; sent as a file to save."""
    target = reader.resolve_story_id(story_id)
    if target != story_id:
        return _redirect(request, "story_export_json", target)
    data = story_export(_story_or_404(reader, story_id, settings))
    return JSONResponse(data, headers=_attachment(f"crosscheck-story-{story_id}.json"))
