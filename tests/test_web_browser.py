"""The web UI in a real browser: Playwright drives the system's Chromium against a live server.

Skips when Playwright (the Python package) or Chromium (``/usr/bin/chromium``; ``CROSSCHECK_CHROMIUM`` overrides)
is missing. Screenshots at desktop and phone width go to ``CROSSCHECK_TEST_OUTPUT`` (else pytest's tmp path).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser_support import live_server
from crosscheck.web.app import create_app
from web_fixtures import BrowseDB, build_browse_db

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FloatRect, Page, ViewportSize

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sync_api: Any) -> Iterator[tuple[str, BrowseDB]]:
    """A live server (uvicorn in a thread, 127.0.0.1 only) over the browsing database: (base URL, ids)."""
    built = build_browse_db(tmp_path_factory.mktemp("web-browser"))
    with live_server(create_app(built.path)) as url:
        yield url, built


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go."""
    configured = os.environ.get("CROSSCHECK_TEST_OUTPUT")
    folder = Path(configured) / "browser" if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop-sized page that fails the test on any console error (a CSP violation logs one)."""
    context = browser.new_context(viewport=DESKTOP)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert errors == []


def _box(page: Page, selector: str) -> FloatRect:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_home_story_and_timeline_render(page: Page, site: tuple[str, BrowseDB], shots: Path) -> None:
    base, built = site
    page.goto(base + "/")
    assert page.title() == "Stories · crosscheck"
    assert page.locator("ol.story-list > li").count() == 2
    bar = _box(page, "svg.bias-bar")
    assert bar["width"] > 50 and bar["height"] > 5
    page.screenshot(path=str(shots / "home-desktop.png"), full_page=True)
    page.get_by_role("link", name="Ferry strike ends").click()
    page.wait_for_url(f"**/stories/{built.story}")
    chart = _box(page, "svg.timeline-chart")
    assert chart["width"] > 300 and chart["height"] > 80
    bars = page.locator("svg.timeline-chart rect")
    assert bars.count() == 10
    assert all((bars.nth(i).bounding_box() or {"height": 0})["height"] > 0 for i in range(bars.count()))
    assert page.locator("svg.timeline-chart title").first.text_content() == (
        "Articles per day by lean, 2025-06-01 to 2025-06-10"
    )
    page.get_by_text("The numbers as a table").click()
    assert page.locator("details.chart-table table tbody tr").count() == 10
    page.screenshot(path=str(shots / "story-desktop.png"), full_page=True)
    assert (shots / "story-desktop.png").stat().st_size > 10_000


def test_search_then_follow_an_outlet_link(page: Page, site: tuple[str, BrowseDB]) -> None:
    base, _ = site
    page.goto(base + "/outlets")
    page.get_by_label("Search articles").fill("ferry")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=ferry")
    assert page.locator("ol.results > li").count() >= 5
    assert page.locator("ol.results mark").first.text_content() is not None
    page.get_by_role("link", name="Union caves on ferry pay", exact=True).click()
    page.locator(".breadcrumb a").click()  # the article's story
    page.locator('a[href="/outlets/ridgepost.example"]').first.click()
    page.wait_for_url("**/outlets/ridgepost.example")
    assert "Ridge Post" in (page.locator("h1").text_content() or "")


def test_filter_by_lean_and_date(page: Page, site: tuple[str, BrowseDB]) -> None:
    base, built = site
    page.goto(base + "/")
    page.get_by_label("Lean of coverage").select_option("right")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**lean=right**")
    assert page.locator("ol.story-list > li").count() == 1
    assert page.locator(".filter-summary").text_content() == "1 story matches the filters."
    page.get_by_label("Lean of coverage").select_option("")
    page.get_by_label("From", exact=True).fill("2025-06-01")
    page.get_by_label("To", exact=True).fill("2025-06-30")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**to=2025-06-30**")
    assert page.locator(f'ol.story-list a[href="/stories/{built.story}"]').count() == 1
    assert page.locator("ol.story-list > li").count() == 1


def test_keyboard_reaches_the_skip_link_and_a_story(page: Page, site: tuple[str, BrowseDB]) -> None:
    base, built = site
    page.goto(base + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent, getComputedStyle(document.activeElement)"
                            ".outlineStyle, document.activeElement.getBoundingClientRect().left]")  # fmt: skip
    assert focused[0] == "Skip to content" and focused[1] != "none" and focused[2] >= 0  # visible once focused
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href')")
        if href == f"/stories/{built.budget}":
            break
    else:
        pytest.fail("tabbing never reached the first story link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/stories/{built.budget}")
    assert page.locator("h1").text_content() == "City budget passes"


def test_phone_width_has_no_sideways_scroll(browser: Browser, site: tuple[str, BrowseDB], shots: Path) -> None:
    base, built = site
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        for name, path in (("home", "/"), ("story", f"/stories/{built.story}"), ("search", "/search?q=ferry"),
                           ("article", f"/articles/{built.articles['ledger']}"),
                           ("entity", "/entities/City%20Council")):  # fmt: skip
            phone.goto(base + path)
            width = phone.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name} is {width}px wide at phone width"
            phone.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
        phone.goto(base + f"/stories/{built.story}")
        assert _box(phone, "figure.chart")["width"] <= PHONE["width"]  # the chart scrolls inside it
        assert _box(phone, "svg.timeline-chart")["width"] >= 400  # wide enough to read its labels
    finally:
        context.close()
