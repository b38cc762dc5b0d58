"""The answer cache: repeated pages come from memory until the database file changes (or, when allowed, for a
few seconds after); never shared across hosts the allow-list refuses, and only 200 answers to GET."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crosscheck import Store
from crosscheck.web import views
from crosscheck.web.app import create_app
from crosscheck.web.cache import file_fingerprint
from web_fixtures import BrowseDB, build_browse_db


@pytest.fixture
def browse(tmp_path: Path) -> BrowseDB:
    return build_browse_db(tmp_path)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how often the story page is really built."""
    seen: list[int] = []
    real = views.story_page

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("crosscheck.web.pages.story_page", counting)
    return seen


def test_repeated_pages_come_from_the_cache_until_the_database_changes(browse: BrowseDB, calls: list[int]) -> None:
    with TestClient(create_app(browse.path)) as client:
        client.get("/healthz")
        client.get("/outlets")  # the first reader creates the -wal file: the database file changes once
        first = client.get(f"/stories/{browse.story}")
        second = client.get(f"/stories/{browse.story}")
        assert first.text == second.text and len(calls) == 1
        assert second.headers["content-security-policy"].startswith("default-src 'none'")
        assert second.headers["x-frame-options"] == "DENY"
        with Store(browse.path) as store, store.transaction():
            store.update_story_summary(browse.story, headline="Ferry strike is over", bullets=[], why=[])
        third = client.get(f"/stories/{browse.story}")
    assert len(calls) == 2 and "<h1>Ferry strike is over</h1>" in third.text


def test_query_strings_are_separate_entries(browse: BrowseDB) -> None:
    with TestClient(create_app(browse.path)) as client:
        everything = client.get("/").text
        right = client.get("/?lean=right").text
        assert everything != right and client.get("/").text == everything


def test_errors_and_other_hosts_are_not_served_from_the_cache(browse: BrowseDB, calls: list[int]) -> None:
    with TestClient(create_app(browse.path)) as client:
        client.get("/outlets")
        assert client.get("/stories/999").status_code == 404
        client.get(f"/stories/{browse.story}")
        refused = client.get(f"/stories/{browse.story}", headers={"host": "evil.example"})
        assert refused.status_code == 400 and "Ferry" not in refused.text
    assert len(calls) == 1


def test_a_cache_of_nothing_builds_every_time(browse: BrowseDB, calls: list[int]) -> None:
    with TestClient(create_app(browse.path, page_cache=0)) as client:
        for _ in range(3):
            assert client.get(f"/stories/{browse.story}").status_code == 200
    assert len(calls) == 3


def test_fingerprint_follows_the_file_and_its_log(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert file_fingerprint(str(db)) is None
    db.write_bytes(b"one")
    first = file_fingerprint(str(db))
    (tmp_path / "x.db-wal").write_bytes(b"log")
    assert first is not None and file_fingerprint(str(db)) != first
    assert file_fingerprint("postgresql://localhost/crosscheck") is None


def test_a_page_may_stay_stale_for_the_seconds_allowed(browse: BrowseDB, calls: list[int]) -> None:
    with TestClient(create_app(browse.path, page_cache_seconds=3600)) as client:
        client.get("/outlets")  # the first reader creates the -wal file
        first = client.get(f"/stories/{browse.story}")
        with Store(browse.path) as store, store.transaction():
            store.update_story_summary(browse.story, headline="Ferry strike is over", bullets=[], why=[])
        again = client.get(f"/stories/{browse.story}")
    assert again.text == first.text and "Ferry strike is over" not in again.text and len(calls) == 1


def test_the_cache_holds_at_most_its_byte_budget(browse: BrowseDB) -> None:
    from crosscheck.web.cache import PageCache

    app = create_app(browse.path)
    with TestClient(app) as client:
        client.get("/outlets")
        cache = next(m for m in _middleware(app) if isinstance(m, PageCache))
        sizes = [len(client.get(path).content) for path in ("/", f"/stories/{browse.story}")]
        assert len(cache._answers) == 2 and cache._bytes == sum(sizes)
        cache.max_bytes = max(sizes) + 10  # room for one of the two pages
        client.get("/?order=coverage")  # a new answer: the oldest ones go until the budget holds
        assert cache._bytes <= cache.max_bytes and len(cache._answers) == 1


def _middleware(app: Any) -> list[Any]:
    """The app's middleware instances, outermost first (built by the first request)."""
    found, layer = [], app.middleware_stack
    while layer is not None:
        found.append(layer)
        layer = getattr(layer, "app", None)
    return found
