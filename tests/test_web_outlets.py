"""The web UI and API of the outlet registry: coverage panel, outlet pages, blindspots; escaping and errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosscheck import Store
from crosscheck.models import ParsedArticle
from crosscheck.sources.registry import import_file
from crosscheck.storage.schema import MIGRATIONS
from crosscheck.web.app import create_app
from sources_data import IMG, SCRIPT, RatedDB, build_rated_db


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> RatedDB:
    return build_rated_db(tmp_path_factory.mktemp("web-rated"))


@pytest.fixture(scope="module")
def client(rated: RatedDB) -> Iterator[TestClient]:
    with TestClient(create_app(rated.path)) as test_client:
        yield test_client


def _no_live_markup(html: str) -> None:
    assert SCRIPT not in html and IMG not in html
    assert "<script" not in html.lower() and "<img" not in html.lower()


def test_story_page_puts_the_verdict_and_badged_articles_first(client: TestClient, rated: RatedDB) -> None:
    html = client.get(f"/stories/{rated.story}").text
    verdict = html.index('<p class="verdict">')
    assert verdict < html.index('id="glance-h"') < html.index('class="article-list"') < html.index('id="timeline-h"')
    assert html.index('class="article-list"') < html.index('id="ledger-h"') < html.index('id="lean-h"')
    assert "% of reports from " in html[verdict : verdict + 80]
    cards = html.count('class="article-item')
    assert html.count('<p class="badges">') == cards > 0
    assert html.count('<span class="badge lean-right">') == 3  # the three articles of right-leaning outlets
    right = client.get(f"/stories/{rated.story}", params={"lean": "right"}).text
    assert right.count('class="article-item') == 3 < cards
    assert right.count('<span class="badge lean-right">') == 3 and 'aria-current="page">Right 3' in right
    assert client.get(f"/stories/{rated.story}", params={"lean": "sideways"}).status_code == 400


def test_story_page_shows_coverage_by_lean_factuality_owner(client: TestClient, rated: RatedDB) -> None:
    html = client.get(f"/stories/{rated.story}").text
    assert "not rated yet" not in html
    for heading in ("Bias distribution", "Factuality distribution", "Ownership and countries", "Side by side",
                    "Outlets' ratings, rater by rater", "Unrated articles"):  # fmt: skip
        assert heading in html
    assert '<th scope="row">right</th><td>3 <svg class="share-bar"' in html
    assert '<th scope="row">unrated</th><td>1 <svg class="share-bar"' in html  # by report; 2 by article
    assert "AllSides: left-center (lean left) · Baly et al. (MBFC labels): left" in html
    assert "Baly et al. (MBFC labels): high, not counted" in html
    assert "(raters 1 step apart)" in html
    assert 'href="/outlets/harborledger.example"' in html
    assert "[9]</a> unknown outlet: no bias or factuality: no outlet named in the input" in html
    assert "Summit Media Group" in html and "public broadcaster" in html
    _no_live_markup(html)
    assert "&lt;img src=x onerror=alert(1)&gt; Holdings" in html


def test_outlet_page_shows_every_rater_side_by_side(client: TestClient, rated: RatedDB) -> None:
    html = client.get("/outlets/harborledger.example").text
    assert '<h1>Harbor Ledger <span class="domain">(harborledger.example)</span></h1>' in html
    assert "Every rater, side by side" in html
    assert 'left-center <span class="note">(allsides-5)</span>' in html
    assert "(not counted: derived from a rater who also rates it)" in html
    assert "covers harborledger.example/observer" in html and "(opinion section)" in html
    assert "matched by articles&#39; outlet name" in html
    assert f'href="/articles/{rated.articles["ledger"]}"' in html
    assert f'href="/stories/{rated.story}"' in html
    assert 'href="/api/outlets/harborledger.example"' in html


def test_outlet_addresses_redirect_and_unknown_outlets_are_404(client: TestClient) -> None:
    response = client.get("/outlets/www.ridgepost.example", follow_redirects=False)
    assert response.status_code == 301 and response.headers["location"] == "/outlets/ridgepost.example"
    assert client.get("/outlets/nobody.example").status_code == 404
    assert client.get("/outlets/" + "a" * 400).status_code in (400, 404, 422)


def test_hostile_outlet_page_is_escaped(client: TestClient) -> None:
    html = client.get("/outlets/evil.example").text
    _no_live_markup(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;land" in html


def test_outlets_list_and_navigation(client: TestClient) -> None:
    html = client.get("/outlets").text
    assert 'aria-current="page">Outlets' in html and 'href="/blindspots"' in html
    assert "raters/mbfc-2025-12.json (mbfc, 2025-12" in html
    assert '<a href="/outlets/ridgepost.example">Ridge Post</a>' in html
    _no_live_markup(html)


def test_blindspots_page_states_the_rule(client: TestClient) -> None:
    html = client.get("/blindspots").text
    assert "at least 5" in html and "No story is a blindspot by this rule." in html
    assert "Base rates over 8 rated independent reports" in html


def test_api(client: TestClient, rated: RatedDB) -> None:
    outlet = client.get("/api/outlets/www.harborledger.example").json()
    assert outlet["domain"] == "harborledger.example"
    assert outlet["combined"]["bias"] == "lean left" and outlet["combined"]["spreads"]["bias"] == 1
    assert {r["rater"] for r in outlet["ratings"]} == {"allsides", "baly", "mbfc"}
    assert client.get("/api/outlets/nobody.example").status_code == 404
    story = client.get(f"/api/stories/{rated.story}").json()
    assert story["coverage"]["bias_by_report"]["right"] == 3 and story["coverage"]["blindspot"] is None
    spots = client.get("/api/blindspots").json()
    assert spots["rule"]["blindspot_min_rated_reports"] == 5 and spots["blindspots"] == []


def _one_sided_db(folder: Path) -> tuple[Path, int]:
    """Twelve rated outlets, a story covered only by the left and stories from the right."""
    csv = folder / "own.csv"
    rows = [f"l{i}.example,left,high" for i in range(6)] + [f"r{i}.example,right,mixed" for i in range(6)]
    csv.write_text("domain,bias,factuality\n" + "\n".join(rows) + "\n", encoding="utf-8")
    path = folder / "spots.db"
    with Store(path) as store:
        with store.transaction():
            one_sided = store.create_story()
            for i in range(6):
                for prefix, story in (("l", one_sided), ("r", store.create_story())):
                    outlet = store.outlet_id(f"{prefix}{i}.example", f"{prefix.upper()}{i}")
                    article = ParsedArticle(
                        external_id=f"{prefix}{i}", text="Text of the article.", title=f"{prefix}{i}"
                    )
                    key = f"{prefix}{i}"
                    stored = store.insert_article(
                        article, key=key, outlet_id=outlet, text_hash=key, duplicate_of=None, duplicate_kind=None
                    )
                    store.set_story(stored, story)
                    store.update_story_summary(story, headline=f"Story {story}", bullets=[], why=[])
        import_file(store, csv)
    return path, one_sided


def test_a_blindspot_is_listed_and_marked_on_its_story(tmp_path: Path) -> None:
    path, story = _one_sided_db(tmp_path)
    with TestClient(create_app(path)) as c:
        listing = c.get("/blindspots").text
        assert f'<a href="/stories/{story}">Story {story}</a>' in listing and "<td>the right</td>" in listing
        page = c.get(f"/stories/{story}").text
        assert "<strong>Blindspot for the right</strong>: 0 of" in page
        assert c.get("/api/blindspots").json()["blindspots"][0]["story_id"] == story


def test_an_old_read_only_database_shows_not_rated_yet(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(f"BEGIN;\n{MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
    conn.executescript(
        """INSERT INTO outlets (id, domain, name) VALUES (1, 'a.example', 'A');
           INSERT INTO stories (id, headline, article_count, report_count, outlet_count, created_at, updated_at)
               VALUES (1, 'Old story', 1, 1, 1, '2024-01-01', '2024-01-01');
           INSERT INTO articles (id, key, external_id, outlet_id, title, text, format, location, ingested_at,
                                 text_hash, story_id)
               VALUES (1, 'k', 'e', 1, 'T', 'Text.', 'text', 'x', 'now', 'h', 1);"""
    )
    conn.close()
    with TestClient(create_app(path)) as c:
        assert "Coverage by lean / factuality / ownership: not rated yet" in c.get("/stories/1").text
        assert c.get("/outlets").status_code == 200
        assert c.get("/blindspots").status_code == 200


def test_hostile_outlet_addresses_are_refused_and_escaped(client: TestClient) -> None:
    response = client.get("/outlets/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert response.status_code == 404
    _no_live_markup(response.text)
    assert client.get("/api/outlets/%3Cscript%3E").status_code == 404


@pytest.mark.parametrize("address", ["[x", "http:%2F%2F[x", "a:99999"])
def test_unparseable_outlet_addresses_are_404_not_errors(client: TestClient, address: str) -> None:
    assert client.get(f"/outlets/{address}").status_code == 404
    assert client.get(f"/api/outlets/{address}").status_code == 404
