"""The web UI and JSON API, over a small database written through Store (no ML pipeline: fast)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, get_args

import pytest
from fastapi.testclient import TestClient

from crosscheck.storage.reader import STORY_ORDERS
from crosscheck.web.params import StoryOrder

if TYPE_CHECKING:
    from conftest import WebDB

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def assert_escaped(html: str) -> None:
    """The hostile strings appear only escaped: never as live tags."""
    assert SCRIPT not in html
    assert IMG not in html
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def story_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<h2 class="story-title"><a href="/stories/(\d+)">', html)]


# --- home ---------------------------------------------------------------------------------------------


def test_story_orders_match_the_reader() -> None:
    assert set(get_args(StoryOrder)) == set(STORY_ORDERS)


def test_home_lists_newest_first_with_totals_and_search_box(client: TestClient, ids: WebDB) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert story_links(html)[:2] == [ids.stories["hostile"], ids.stories["nato"]]
    assert "<dt>Stories</dt><dd>33</dd>" in html
    assert "<dt>Articles</dt><dd>37</dd>" in html
    assert "<dt>Duplicates</dt><dd>1</dd>" in html
    assert "4 articles · 3 independent reports · 3 outlets" in html
    assert 'First seen <time datetime="2025-06-04">2025-06-04</time> · latest <time datetime="2025-06-06">' in html
    assert "Lean: not rated yet" in html  # no rater file imported: no bias bar, no guessed numbers
    assert 'role="search"' in html and 'action="/search"' in html and 'name="q"' in html
    assert 'aria-current="true" class="current">Newest' in html


def test_home_most_covered_first(client: TestClient, ids: WebDB) -> None:
    html = client.get("/", params={"order": "coverage"}).text
    assert story_links(html)[:2] == [ids.stories["nato"], ids.stories["hostile"]]
    assert 'aria-current="true" class="current">Most covered' in html


def test_home_pagination(client: TestClient) -> None:
    first = client.get("/").text
    assert len(story_links(first)) == 30
    assert "Page 1 of 2" in first
    assert 'href="/?order=recent&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    second = client.get("/", params={"page": 2, "order": "coverage"}).text
    assert len(story_links(second)) == 3
    assert 'start="31"' in second
    assert 'href="/?order=coverage&amp;page=1" rel="prev"' in second
    assert 'rel="next"' not in second
    assert set(story_links(first)).isdisjoint(story_links(client.get("/?page=2").text))


def test_home_rejects_bad_parameters_with_a_page(client: TestClient) -> None:
    assert client.get("/?page=3").status_code == 404
    for query in ("page=0", "page=x", "order=oldest"):
        response = client.get(f"/?{query}")
        assert response.status_code == 400, query
        assert response.headers["content-type"].startswith("text/html")
        assert "cannot use" in response.text


# --- story page -----------------------------------------------------------------------------------------


def test_story_page_shows_the_story_from_every_side(client: TestClient, ids: WebDB) -> None:
    a = ids.articles
    html = client.get(f"/stories/{ids.stories['nato']}").text
    assert "<h1>NATO allies agree to raise defence spending</h1>" in html
    assert "4 articles · 3 independent reports · 3 outlets" in html
    assert "First seen <time" in html and "last updated" in html
    # bullets, each with numbered citations to the article list (BBC is dated first: [1]; Reuters [2])
    assert "Allies agreed on a 5% target." in html
    cite_bbc = f'<a class="cite" href="#article-{a["bbc"]}" aria-label="source 1: '
    cite_reuters = f'<a class="cite" href="#article-{a["reuters"]}" aria-label="source 2: '
    assert html.index(cite_bbc) < html.index(cite_reuters)
    assert ">[1]</a>" in html and ">[2]</a>" in html
    for name in ("reuters", "bbc", "copy", "undated"):
        assert f'<li id="article-{a[name]}"' in html
        assert f'href="/articles/{a[name]}"' in html
    assert "Hague summit: what NATO&#39;s new target means" in html
    assert '<span class="outlet">Reuters</span> <span class="domain">(reuters.com)</span>' in html
    assert '<span class="undated">undated</span>' in html
    assert re.search(rf'duplicate of\s*<a href="#article-{a["reuters"]}">\[2\]</a>\s*\(exact\)', html)
    assert 'href="https://www.reuters.com/world/nato-1" rel="noopener noreferrer nofollow"' in html
    assert "javascript:" not in html
    assert "Spain asked for an exemption." in html  # excerpt of the Reuters article


def test_story_page_panels(client: TestClient, ids: WebDB) -> None:
    html = client.get(f"/stories/{ids.stories['nato']}").text
    for heading in ("People", "Organisations", "Places"):
        assert f">{heading}</h3>" in html
    assert '<a class="entity-name" href="/entities/NATO">NATO</a> <span class="entity-count">3 articles</span>' in html
    assert '<a class="entity-name" href="/entities/Mark%20Rutte">Mark Rutte</a>' in html
    assert "Why these belong together" in html and "<li>names in common: NATO (3)</li>" in html
    assert "<li>reports 0.81 alike on average (embedding of title and lead), 0.42 in words and names</li>" in html
    assert "Coverage by lean / factuality / ownership: not rated yet" in html
    assert "rater files" in html
    assert not re.search(r"\d+\s*%\s*(left|right|center|centre)", html, re.IGNORECASE)
    assert f'href="/api/stories/{ids.stories["nato"]}?download=true"' in html
    assert "<dt>News sources</dt><dd>3</dd>" in html
    assert '<span class="outlet">A local blog</span> <span class="count">2 articles</span>' in html
    assert "1 article without a date." in html


def test_story_page_links_the_other_developments_of_its_saga(client: TestClient, ids: WebDB) -> None:
    html = client.get(f"/stories/{ids.stories['nato']}").text
    section = html[html.index('aria-labelledby="developments-h"') :]
    section = section[: section.index("</section>")]
    assert f'<a href="/stories/{ids.stories["hostile"]}">' in section
    assert "2025-06-10 · 2 articles" in section
    assert_escaped(section)  # the other development's headline is article text
    assert f'href="/stories/{ids.stories["nato"]}"' in client.get(f"/stories/{ids.stories['hostile']}").text
    filler = client.get("/").text  # a story never split has no such section
    first = story_links(filler)[-1]
    assert "developments-h" not in client.get(f"/stories/{first}").text


def test_unattributed_articles_are_not_counted_as_outlets(client: TestClient, ids: WebDB) -> None:
    html = client.get(f"/stories/{ids.stories['hostile']}").text
    assert "2 articles · 2 independent reports · 1 outlet" in html
    assert '<span class="outlet">Unattributed</span>' in html
    assert "1 article with no outlet named, not counted as a source" in html


def test_merged_story_redirects(client: TestClient, ids: WebDB) -> None:
    merged, nato = ids.stories["merged"], ids.stories["nato"]
    response = client.get(f"/stories/{merged}", follow_redirects=False)
    assert response.status_code in (301, 307)
    assert response.headers["location"] == f"/stories/{nato}"
    assert client.get(f"/stories/{merged}").url.path == f"/stories/{nato}"
    api = client.get(f"/api/stories/{merged}?download=true", follow_redirects=False)
    assert api.status_code in (301, 307)
    assert api.headers["location"] == f"/api/stories/{nato}?download=true"


@pytest.mark.parametrize(
    "url", ["/stories/99999", "/stories/abc", "/stories/0", "/stories/99999999999999999999999", "/articles/99999",
            "/articles/-1", "/no/such/page"],
)  # fmt: skip
def test_unknown_pages_are_404_pages(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<h1 id="error-h">Not found</h1>' in response.text


# --- article page ---------------------------------------------------------------------------------------


def test_article_page_metadata_entities_story_and_text(client: TestClient, ids: WebDB) -> None:
    html = client.get(f"/articles/{ids.articles['reuters']}").text
    assert "<h1>NATO allies agree to raise defence spending</h1>" in html
    assert "<dt>Outlet</dt><dd>Reuters</dd>" in html
    assert "<dt>Outlet domain</dt><dd>reuters.com</dd>" in html
    assert "2025-06-05T10:00:00+00:00" in html
    assert 'href="https://www.reuters.com/world/nato-1" rel="noopener noreferrer nofollow"' in html
    assert "Jane Roe, John Doe" in html
    assert "<dt>Format</dt><dd>text</dd>" in html
    assert '<dt>Read from</dt><dd class="location">r1.txt</dd>' in html  # stored as /inputs/r1.txt
    assert "/inputs/" not in html  # never a folder of the server
    assert "<dt>Ingested at</dt>" in html
    assert f'<a href="/stories/{ids.stories["nato"]}">NATO allies agree to raise defence spending</a>' in html
    assert '<a class="entity-name" href="/entities/Spain">Spain</a> <span class="entity-count">1 mention</span>' in html
    assert "<p>NATO allies agreed on Thursday to raise defence spending to 5% of GDP.</p>" in html
    assert "<p>Spain asked for an exemption.</p>" in html


def test_article_page_notes_for_copies_and_unlinkable_urls(client: TestClient, ids: WebDB) -> None:
    copy = client.get(f"/articles/{ids.articles['copy']}").text
    for note in ("Title derived:", "Partial:", "Truncated:", "Duplicate (exact):"):
        assert note in copy
    assert f'href="/articles/{ids.articles["reuters"]}"' in copy
    undated = client.get(f"/articles/{ids.articles['undated']}").text
    assert "undated (the input gave no date)" in undated
    assert 'href="javascript:' not in undated
    assert '<span class="url-text">javascript:alert(1)</span>' in undated


# --- hostile input ---------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_on_every_page(client: TestClient, ids: WebDB) -> None:
    hostile_article, hostile_story = ids.articles["hostile"], ids.stories["hostile"]
    pages = {
        "home": "/",
        "story": f"/stories/{hostile_story}",
        "article": f"/articles/{hostile_article}",
        "search": "/search?q=ministers",
        "snippet": "/search?q=alert",
    }
    for name, url in pages.items():
        html = client.get(url).text
        assert "Defence ministers meet" in html, name
        assert_escaped(html)
    # "why together" lines hold entity names, which are article text
    assert "<li>names: &lt;script&gt;alert(1)&lt;/script&gt; (1)</li>" in client.get(f"/stories/{hostile_story}").text
    snippet = client.get("/search?q=alert").text
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in snippet
    assert "&lt;img src=x onerror=<mark>alert</mark>(1)&gt;" in snippet
    query = client.get("/search", params={"q": SCRIPT}).text
    assert SCRIPT not in query


# --- search ---------------------------------------------------------------------------------------------


def test_search_highlights_matches(client: TestClient, ids: WebDB) -> None:
    html = client.get("/search", params={"q": "exemption"}).text
    assert "1 result for “exemption”" in html
    assert "<mark>exemption</mark>" in html
    assert f'href="/articles/{ids.articles["reuters"]}"' in html
    assert f'href="/stories/{ids.stories["nato"]}"' in html


def test_search_pages_through_every_result(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crosscheck.web.pages.SEARCH_LIMIT", 10)
    first = client.get("/search", params={"q": "filler"}).text
    assert "31 results" in first and "page 1 of 4: results 1–10" in first
    assert '<a href="/search?q=filler&amp;page=2" rel="next">' in first
    last = client.get("/search", params={"q": "filler", "page": 4}).text
    assert "results 31–31" in last and '<ol class="results" start="31">' in last
    assert '<a href="/search?q=filler&amp;page=3" rel="prev">' in last and 'rel="next"' not in last
    titles = set()
    for page in range(1, 5):
        html = client.get("/search", params={"q": "filler", "page": page}).text
        titles |= set(re.findall(r"Filler story \d\d", html))
    assert len(titles) == 31
    assert client.get("/search", params={"q": "filler", "page": 5}).status_code == 404


def test_empty_search_shows_only_the_form(client: TestClient) -> None:
    html = client.get("/search").text
    assert '<input id="q" name="q" type="search" value=""' in html
    assert "results-h" not in html
    assert "No results" in client.get("/search?q=zzzznotaword").text


@pytest.mark.parametrize("q", ['"NATO', "NATO OR (", "NEAR(a b)", "*", "-", "a:b"])
def test_search_syntax_never_errors(client: TestClient, q: str) -> None:
    assert client.get("/search", params={"q": q}).status_code == 200
    assert client.get("/api/search", params={"q": q}).status_code == 200
