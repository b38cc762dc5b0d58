"""The story read model: one object per story that the page, the JSON API, the downloads and the exports render."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import WebDB
from crosscheck import Settings, Store
from crosscheck.claims.ledger import story_ledger
from crosscheck.entities.canonical import story_entities
from crosscheck.exports import export_rows
from crosscheck.figures import ArticleFigures, Claim
from crosscheck.sources.coverage import story_coverage
from crosscheck.storage import EntityCount, Reader, connect
from crosscheck.storage.claims import ClaimReader, save_figures
from crosscheck.story_view import API_ENTITIES, StoryView, excerpt, read_story, read_story_figures
from crosscheck.web import db, views
from crosscheck.web.api import claims_dict
from crosscheck.web.app import create_app
from crosscheck.web.downloads import CLAIM_FIELDS, to_csv
from sources_data import RatedDB, build_rated_db

SETTINGS = Settings()


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> RatedDB:
    """The rated story of ten articles (one a copy), two of its articles stating a figure."""
    built = build_rated_db(tmp_path_factory.mktemp("view"))
    evidence = "Spending reached 2.1% of GDP in 2024."
    with Store(built.path) as store, store.transaction():
        for value, key in ((2.1, "ridge"), (2.3, "anon")):
            claim = Claim(value, "percent_gdp", "Finland", "reported", evidence, 0, len(evidence), 16, 20, period=2024)
            save_figures(store.conn, built.articles[key], ArticleFigures([claim]))
    return built


@pytest.fixture
def reader(rated: RatedDB) -> Iterator[Reader]:
    with connect(rated.path, readonly=True) as conn:
        yield Reader(conn)


def _view(reader: Reader, story_id: int) -> StoryView:
    view = read_story(reader, story_id, SETTINGS)
    assert view is not None
    return view


def test_no_story_no_view(reader: Reader) -> None:
    assert read_story(reader, 999_999, SETTINGS) is None


def test_articles_are_numbered_with_their_outlets_ratings(rated: RatedDB, reader: Reader) -> None:
    view = _view(reader, rated.story)
    coverage = story_coverage(reader.conn, rated.story)
    assert [a.record for a in view.articles] == reader.story_articles(rated.story)
    assert [a.number for a in view.articles] == list(range(1, 11))
    assert [(a.assessment, a.side) for a in view.articles] == [(i.assessment, i.side) for i in coverage.articles]
    assert view.coverage == coverage and view.blindspot is None
    assert {a.side for a in view.articles} >= {"left", "right", None}


def test_article_rows_flatten_each_article(rated: RatedDB, reader: Reader) -> None:
    view = _view(reader, rated.story)
    rows = {r["article_id"]: r for r in view.article_rows()}
    ridge, anon = rows[rated.articles["ridge"]], rows[rated.articles["anon"]]
    assert (ridge["lean"], ridge["side"], ridge["factuality"]) == ("right", "right", "low")
    assert (anon["lean"], anon["side"], anon["factuality"]) == ("unrated", "unrated", "unrated")
    copies = [r for r in rows.values() if not r["independent"]]
    assert len(copies) == 1 and copies[0]["duplicate_of"] in rows and copies[0]["duplicate_kind"] is not None
    assert [r["number"] for r in view.article_rows()] == list(range(1, 11))


def test_figures_and_ledger_are_the_stored_ones(rated: RatedDB, reader: Reader) -> None:
    view = _view(reader, rated.story)
    claims = ClaimReader(reader.conn)
    assert view.claims == claims.story_claims(rated.story) and len(view.claims) == 2
    assert view.ledger == story_ledger(claims, rated.story)
    (row,) = view.ledger
    assert row.disagreement == "value" and sorted(v.value for v in row.variants) == [2.1, 2.3]


def test_the_figures_read_alone_are_the_views(rated: RatedDB, reader: Reader) -> None:
    view = _view(reader, rated.story)
    assert read_story_figures(reader, rated.story) == view.figures
    assert view.figures.record == view.record and view.figures.ledger == view.ledger and len(view.claims) == 2
    assert read_story_figures(reader, 999_999) is None


def test_the_figures_endpoints_read_only_the_figures(rated: RatedDB, monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON figures and the CSV download give what the whole view gives, in a fraction of its statements."""
    statements: list[str] = []
    real_connect = db.connect

    def traced(*args: Any, **kwargs: Any) -> Any:
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(db, "connect", traced)
    with connect(rated.path, readonly=True) as conn:
        view = _view(Reader(conn), rated.story)
    counts: dict[str, int] = {}
    with TestClient(create_app(rated.path, page_cache=0)) as client:
        client.get(f"/api/stories/{rated.story}")  # the coverage cache is built once, not counted
        for path in ("", "/claims", "/claims.csv"):
            statements.clear()
            response = client.get(f"/api/stories/{rated.story}{path}")
            assert response.status_code == 200
            counts[path] = len(statements)
            if path == "/claims":
                assert response.json() == json.loads(json.dumps(claims_dict(view.figures)))
            elif path == "/claims.csv":
                assert response.text == to_csv([c.to_dict() for c in view.claims], CLAIM_FIELDS)
    assert counts["/claims"] * 3 < counts[""] and counts["/claims.csv"] * 3 < counts[""], counts


