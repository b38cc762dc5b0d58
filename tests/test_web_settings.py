"""The web server reads its settings once, when the app is created (docs/settings.md), never per request."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from conftest import WebDB
from crosscheck import Settings
from crosscheck.web.app import create_app


def _paths(ids: WebDB) -> list[str]:
    story, article = ids.stories["nato"], ids.articles["reuters"]
    return [
        "/", "/?blindspots=true", f"/stories/{story}", f"/articles/{article}", "/blindspots", "/outlets", "/figures",
        "/search?q=NATO", "/api/stories", "/api/stories?lean=left", f"/api/stories/{story}",
        f"/api/stories/{story}/timeline", f"/api/stories/{story}/claims", "/api/blindspots",
        f"/api/stories/{story}/articles.csv", f"/api/stories/{story}/claims.csv", f"/api/stories/{story}/export.json",
    ]  # fmt: skip


def test_no_request_reads_the_environment(ids: WebDB, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(ids.path, page_cache=0)

    def refuse(cls: type[Settings], environ: dict[str, str] | None = None) -> Settings:
        raise AssertionError("settings read while answering a request")

    monkeypatch.setattr(Settings, "from_env", classmethod(refuse))
    with TestClient(app) as client:
        for path in _paths(ids):
            assert client.get(path).status_code == 200, path


def test_the_settings_the_app_was_created_with_apply(ids: WebDB, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_BLINDSPOT_MIN_RATED_REPORTS", "7")
    app = create_app(ids.path, page_cache=0)
    given = create_app(ids.path, page_cache=0, settings=Settings(blindspot_min_rated_reports=9))
    monkeypatch.setenv("CROSSCHECK_BLINDSPOT_MIN_RATED_REPORTS", "3")  # changed after start: not seen
    with TestClient(app) as client, TestClient(given) as other:
        assert client.get("/api/blindspots").json()["rule"]["blindspot_min_rated_reports"] == 7
        assert other.get("/api/blindspots").json()["rule"]["blindspot_min_rated_reports"] == 9
