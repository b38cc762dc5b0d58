"""The JSON API, OpenAPI, security headers and Host checks, and the pages without a database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from crosscheck.storage import Store
from crosscheck.web import create_app
from crosscheck.web.app import app_from_env

if TYPE_CHECKING:
    from conftest import WebDB

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_TITLE = f"{SCRIPT} Defence ministers meet {IMG}"  # as the web_db fixture stores them


@pytest.mark.parametrize("url", ["/api/stories/99999", "/api/articles/99999", "/api/nothing"])
def test_unknown_api_ids_are_json_404s(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "detail" in response.json()


# --- JSON API --------------------------------------------------------------------------------------------


def test_api_stats(client: TestClient) -> None:
    assert client.get("/api/stats").json() == {
        "articles": 37, "reports": 36, "duplicates": 1, "stories": 33, "outlets": 4,  # unattributed: no outlet
    }  # fmt: skip


def test_api_stories(client: TestClient, ids: WebDB) -> None:
    data = client.get("/api/stories", params={"order": "coverage", "limit": 2}).json()
    assert data["order"] == "coverage" and data["limit"] == 2 and data["offset"] == 0 and data["total"] == 33
    assert [s["id"] for s in data["stories"]] == [ids.stories["nato"], ids.stories["hostile"]]
    assert data["stories"][0]["report_count"] == 3
    assert "article_ids" not in data["stories"][0]
    recent = client.get("/api/stories", params={"offset": 1, "limit": 1}).json()
    assert [s["id"] for s in recent["stories"]] == [ids.stories["nato"]]
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    assert client.get("/api/stories", params={"order": "oldest"}).status_code == 422


def test_api_story(client: TestClient, ids: WebDB) -> None:
    response = client.get(f"/api/stories/{ids.stories['nato']}")
    data = response.json()
    assert "content-disposition" not in response.headers
    assert data["headline"] == "NATO allies agree to raise defence spending"
    assert data["bullets"][0] == "Allies agreed on a 5% target."
    assert data["bullet_sources"][0] == [ids.articles["reuters"], ids.articles["bbc"]]
    assert len(data["bullet_days"]) == len(data["bullets"])
    assert [a["id"] for a in data["articles"]] == data["article_ids"]
    assert data["articles"][2]["duplicate_kind"] == "exact"
    assert {"name": "NATO", "label": "ORG", "articles": 3} in data["entities"]
    assert data["why"][1] == "names in common: NATO (3)"
    assert data["developments"] == [
        {"id": ids.stories["hostile"], "headline": HOSTILE_TITLE, "first_seen": "2025-06-10",
         "last_seen": "2025-06-10", "article_count": 2}
    ]  # fmt: skip
    download = client.get(f"/api/stories/{ids.stories['nato']}", params={"download": "true"})
    assert download.headers["content-disposition"].startswith("attachment;")


def test_api_article(client: TestClient, ids: WebDB) -> None:
    data = client.get(f"/api/articles/{ids.articles['hostile']}").json()
    assert data["title"] == HOSTILE_TITLE  # raw in JSON: escaping is the displaying side's job
    assert SCRIPT in data["text"] and IMG in data["text"]
    assert data["outlet_domain"] == "evil.example"
    assert {"name": "Brussels", "label": "GPE", "articles": 1} in data["entities"]


def test_api_search(client: TestClient, ids: WebDB) -> None:
    data = client.get("/api/search", params={"q": "exemption"}).json()
    assert data["query"] == "exemption"
    assert [r["article"]["id"] for r in data["results"]] == [ids.articles["reuters"]]
    snippet, matches = data["results"][0]["snippet"], data["results"][0]["matches"]
    assert [snippet[start:end] for start, end in matches] == ["exemption"]
    assert client.get("/api/search").json()["results"] == []


def test_api_search_pages_with_offset_and_total(client: TestClient) -> None:
    everything = client.get("/api/search", params={"q": "nato", "limit": 100}).json()
    ids = [r["article"]["id"] for r in everything["results"]]
    assert everything["total"] == len(ids) >= 3 and everything["offset"] == 0
    second = client.get("/api/search", params={"q": "nato", "limit": 1, "offset": 1}).json()
    assert [r["article"]["id"] for r in second["results"]] == ids[1:2]
    assert second["total"] == len(ids) and second["offset"] == 1 and second["limit"] == 1
    beyond = client.get("/api/search", params={"q": "nato", "offset": len(ids)}).json()
    assert beyond["results"] == [] and beyond["total"] == len(ids)
    assert client.get("/api/search", params={"q": "nato", "offset": -1}).status_code == 422


def test_the_api_shows_no_server_folder(client: TestClient, ids: WebDB) -> None:
    article = client.get(f"/api/articles/{ids.articles['reuters']}").json()
    assert article["location"] == "r1.txt"  # stored as /inputs/r1.txt
    story = client.get(f"/api/stories/{ids.stories['nato']}").json()
    found = client.get("/api/search", params={"q": "nato"}).json()
    for row in [*story["articles"], *(r["article"] for r in found["results"])]:
        assert "/" not in row["location"], row["location"]


def test_openapi_lists_the_api_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search", "/api/stats"):
        assert path in paths
    assert "/" not in paths and "/stories/{story_id}" not in paths
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/stories/{story_id}" in docs.text
    assert "<script" not in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/redoc").status_code == 404


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


# --- security -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/stories/1", "/api/stats", "/static/style.css", "/no/such/page", "/healthz"])
def test_security_headers(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["content-security-policy"] == (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_untrusted_host_is_rejected(client: TestClient) -> None:
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.headers["x-frame-options"] == "DENY"
    assert client.get("/api/stats", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_allowed_hosts_are_configurable(web_db: WebDB) -> None:
    with TestClient(create_app(web_db.path, allowed_hosts=["news.example"]), base_url="http://news.example") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"Host": "127.0.0.1"}).status_code == 400


def test_pages_need_no_inline_styles_scripts_or_external_resources(client: TestClient, ids: WebDB) -> None:
    urls = ["/", f"/stories/{ids.stories['nato']}", f"/articles/{ids.articles['reuters']}", "/search?q=nato", "/docs",
            "/entities/NATO", f"/search?like={ids.articles['reuters']}", "/?lean=unrated&from=2025-01-01"]  # fmt: skip
    for url in urls:
        html = client.get(url).text
        assert 'style="' not in html and "<style" not in html and "<script" not in html, url
        assert '<link rel="stylesheet" href="/static/style.css">' in html
        assert not re.search(r'<(link|script|img)[^>]+(src|href)="(https?:)?//', html), url
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "http" not in css.text


# --- no database -----------------------------------------------------------------------------------------


def test_missing_database_gives_a_friendly_page(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with TestClient(create_app(missing)) as c:
        for url in ("/", "/stories/1", "/articles/1", "/search?q=nato", "/entities/NATO", "/search?like=1"):
            response = c.get(url)
            assert response.status_code == 503, url
            assert "No database yet" in response.text and "crosscheck ingest" in response.text
        api = c.get("/api/stats")
        assert api.status_code == 503 and "crosscheck ingest" in api.json()["detail"]
        for url in ("/api/articles/1/similar", "/api/entities/NATO", "/api/stories/1/articles.csv"):
            assert c.get(url).status_code == 503, url
        assert c.get("/healthz").status_code == 503
    assert not missing.exists()


def test_empty_file_is_not_a_database_yet(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with TestClient(create_app(empty)) as c:
        assert c.get("/").status_code == 503


def test_empty_database_says_there_are_no_stories(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    Store(path).close()
    with TestClient(create_app(path)) as c:
        html = c.get("/").text
        assert "No stories yet" in html
        assert "Page 1 of" not in html


# --- over a database the real pipeline built ------------------------------------------------------------


@pytest.mark.slow
def test_every_page_renders_over_the_example_corpus(examples_db: Path) -> None:
    with TestClient(create_app(examples_db)) as c:
        stories = c.get("/api/stories", params={"limit": 200}).json()["stories"]
        assert stories
        charts = 0
        for story in stories:
            html = c.get(f"/stories/{story['id']}").text
            assert "<h1>" in html and "not rated yet" in html
            assert "[article " not in html  # every citation points into the story's own list
            for article in c.get(f"/api/stories/{story['id']}").json()["articles"]:
                assert c.get(f"/articles/{article['id']}").status_code == 200
                similar = c.get(f"/api/articles/{article['id']}/similar").json()
                scores = [r["score"] for r in similar["results"]]
                assert similar["embedded"] and scores == sorted(scores, reverse=True) and scores[0] <= 1.0001
                assert article["id"] not in {r["article"]["id"] for r in similar["results"]}
            for name in set(re.findall(r'<a class="entity-name" href="(/entities/[^"]+)"', html)):
                assert c.get(name.replace("&amp;", "&")).status_code == 200, name
            charts += '<svg class="timeline-chart"' in html
            assert '<svg class="timeline-chart"' in html or "No article of this story has a date." in html
        assert c.get("/", params={"order": "coverage"}).status_code == 200
        assert charts > 0


def test_app_from_env(web_db: WebDB, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_DB", str(web_db.path))
    monkeypatch.setenv("CROSSCHECK_ALLOWED_HOSTS", "news.example, localhost")
    with TestClient(app_from_env(), base_url="http://news.example") as c:
        assert c.get("/api/stats").json()["stories"] == 33
        assert c.get("/api/stats", headers={"Host": "testserver"}).status_code == 400
