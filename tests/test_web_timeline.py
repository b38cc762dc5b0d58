"""A story's timeline by lean (SVG layout, page and API) and the story downloads (CSV and JSON)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from crosscheck.web.app import create_app
from crosscheck.web.charts import HEIGHT, MAX_GAPLESS_DAYS, TOP, bias_bar, build_timeline
from crosscheck.web.downloads import csv_cell
from crosscheck.web.leans import SideCounts
from web_fixtures import FORMULA_TITLE, BrowseDB, build_browse_db

if TYPE_CHECKING:
    from conftest import WebDB

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def browse(tmp_path_factory: pytest.TempPathFactory) -> BrowseDB:
    return build_browse_db(tmp_path_factory.mktemp("web-timeline"))


@pytest.fixture(scope="module")
def bclient(browse: BrowseDB) -> Iterator[TestClient]:
    with TestClient(create_app(browse.path)) as test_client:
        yield test_client


# --- layout ---------------------------------------------------------------------------------------------


def test_timeline_stacks_sides_per_day_and_fills_gaps() -> None:
    t = build_timeline([("2025-06-01", "left"), ("2025-06-01T09:00:00Z", "right"), ("2025-06-01", None),
                        ("2025-06-04", "left"), (None, "left"), ("not a date", "center")])  # fmt: skip
    assert t is not None and t.gapless and t.undated == 2
    assert [r.day for r in t.rows] == ["2025-06-01", "2025-06-04"]
    assert t.rows[0].counts == {"left": 1, "center": 0, "right": 1, "unrated": 1} and t.rows[0].total == 3
    assert t.totals == {"left": 2, "center": 0, "right": 1, "unrated": 1}
    first_day = [s for s in t.segments if s.title.startswith("2025-06-01")]
    assert [s.side for s in first_day] == ["left", "right", "unrated"]  # bottom to top
    assert sum(s.height for s in first_day) == pytest.approx(HEIGHT - TOP - (HEIGHT - t.baseline))
    assert first_day[0].y + first_day[0].height == pytest.approx(t.baseline)
    fourth = next(s for s in t.segments if s.title.startswith("2025-06-04"))
    assert fourth.x > first_day[0].x + 2.5 * first_day[0].width  # two empty days drawn between
    assert fourth.title == "2025-06-04: 1 article from left outlets"
    assert [tick.label for tick in t.y_ticks] == ["0", "1", "2", "3"]
    assert t.x_ticks[0].label == "2025-06-01"


def test_long_spans_draw_only_days_with_articles() -> None:
    t = build_timeline([("2024-01-01", "left"), ("2025-06-01", "right")])
    assert t is not None and not t.gapless and MAX_GAPLESS_DAYS < 500
    assert len({s.x for s in t.segments}) == 2 and t.segments[0].width > 100


def test_no_dated_article_means_no_timeline() -> None:
    assert build_timeline([(None, "left"), ("", None)]) is None


def test_bias_bar_parts() -> None:
    parts = bias_bar(SideCounts(left=1, center=0, right=3, unrated=0))
    assert [(p.side, p.count, p.x, p.width) for p in parts] == [("left", 1, 0.0, 25.0), ("right", 3, 25.0, 75.0)]
    assert bias_bar(SideCounts()) == []


def test_csv_cells_never_start_a_formula() -> None:
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("-2") == "'-2"
    assert csv_cell(-2) == -2 and csv_cell("plain") == "plain" and csv_cell(["a", "b"]) == "a; b"
    assert csv_cell(["=b", "c"]) == "'=b; c" and csv_cell([[1, 2], [3]]) == "1 2; 3"


# --- story page -----------------------------------------------------------------------------------------


def test_story_page_draws_the_timeline_with_text_alternatives(bclient: TestClient, browse: BrowseDB) -> None:
    html = bclient.get(f"/stories/{browse.story}").text
    assert "When each side picked it up" in html
    svg = html[html.index('<svg class="timeline-chart"') : html.index("</svg>", html.index("timeline-chart"))]
    assert 'role="img" aria-labelledby="timeline-title timeline-desc"' in svg
    assert "Articles per day by lean, 2025-06-01 to 2025-06-10" in svg
    assert "left: 3 articles; center: 2 articles; right: 3 articles; unrated: 2 articles." in svg
    rects = re.findall(r'<rect class="side-(\w+)" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)">', svg)
    assert len(rects) == 10 and all(float(h) > 0 for _, h in rects)
    assert [side for side, _ in rects].count("left") == 3
    assert "<title>2025-06-07: 1 unrated article</title>" in svg
    assert "style=" not in svg and "<script" not in svg.lower()
    table = html[html.index("The numbers as a table") :]
    assert '<th scope="col">Left</th><th scope="col">Center</th><th scope="col">Right</th>' in table
    row = '<time datetime="2025-06-04">2025-06-04</time></th><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td>'
    assert row in table
    assert "Left: 3 articles" in html  # the legend says it in words


def test_story_page_links_the_downloads(bclient: TestClient, browse: BrowseDB) -> None:
    html = bclient.get(f"/stories/{browse.story}").text
    for path in ("articles.csv", "claims.csv", "export.json"):
        assert f'href="/api/stories/{browse.story}/{path}"' in html


def test_timeline_api(bclient: TestClient, browse: BrowseDB) -> None:
    data = bclient.get(f"/api/stories/{browse.budget}/timeline").json()
    assert data["story_id"] == browse.budget and data["undated"] == 0
    assert [d["day"] for d in data["days"]] == ["2025-07-01", "2025-07-02", "2025-07-03"]
    assert data["days"][0] == {"day": "2025-07-01", "left": 0, "center": 0, "right": 1, "unrated": 0, "total": 1}
    assert data["totals"] == {"left": 0, "center": 0, "right": 3, "unrated": 0}
    assert bclient.get("/api/stories/99999/timeline").status_code == 404


# --- downloads ------------------------------------------------------------------------------------------


def test_articles_csv(bclient: TestClient, browse: BrowseDB) -> None:
    response = bclient.get(f"/api/stories/{browse.story}/articles.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="crosscheck-story-{browse.story}-articles.csv"'
    )
    assert "default-src 'none'" in response.headers["content-security-policy"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 10 and rows[0]["number"] == "1"
    ridge = next(r for r in rows if r["article_id"] == str(browse.articles["ridge"]))
    assert (ridge["outlet"], ridge["lean"], ridge["side"], ridge["published"]) == (
        "Ridge Post", "right", "right", "2025-06-04")  # fmt: skip
    copy = next(r for r in rows if r["article_id"] == str(browse.articles["copy"]))
    assert copy["independent"] == "False" and copy["duplicate_of"] == str(browse.articles["wire"])
    assert copy["duplicate_kind"] == "exact" and copy["lean"] == "unrated"
    assert any(SCRIPT in r["title"] for r in rows)  # CSV is data, not HTML: kept verbatim


def test_csv_escapes_formulas(bclient: TestClient, browse: BrowseDB) -> None:
    rows = list(csv.DictReader(io.StringIO(bclient.get(f"/api/stories/{browse.budget}/articles.csv").text)))
    assert "'" + FORMULA_TITLE in [r["title"] for r in rows]
    assert not any(r["title"].startswith("=") for r in rows)


def test_claims_csv_has_a_header_even_when_empty(bclient: TestClient, browse: BrowseDB) -> None:
    response = bclient.get(f"/api/stories/{browse.story}/claims.csv")
    assert response.status_code == 200
    assert response.text.splitlines() == [
        "id,article_id,outlet,published,subject,kind,value,value_high,unit,period,speaker,evidence"
    ]


def test_export_json(bclient: TestClient, browse: BrowseDB) -> None:
    response = bclient.get(f"/api/stories/{browse.story}/export.json")
    assert response.headers["content-disposition"] == f'attachment; filename="crosscheck-story-{browse.story}.json"'
    data = response.json()
    assert data["id"] == browse.story and data["headline"] == "Ferry strike ends" and data["claims"] == []
    assert len(data["articles"]) == 10
    assert {a["side"] for a in data["articles"]} == {"left", "center", "right", "unrated"}
    assert data["timeline"]["totals"] == {"left": 3, "center": 2, "right": 3, "unrated": 2}


@pytest.mark.parametrize("path", ["articles.csv", "claims.csv", "export.json", "timeline"])
def test_downloads_of_unknown_stories_are_404_json(bclient: TestClient, path: str) -> None:
    response = bclient.get(f"/api/stories/424242/{path}")
    assert response.status_code == 404 and response.json() == {"detail": "There is no story 424242."}


def test_downloads_follow_merged_story_ids(client: TestClient, ids: WebDB) -> None:
    merged, nato = ids.stories["merged"], ids.stories["nato"]
    for path in ("articles.csv", "claims.csv", "export.json"):
        response = client.get(f"/api/stories/{merged}/{path}", follow_redirects=False)
        assert response.status_code == 301 and response.headers["location"] == f"/api/stories/{nato}/{path}"
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/stories/{merged}/articles.csv").text)))
    assert [r["lean"] for r in rows] == ["unrated"] * 4  # no rater file imported


def test_openapi_and_docs_list_the_new_endpoints(bclient: TestClient) -> None:
    paths = bclient.get("/openapi.json").json()["paths"]
    for path in ("/api/stories/{story_id}/timeline", "/api/stories/{story_id}/articles.csv",
                 "/api/stories/{story_id}/claims.csv", "/api/stories/{story_id}/export.json",
                 "/api/articles/{article_id}/similar", "/api/entities/{name}"):  # fmt: skip
        assert path in paths, path
    params = {p["name"] for p in paths["/api/stories"]["get"]["parameters"]}
    assert {"from", "to", "outlet", "entity", "lean", "blindspots", "order", "limit", "offset"} <= params
    docs = bclient.get("/docs").text
    assert "GET /api/entities/{name}" in docs and "GET /api/articles/{article_id}/similar" in docs
