"""Ownership files: the owners CSV imports like a rater file, a user's own CSV overrides it, and the owner, parent,
kind of owner and the row's source reach assessments, outlet profiles and a story's coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosscheck import Store
from crosscheck.errors import InputError
from crosscheck.sources.assess import Assessor
from crosscheck.sources.coverage import story_coverage
from crosscheck.sources.importers import detect_format, parse_file
from crosscheck.sources.profile import outlet_profile
from crosscheck.sources.registry import import_file
from crosscheck.storage import connect
from crosscheck.web.app import create_app
from sources_data import RatedDB, build_rated_db

OWNERS = """domain,outlet,owner,parent,owner_type,country,as_of,source_url,confidence,note
harborledger.example,The Harbor Ledger,"Harbor Ledger, LLC",Harbor Holdings,public_company,USA,2025,https://wiki.example/Harbor,high,
centerwire.example,Center Wire,Wire Co-op,,cooperative,USA,2025,https://wiki.example/W,medium,members own it
bad.example,Bad,Someone,,sort_of_owned,USA,2025,,high,
"""
USER = """domain,name,owner,owner_kind,source
centerwire.example,Center Wire,Wire Staff Trust,employee_owned,https://centerwire.example/about
"""


@pytest.fixture(scope="module")
def owned(tmp_path_factory: pytest.TempPathFactory) -> RatedDB:
    folder = tmp_path_factory.mktemp("owned")
    built = build_rated_db(folder)
    (folder / "owners-2025.csv").write_text(OWNERS, encoding="utf-8")
    (folder / "mine.csv").write_text(USER, encoding="utf-8")
    with Store(built.path) as store:
        report = import_file(store, folder / "owners-2025.csv")
        assert report.format == "owners" and report.entries == 2
        assert any("sort_of_owned" in s for s in report.skipped)
        import_file(store, folder / "mine.csv")
    return built


def test_the_owners_layout_is_detected_by_its_header(tmp_path: Path) -> None:
    assert detect_format(OWNERS) == "owners"
    assert detect_format(USER) == "crosscheck"
    path = tmp_path / "owners.csv"
    path.write_text("domain,outlet,owner\nx.example,X,Y\n", encoding="utf-8")
    with pytest.raises(InputError, match="owner_type"):
        parse_file(path, fmt="owners", max_bytes=10_000)


def test_owner_parent_kind_and_source_reach_the_assessment(owned: RatedDB) -> None:
    conn = connect(owned.path, readonly=True)
    harbor = Assessor(conn).assess("harborledger.example", "Harbor Ledger", None).ownership
    assert harbor is not None
    assert (harbor.owner, harbor.parent, harbor.owner_type) == ("Harbor Ledger, LLC", "Harbor Holdings",
                                                                "public_company")  # fmt: skip
    assert harbor.sources == ("https://wiki.example/Harbor",)
    assert harbor.files[0].endswith("owners-2025.csv")
    conn.close()


def test_a_users_own_file_overrides_the_owners_file(owned: RatedDB) -> None:
    conn = connect(owned.path, readonly=True)
    wire = Assessor(conn).assess("centerwire.example", "Center Wire", None).ownership
    assert wire is not None
    assert (wire.owner, wire.owner_type, wire.parent) == ("Wire Staff Trust", "employee_owned", None)
    assert wire.sources == ("https://centerwire.example/about",)
    conn.close()


def test_the_outlet_page_data_and_the_story_coverage_count_kinds_of_owner(owned: RatedDB) -> None:
    conn = connect(owned.path, readonly=True)
    profile = outlet_profile(conn, "harborledger.example")
    assert profile.to_dict()["ownership"]["parent"] == "Harbor Holdings"
    kinds = story_coverage(conn, owned.story).distributions["owner_kinds_by_report"].counts
    assert (kinds["public_company"], kinds["private equity"], kinds["employee_owned"]) == (3, 2, 1)
    conn.close()


def test_the_outlet_page_shows_owner_parent_kind_and_source(owned: RatedDB) -> None:
    with TestClient(create_app(owned.path)) as client:
        html = client.get("/outlets/harborledger.example").text
    assert "Harbor Ledger, LLC" in html and "(public company)" in html and "Harbor Holdings" in html
    assert 'href="https://wiki.example/Harbor"' in html
