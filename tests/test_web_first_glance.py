"""What a reader sees first, in a real browser: the NATO 2025 story, a large saga story and the home page at
desktop (1280×800) and phone (390×844) size, over a database the real pipeline built from the shared data.

Checks that the coverage verdict sits in the first screen, the article list within the first two (desktop), no
table cell breaks a word inside, and every article card names an outlet the rater or owner files know. Skips
without ../shared, Playwright or Chromium (as tests/test_web_browser.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser_support import live_server
from crosscheck.sources import UNKNOWN_OUTLET
from crosscheck.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

SIZES: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
BIGGEST_STORY = "SELECT story_id FROM articles WHERE location LIKE ? GROUP BY story_id ORDER BY COUNT(*) DESC"

# Every word of every table cell (details opened), split where a line may break (spaces, hyphens, slashes): a word
# whose characters lie on two lines was broken inside. Returns the broken words with their cell's text.
BROKEN_WORDS_JS = r"""() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const broken = [];
  for (const cell of document.querySelectorAll('th, td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = /[^\s\-\u2013\u2014\/]{2,}/g;
      let m;
      while ((m = words.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0] + ' in: ' + cell.textContent.trim().slice(0, 60));
      }
    }
  }
  return broken;
}"""
TOP_JS = """(sel) => {
  const e = document.querySelector(sel);
  return e ? e.getBoundingClientRect().top + scrollY : null;
}"""
CARDS_JS = """() => [...document.querySelectorAll('.article-item')]
  .map((li) => li.querySelector('.article-meta .outlet').textContent.trim())"""


@pytest.fixture(scope="module")
def stories(showcase_db: Path) -> dict[str, int]:
    """The NATO 2025 story and the saga story: each the story holding most of its corpus's articles."""
    with sqlite3.connect(showcase_db) as conn:
        nato = conn.execute(BIGGEST_STORY, ("%nato-2025%",)).fetchone()[0]
        saga = conn.execute(BIGGEST_STORY, ("%abp-2018-09%",)).fetchone()[0]
        size = conn.execute("SELECT COUNT(*) FROM articles WHERE story_id = ?", (saga,)).fetchone()[0]
    assert size >= 10, f"the saga story has {size} articles"
    return {"nato": nato, "saga": saga}


@pytest.fixture(scope="module")
def outlet_names(showcase_db: Path) -> set[str]:
    """The outlet names of the imported rater and owner files."""
    with sqlite3.connect(showcase_db) as conn:
        return {r[0] for r in conn.execute("SELECT DISTINCT name FROM rating_entries WHERE name IS NOT NULL")}


@pytest.fixture(scope="module")
def base(showcase_db: Path, sync_api: Any) -> Iterator[str]:
    with live_server(create_app(showcase_db)) as url:
        yield url


@pytest.fixture(params=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    """A page at desktop or phone size that fails the test on any console error (a CSP violation logs one)."""
    context = browser.new_context(viewport=SIZES[request.param])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield request.param, page
    context.close()
    assert errors == []


@pytest.mark.parametrize("story", ["nato", "saga"])
def test_story_shows_coverage_and_articles_first(
    sized: tuple[str, Page], base: str, stories: dict[str, int], outlet_names: set[str], story: str
) -> None:
    size, page = sized
    height = SIZES[size]["height"]
    page.goto(f"{base}/stories/{stories[story]}")
    verdict = page.evaluate(TOP_JS, ".verdict")
    assert verdict is not None and verdict + 20 < height, f"the verdict starts at {verdict}px"
    assert "% of reports from" in (page.locator(".verdict").text_content() or "")
    articles = page.evaluate(TOP_JS, ".article-list")
    if size == "desktop":
        assert articles < 2 * height, f"the article list starts at {articles}px"
    cards = page.evaluate(CARDS_JS)
    assert len(cards) == page.locator(".article-item").count() > 0
    assert page.locator(".article-item .badges .badge").count() == 3 * len(cards)  # lean, factuality, owner
    strangers = [c for c in cards if c not in outlet_names and c != UNKNOWN_OUTLET]
    assert strangers == [], "outlets that no rater or owner file names"
    if story == "saga":
        assert UNKNOWN_OUTLET not in cards  # every abp article states its outlet
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], f"the page is {width}px wide"
    assert page.evaluate(BROKEN_WORDS_JS) == []


def test_home_tables_keep_words_whole(sized: tuple[str, Page], base: str) -> None:
    _, page = sized
    page.goto(base + "/")
    assert page.locator("ol.story-list > li").count() > 0
    assert page.evaluate(BROKEN_WORDS_JS) == []


def test_lean_filter_and_legible_timeline_on_a_phone(browser: Browser, base: str, stories: dict[str, int]) -> None:
    context = browser.new_context(viewport=SIZES["phone"])
    page = context.new_page()
    try:
        page.goto(f"{base}/stories/{stories['saga']}")
        everything = page.locator(".article-item").count()
        label = page.locator("svg.timeline-chart .axis-label").first.bounding_box()
        assert label is not None and label["height"] >= 11  # drawn at its own size, the chart scrolls instead
        page.locator(".lean-filter a.lean-right").click()
        page.wait_for_url("**lean=right**")
        right = page.locator(".article-item")
        assert 0 < right.count() < everything
        lean_badges = page.locator(".article-item .badge:first-child")
        assert all("lean-right" in (lean_badges.nth(i).get_attribute("class") or "") for i in range(right.count()))
    finally:
        context.close()
