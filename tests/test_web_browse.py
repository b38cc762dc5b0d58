"""Browsing: the home page's filters and bias bars, entity pages, and "more like this" by embedding."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import numpy as np
import pytest
from fastapi.testclient import TestClient

from crosscheck import Store
from crosscheck.models import ParsedArticle
from crosscheck.web.app import create_app
from web_fixtures import ODD_ENTITY, BrowseDB, build_browse_db

if TYPE_CHECKING:
    from conftest import WebDB

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def browse(tmp_path_factory: pytest.TempPathFactory) -> BrowseDB:
    return build_browse_db(tmp_path_factory.mktemp("web-browse"))


@pytest.fixture(scope="module")
def bclient(browse: BrowseDB) -> Iterator[TestClient]:
    with TestClient(create_app(browse.path)) as test_client:
        yield test_client


def story_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<h2 class="story-title"><a href="/stories/(\d+)">', html)]


def no_live_markup(html: str) -> None:
    assert SCRIPT not in html and "<script" not in html.lower()


# --- home filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["budget", "ferry"]),
        ({"from": "2025-07-01"}, ["budget"]),
        ({"to": "2025-06-30"}, ["ferry"]),
        ({"from": "2025-06-05", "to": "2025-06-05"}, ["ferry"]),
        ({"from": "2025-08-01"}, []),
        ({"outlet": "centerwire.example"}, ["ferry"]),
        ({"outlet": "Ridge Post"}, ["budget", "ferry"]),
        ({"entity": "City Council"}, ["budget", "ferry"]),
        ({"entity": "Harbor Union"}, ["ferry"]),
        ({"entity": "harbor union"}, ["ferry"]),  # case and spelling variants are one entity
        ({"entity": "Harbour Union"}, []),
        ({"lean": "right"}, ["budget"]),
        ({"lean": "mixed"}, ["ferry"]),
        ({"lean": "left"}, []),
        ({"lean": "right", "outlet": "centerwire.example"}, []),
        ({"lean": "mixed", "order": "coverage", "from": "2025-06-01"}, ["ferry"]),
    ],
)
def test_home_filters(bclient: TestClient, browse: BrowseDB, params: dict[str, str], expected: list[str]) -> None:
    ids = {"budget": browse.budget, "ferry": browse.story}
    html = bclient.get("/", params=params).text
    assert story_links(html) == [ids[name] for name in expected]
    if params:
        count = len(expected)
        noun = "1 story matches" if count == 1 else f"{count} stories match"
        assert f"{noun} the filters." in html
    if not expected:
        assert "No story matches these filters." in html


def test_home_blindspots_only(bclient: TestClient, browse: BrowseDB, monkeypatch: pytest.MonkeyPatch) -> None:
    assert story_links(bclient.get("/?blindspots=true").text) == []
    monkeypatch.setenv("CROSSCHECK_BLINDSPOT_MIN_RATED_REPORTS", "3")
    monkeypatch.setenv("CROSSCHECK_BLINDSPOT_MAX_PROBABILITY", "0.5")
    with TestClient(create_app(browse.path)) as fresh:  # answers are cached per server: start a new one
        html = fresh.get("/?blindspots=true").text
        api = fresh.get("/api/stories", params={"blindspots": "true"}).json()
    assert story_links(html) == [browse.budget]
    assert 'id="f-blindspots" name="blindspots" type="checkbox" value="true" checked' in html
    assert [s["id"] for s in api["stories"]] == [browse.budget] and api["stories"][0]["blindspot"] is True


def test_home_rows_have_a_bias_bar_with_text(bclient: TestClient, browse: BrowseDB) -> None:
    html = bclient.get("/").text
    ferry = html[html.index(f'href="/stories/{browse.story}"') :]
    row = ferry[: ferry.index("</li>")]
    assert "10 articles · 9 independent reports · 6 outlets" in row
    text = re.sub(r"<[^>]+>", "", row[row.index('class="bias-text"') :])
    assert "Reports by lean: Left 3 · Center 2 · Right 3 · Unrated 1" in text
    widths = [float(w) for w in re.findall(r'<rect class="side-\w+" x="[\d.]+" y="0" width="([\d.]+)"', row)]
    assert len(widths) == 4 and sum(widths) == pytest.approx(100, abs=0.01)
    assert re.search(r'<rect class="side-left" x="0.0" y="0" width="33.33\d*"', row)
    assert 'First seen <time datetime="2025-06-01">2025-06-01</time> · latest' in row


def test_home_filter_form_is_labelled_and_keeps_values(bclient: TestClient) -> None:
    html = bclient.get("/", params={"from": "2025-06-01", "outlet": f'"x{SCRIPT}', "lean": "right"}).text
    for control in ("f-from", "f-to", "f-outlet", "f-entity", "f-lean", "f-blindspots"):
        assert f'<label for="{control}">' in html or f'<label for="{control}"' in html, control
        assert f'id="{control}"' in html
    assert 'value="2025-06-01"' in html
    assert '<option value="right" selected>Right</option>' in html
    assert 'value="&#34;x&lt;script&gt;' in html
    no_live_markup(html)
    assert 'href="/?order=recent">Clear filters</a>' in html


def test_filters_survive_pagination_and_order(client: TestClient) -> None:
    html = client.get("/", params={"outlet": "bbc.co.uk"}).text
    assert "32 stories match the filters." in html and "Page 1 of 2" in html
    assert 'href="/?outlet=bbc.co.uk&amp;order=recent&amp;page=2" rel="next"' in html
    assert 'href="/?outlet=bbc.co.uk&amp;order=coverage&amp;page=1"' in html
    second = client.get("/", params={"outlet": "bbc.co.uk", "page": 2}).text
    assert len(story_links(second)) == 2
    assert client.get("/", params={"outlet": "bbc.co.uk", "page": 3}).status_code == 404


@pytest.mark.parametrize("query", ["from=2025-13", "to=yesterday", "lean=far-left", "blindspots=maybe"])
def test_bad_filters_are_400_pages_and_422_json(bclient: TestClient, query: str) -> None:
    page = bclient.get(f"/?{query}")
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]
    assert bclient.get(f"/api/stories?{query}").status_code == 422


@pytest.mark.parametrize("query", ["from=2018-13-01", "to=2018-02-30", "from=2018-1-01"])
def test_dates_must_be_calendar_days_and_the_error_names_the_parameter(bclient: TestClient, query: str) -> None:
    name = query.split("=")[0]
    page = bclient.get(f"/?{query}")
    assert page.status_code == 400
    assert f"the parameter &#39;{name}&#39; must be a calendar day written YYYY-MM-DD" in page.text
    assert "pattern" not in page.text and "\\d" not in page.text
    api = bclient.get(f"/api/stories?{query}")
    assert api.status_code == 422
    assert f"the parameter '{name}' must be a calendar day" in api.text and "\\d" not in api.text


def test_empty_form_fields_do_not_filter(bclient: TestClient, browse: BrowseDB) -> None:
    html = bclient.get("/?from=&to=&outlet=&entity=&lean=&order=recent").text
    assert story_links(html) == [browse.budget, browse.story]
    assert "match the filters" not in html


def test_api_stories_filters_sides_and_lean(bclient: TestClient, browse: BrowseDB) -> None:
    data = bclient.get("/api/stories", params={"entity": "Harbor Union"}).json()
    assert data["total"] == 1 and data["filters"] == {"entity": "Harbor Union"} and data["ratings_imported"]
    (story,) = data["stories"]
    assert story["id"] == browse.story
    assert story["sides"] == {"left": 3, "center": 2, "right": 3, "unrated": 1}
    assert story["lean"] == "mixed" and story["blindspot"] is False
    right = bclient.get("/api/stories", params={"lean": "right"}).json()
    assert [s["id"] for s in right["stories"]] == [browse.budget] and right["stories"][0]["sides"]["right"] == 3


def test_unrated_database_shows_no_bias_numbers(client: TestClient) -> None:
    data = client.get("/api/stories", params={"lean": "unrated", "limit": 200}).json()
    assert data["ratings_imported"] is False and data["total"] == 33
    assert client.get("/api/stories", params={"lean": "left"}).json()["total"] == 0


# --- entity pages ---------------------------------------------------------------------------------------


def test_entity_page_lists_stories_articles_and_cooccurring(bclient: TestClient, browse: BrowseDB) -> None:
    response = bclient.get("/entities/City%20Council")
    assert response.status_code == 200
    html = response.text
    assert "<h1>City Council</h1>" in html
    assert "Mentioned in 4 articles · 2 stories" in html
    assert html.index(f'href="/stories/{browse.budget}"') < html.index(f'href="/stories/{browse.story}"')
    assert "3 articles mentioning City Council" in html
    for article in [*browse.budget_articles, browse.articles["ridge"]]:
        assert f'href="/articles/{article}"' in html
    assert f'href="/articles/{browse.articles["wire"]}"' not in html
    assert f'<a class="entity-name" href="/entities/{quote(ODD_ENTITY, safe="")}">' in html
    assert '<a class="entity-name" href="/entities/Harbor%20Union">Harbor Union</a>' in html
    assert 'href="/?entity=City%20Council"' in html
    no_live_markup(html)


def test_entity_names_with_slashes_and_query_characters(bclient: TestClient, browse: BrowseDB) -> None:
    encoded = quote(ODD_ENTITY, safe="")
    html = bclient.get(f"/entities/{encoded}").text
    assert "<h1>AC/DC &amp; Sons? #1</h1>" in html
    assert f'href="/api/entities/{encoded}"' in html
    data = bclient.get(f"/api/entities/{encoded}").json()
    assert data["name"] == ODD_ENTITY and data["labels"] == ["ORG"] and data["article_count"] == 3
    assert [s["id"] for s in data["stories"]] == [browse.budget]
    assert {"name": "City Council", "label": "ORG", "articles": 3} in data["cooccurring"]
    assert sorted(a["id"] for a in data["articles"]) == sorted(browse.budget_articles)


def test_unknown_entity_is_404(bclient: TestClient) -> None:
    page = bclient.get("/entities/Nobody%20Here")
    assert page.status_code == 404 and "No stored article mentions an entity named Nobody Here." in page.text
    assert bclient.get("/api/entities/Nobody").status_code == 404


def test_story_and_article_pages_link_entities(client: TestClient, ids: WebDB) -> None:
    story = client.get(f"/stories/{ids.stories['nato']}").text
    assert '<a class="entity-name" href="/entities/The%20Hague">The Hague</a>' in story
    entity = client.get("/entities/NATO").text
    assert "Mentioned in 3 articles · 1 story" in entity
    assert "Mentioned in 3 articles · 1 story" in client.get("/entities/Nato").text  # one entity, any case
    assert '<a class="entity-name" href="/entities/Spain">Spain</a>' in entity
    hostile = client.get(f"/entities/{quote('<img src=x onerror=alert(1)> Person', safe='')}")
    assert hostile.status_code == 200 and "<img" not in hostile.text.lower()


# --- more like this -------------------------------------------------------------------------------------


def test_article_page_more_like_this(bclient: TestClient, browse: BrowseDB) -> None:
    html = bclient.get(f"/articles/{browse.articles['ledger']}").text
    section = html[html.index('id="similar-h"') :]
    linked = [int(n) for n in re.findall(r'<li><a href="/articles/(\d+)">', section)]
    ferry = {v for k, v in browse.articles.items() if k not in ("ledger", "copy")}
    assert set(linked[:8]) == ferry  # the same story's originals are nearest; the budget ones follow
    assert linked[0] == browse.articles["ledger-op"]
    assert set(linked[8:]) <= set(browse.budget_articles)
    assert "same story" in section and "similarity 1.00" in section
    assert f'href="/search?like={browse.articles["ledger"]}"' in section


def test_search_like_mode_and_api(bclient: TestClient, browse: BrowseDB) -> None:
    first = browse.budget_articles[0]
    html = bclient.get("/search", params={"like": first}).text
    assert "Articles like" in html
    linked = [int(n) for n in re.findall(r'<li><a href="/articles/(\d+)">', html)]
    assert linked[:2] == browse.budget_articles[1:]
    no_live_markup(html)
    data = bclient.get(f"/api/articles/{first}/similar", params={"limit": 2}).json()
    assert data["embedded"] and [r["article"]["id"] for r in data["results"]] == browse.budget_articles[1:]
    assert 0.9 < data["results"][0]["score"] <= 1.0
    assert bclient.get("/api/search", params={"like": first, "limit": 2}).json()["results"] == data["results"]
    assert bclient.get("/search?like=999999").status_code == 404
    assert bclient.get("/api/articles/999999/similar").status_code == 404


def test_a_copy_uses_its_originals_embedding(bclient: TestClient, browse: BrowseDB) -> None:
    data = bclient.get(f"/api/articles/{browse.articles['copy']}/similar").json()
    found = [r["article"]["id"] for r in data["results"]]
    assert data["embedded"] and browse.articles["copy"] not in found
    assert browse.articles["wire"] not in found  # its original is linked from the page already
    assert found[0] == browse.articles["ridge-op"]  # the original's nearest


def test_no_embeddings_says_so(client: TestClient, ids: WebDB) -> None:
    html = client.get(f"/articles/{ids.articles['reuters']}").text
    assert "No embedding is stored for this article" in html
    data = client.get(f"/api/articles/{ids.articles['reuters']}/similar").json()
    assert data == {"article_id": ids.articles["reuters"], "embedded": False, "results": []}


def test_embedding_matrix_reloads_when_articles_change(tmp_path: Path) -> None:
    built = build_browse_db(tmp_path)
    with TestClient(create_app(built.path)) as test_client:
        first = built.budget_articles[0]
        before = test_client.get(f"/api/articles/{first}/similar", params={"limit": 1}).json()["results"]
        with Store(built.path) as store, store.transaction():
            parsed = ParsedArticle(external_id="twin", title="Budget twin", text="Twin.", location="/in/twin.txt")
            twin = store.insert_article(parsed, key="twin", outlet_id=store.outlet_id(None, "Twin Gazette"),
                                        text_hash="twin", duplicate_of=None, duplicate_kind=None)  # fmt: skip
            vector = np.zeros(16, dtype=np.float32)
            vector[5] = 1.0
            store.save_features(twin, embedding=vector, minhash=None, terms={})
        after = test_client.get(f"/api/articles/{first}/similar", params={"limit": 1}).json()["results"]
    assert before[0]["article"]["id"] != twin
    assert after[0]["article"]["id"] == twin and after[0]["score"] == pytest.approx(1.0)