def test_the_stories_export_renders_the_views_coverage(rated: RatedDB, reader: Reader) -> None:
    (row,) = export_rows(reader, "stories", SETTINGS)
    assert row == _view(reader, rated.story).export_row()
    assert row["coverage"]["bias_by_report"]["right"] >= 1


def test_entities_developments_and_excerpts(ids: WebDB) -> None:
    with connect(ids.path, readonly=True) as conn:
        reader = Reader(conn)
        view = _view(reader, ids.stories["nato"])
        assert view.entities == story_entities(reader, ids.stories["nato"], limit=40)
        assert view.entities[0] == EntityCount("NATO", "ORG", 3)
        assert [d.id for d in view.developments] == [ids.stories["hostile"]]
        for article in view.articles:
            assert article.excerpt == excerpt(reader.article_text(article.record.id) or "")
        assert view.claims == [] and view.ledger == []


def test_the_api_lists_at_most_30_entities(ids: WebDB) -> None:
    with connect(ids.path, readonly=True) as conn:
        view = _view(Reader(conn), ids.stories["nato"])
    many = dataclasses.replace(view, entities=[EntityCount(f"Name {n}", "ORG", 1) for n in range(45)])
    assert len(many.to_dict()["entities"]) == API_ENTITIES == 30
    assert list(view.to_dict())[-4:] == ["articles", "entities", "coverage", "developments"]


def test_the_page_and_the_api_render_one_view(ids: WebDB, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[StoryView] = []

    def spy(*args: Any, **kwargs: Any) -> StoryView | None:
        view = read_story(*args, **kwargs)
        if view is not None:
            built.append(view)
        return view

    monkeypatch.setattr(views, "read_story", spy)
    story = ids.stories["nato"]
    with TestClient(create_app(ids.path, page_cache=0)) as client:
        page = client.get(f"/stories/{story}")
        api = client.get(f"/api/stories/{story}")
        export = client.get(f"/api/stories/{story}/export.json")
    assert page.status_code == api.status_code == export.status_code == 200
    assert len(built) == 3 and built[0] == built[1] == built[2]  # each answer built from its own equal view
    view = built[0]
    assert page.context["view"] is view  # type: ignore[attr-defined]
    assert api.json() == json.loads(json.dumps(view.to_dict()))
    assert [a["id"] for a in api.json()["articles"]] == [a.record.id for a in view.articles]
    assert [a["article_id"] for a in export.json()["articles"]] == [a.record.id for a in view.articles]
    assert view.record.headline in page.text and f"{len(view.articles)} articles" in page.text
    for entity in view.entities:
        assert entity.name in page.text


def test_the_page_lists_the_views_articles_in_order(ids: WebDB) -> None:
    story = ids.stories["nato"]
    with TestClient(create_app(ids.path, page_cache=0)) as client:
        page = client.get(f"/stories/{story}")
        api = client.get(f"/api/stories/{story}").json()
    view = page.context["view"]  # type: ignore[attr-defined]
    positions = [page.text.index(f'href="/articles/{a.record.id}"') for a in view.articles]
    assert positions == sorted(positions)
    assert [a["id"] for a in api["articles"]] == [a.record.id for a in view.articles]


def test_view_is_frozen(ids: WebDB) -> None:
    with connect(ids.path, readonly=True) as conn:
        view = _view(Reader(conn), ids.stories["nato"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.entities = []  # type: ignore[misc]
