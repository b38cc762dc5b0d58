"""Attacks on the running system rather than on one input: the web server, the CLI, settings and the database.

Each test here failed before its fix; ``docs/hostile-inputs.md`` lists them with their outcomes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from crosscheck import Store
from crosscheck.models import ParsedArticle
from crosscheck.web import create_app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
MARKED_TEXT = "Harbour pilots said [[not a match]] and then ]] before the ferry strike ended [[ in May."
FORMULAS = ['=HYPERLINK("http://x.example","click")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]


def _add(store: Store, ext: str, title: str, text: str) -> int:
    outlet = store.outlet_id("harbour.example", "Harbour News")
    parsed = ParsedArticle(external_id=ext, title=title, text=text, url=f"https://harbour.example/{ext}",
                           published="2025-05-01", location=f"/in/{ext}.txt")  # fmt: skip
    article = store.insert_article(parsed, key=ext, outlet_id=outlet, text_hash=ext, duplicate_of=None,
                                   duplicate_kind=None)  # fmt: skip
    story = store.create_story()
    store.set_story(article, story)
    store.update_story_summary(story, headline=title, bullets=[], why=[])
    return article


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small database: one article with fake match markers, one with spreadsheet formulas and control bytes."""
    path = tmp_path_factory.mktemp("attacks") / "crosscheck.db"
    with Store(path) as store, store.transaction():
        _add(store, "marked", "Ferry strike ends", MARKED_TEXT)
        _add(store, "formula", FORMULAS[0], "A ferry report whose title is a formula.\x07\x1b[2J The end.")
        for n, formula in enumerate(FORMULAS[1:]):
            _add(store, f"formula-{n}", formula, f"Another ferry report, number {n}.")
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


def _has_security_headers(headers: object) -> bool:
    return all(name in headers for name in ("content-security-policy", "x-content-type-options", "x-frame-options"))  # type: ignore[operator]


# --- web -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/search?q=%00", "/api/search?q=%00", "/search?q=ferry%00strike", "/api/search?q=%01"])
def test_a_nul_byte_in_a_search_is_no_server_error(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text


def test_a_server_error_carries_the_security_headers(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("crosscheck.storage.reader.Reader.search", broken)
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        for url in ("/search?q=ferry", "/api/search?q=ferry"):
            response = c.get(url)
            assert response.status_code == 500
            assert _has_security_headers(response.headers), url
            assert "a bug" not in response.text


def test_match_markers_in_article_text_are_not_matches(client: TestClient) -> None:
    result = client.get("/api/search", params={"q": "strike"}).json()["results"]
    hit = next(r for r in result if r["article"]["external_id"] == "marked")
    snippet, matches = hit["snippet"], hit["matches"]
    assert "[[not a match]]" in snippet and "]] before" in snippet  # the article's own text, as written
    assert [snippet[start:end] for start, end in matches] == ["strike"]
    html = client.get("/search", params={"q": "strike"}).text
    assert html.count("<mark>") == 1 and "<mark>strike</mark>" in html
    assert "[[not a match]]" in html and "<mark>not a match" not in html


@pytest.mark.parametrize("url", ["/", "/healthz", "/api/stats", "/search?q=ferry", "/static/style.css"])
def test_head_is_answered_wherever_get_is(client: TestClient, url: str) -> None:
    response = client.head(url)
    assert response.status_code == 200, url
    assert response.content == b""
    assert _has_security_headers(response.headers)


def test_healthz_says_503_without_a_database(tmp_path: Path, db: Path) -> None:
    with TestClient(create_app(tmp_path / "none.db")) as c:
        response = c.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable" and "no database" in response.json()["reason"]
        assert c.head("/healthz").status_code == 503
    with TestClient(create_app(db)) as c:
        assert c.get("/healthz").json() == {"status": "ok"}


def test_a_refused_host_is_told_about_the_allowed_hosts_setting(client: TestClient) -> None:
    response = client.get("/", headers={"Host": "192.168.1.20:8765"})
    assert response.status_code == 400
    assert "CROSSCHECK_ALLOWED_HOSTS" in response.text and "192.168.1.20" in response.text
    assert _has_security_headers(response.headers)
