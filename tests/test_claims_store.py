"""Figures end to end: stored by the pipeline, imported references, export, the ledger page, the figures page
and the JSON API (over a small database written directly, with hostile text in an evidence sentence)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from browser_support import live_server
from crosscheck import Store
from crosscheck.claims import ArticleFigures, Claim, Quote
from crosscheck.claims.ledger import story_ledger
from crosscheck.cli.main import app
from crosscheck.demo import import_demo_reference
from crosscheck.models import ParsedArticle
from crosscheck.storage import connect
from crosscheck.storage.claims import ClaimReader, save_figures
from crosscheck.web.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ViewportSize

PHONE: ViewportSize = {"width": 375, "height": 812}

runner = CliRunner()
HOSTILE = "<script>alert(1)</script>"
CLAIM_FIELDS = {"external_id", "story_id", "value", "value_high", "unit", "subject", "kind", "period", "speaker",
                "evidence", "start", "end"}  # fmt: skip
REFERENCE = """country,iso3,year,share_gdp_pct,source,note
United States,USA,2024,3.38,nato,"NATO defence expenditure, 17 June 2024 edition; ESTIMATE"
United States,USA,2024,3.19,nato,"NATO Annual Report 2024 (published 26 Apr 2025), 2024 estimate"
United States,USA,2023,3.23,nato,"NATO defence expenditure, 17 June 2024 edition; ESTIMATE"
"""


def _claim(value: float, *, subject: str = "United States", kind: str = "reported", period: int | None = 2024,
           evidence: str = "The US spent 3.38 per cent last year.") -> Claim:  # fmt: skip
    return Claim(value, "percent_gdp", subject, kind, evidence, 0, len(evidence), 13, 17, period=period)


@pytest.fixture(scope="module")
def figures_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """One story of two outlets that disagree on the US share of GDP in 2024 (3.38 and 3.2), a NATO target with
    a hostile evidence sentence, a quote, and the reference table imported through the CLI."""
    folder = tmp_path_factory.mktemp("figures")
    path = folder / "figures.db"
    with Store(path) as store, store.transaction():
        story = store.create_story()
        for n, (outlet, domain) in enumerate([("Wire", "wire.example"), ("Paper", "paper.example")]):
            outlet_id = store.outlet_id(domain, outlet)
            article = ParsedArticle(external_id=f"a{n}", text="text", title=f"Title {n}", published=f"2025-04-0{n + 1}")
            article_id = store.insert_article(article, key=f"k{n}", outlet_id=outlet_id, text_hash=f"h{n}",
                                              duplicate_of=None, duplicate_kind=None)  # fmt: skip
            store.set_story(article_id, story)
            claims = [_claim(3.38 if n == 0 else 3.2), _claim(5, subject="NATO", kind="target", period=2035,
                                                               evidence=f"Allies agreed to 5%. {HOSTILE}")]  # fmt: skip
            save_figures(
                store.conn, article_id, ArticleFigures(claims, [Quote("We will see what is best", "Rutte", 0, 5)])
            )
        store.update_story_summary(story, headline="Allies and the 5% target", bullets=[], why=[])
    csv = folder / "reference.csv"
    csv.write_text(REFERENCE, encoding="utf-8")
    result = runner.invoke(app, ["--db", str(path), "reference", "import", str(csv)])
    assert result.exit_code == 0, result.output
    return path, story


def test_reference_import_is_idempotent(figures_db: tuple[Path, int], tmp_path: Path) -> None:
    path, _ = figures_db
    csv = tmp_path / "again.csv"
    csv.write_text(REFERENCE, encoding="utf-8")
    result = runner.invoke(app, ["--db", str(path), "reference", "import", str(csv)])
    assert result.exit_code == 0 and "0 new" in result.output
    missing = runner.invoke(app, ["--db", str(path), "reference", "import", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2


def test_ledger_disagreement_and_reference_check(figures_db: tuple[Path, int]) -> None:
    path, story = figures_db
    rows = story_ledger(ClaimReader(connect(path, readonly=True)), story)
    us = next(r for r in rows if r.subject == "United States")
    assert us.disagreement == "value" and not us.single_source
    checks = {v.value: v.reference for v in us.variants}
    assert checks[3.38] is not None and checks[3.38].status == "matches" and checks[3.38].revised is not None
    assert checks[3.2] is not None and checks[3.2].compared is not None and checks[3.2].compared.value == 3.19


def test_export_claims(figures_db: tuple[Path, int]) -> None:
    path, story = figures_db
    result = runner.invoke(app, ["--db", str(path), "export", "claims", "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == 4 and set(rows[0]) >= CLAIM_FIELDS and rows[0]["story_id"] == story


@pytest.fixture(scope="module")
def client(figures_db: tuple[Path, int]) -> TestClient:
    return TestClient(create_app(figures_db[0]))


def test_story_page_shows_the_ledger_escaped(client: TestClient, figures_db: tuple[Path, int]) -> None:
    page = client.get(f"/stories/{figures_db[1]}").text
    assert "Figures ledger" in page and "Disagree" in page and "Later revised to 3.19" in page
    summary = page.index("Outlets disagree on 1 figure")  # named above the table, its row listed first
    assert summary < page.index('<table class="timeline ledger-table"') < page.index('class="disagrees"')
    assert HOSTILE not in page and "&lt;script&gt;" in page
    rest = page.index('<details class="ledger-rest">')  # the agreed NATO target: one click away
    assert page.index('class="disagrees"') < rest < page.index("Allies agreed to 5%")
    assert "1 more figure, none disputed" in page


def test_figures_page_filters_and_charts(client: TestClient) -> None:
    page = client.get("/figures", params={"subject": "United States", "unit": "percent_gdp"})
    assert page.status_code == 200 and "<svg" in page.text and page.text.count("<circle") == 2
    assert "style=" not in page.text and "<script" not in page.text  # the CSP allows neither
    assert "Allies agreed" not in page.text  # the NATO target is filtered out


def test_figures_page_is_paginated(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crosscheck.web.pages.FIGURES_PAGE", 3)
    first = client.get("/figures").text
    assert "4 figures: 1–3" in first and first.count("<details><summary>") == 3
    assert 'href="/figures?page=2" rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/figures", params={"page": 2}).text
    assert "4 figures: 4–4" in second and second.count("<details><summary>") == 1 and 'rel="prev"' in second
    assert client.get("/figures", params={"page": 3}).status_code == 404
    assert client.get("/figures", params={"page": 0}).status_code in (400, 422)
    filtered = client.get("/figures", params={"subject": "NATO"}).text
    assert "2 figures" in filtered and "Page 1 of" not in filtered  # one page: no pager


def test_claims_api(client: TestClient, figures_db: tuple[Path, int]) -> None:
    data = client.get(f"/api/stories/{figures_db[1]}/claims").json()
    assert len(data["claims"]) == 4 and {r["subject"] for r in data["ledger"]} == {"United States", "NATO"}
    us = next(r for r in data["ledger"] if r["subject"] == "United States")
    assert us["disagreement"] == "value" and us["values"][0]["reference"]["status"] == "matches"
    assert len(client.get("/api/claims", params={"subject": "NATO"}).json()["claims"]) == 2
    assert client.get("/api/stories/999/claims").status_code == 404


def test_pipeline_stores_claims_and_quotes(seeds_db: Path) -> None:
    conn = connect(seeds_db, readonly=True)
    claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    quotes = conn.execute("SELECT COUNT(*) FROM quotes WHERE speaker IS NOT NULL").fetchone()[0]
    assert claims >= 20 and quotes >= 3
    row = conn.execute("SELECT a.text, c.evidence, c.start_offset, c.end_offset FROM claims c "
                       "JOIN articles a ON a.id = c.article_id LIMIT 1").fetchone()  # fmt: skip
    assert row[0][row[2] : row[3]] == row[1]


def test_reader_without_figure_tables(tmp_path: Path) -> None:
    """A database from before figures existed, opened read-only, has no figures rather than an error."""
    path = tmp_path / "old.db"
    sqlite3.connect(path).execute("CREATE TABLE articles (id INTEGER)").connection.commit()
    reader = ClaimReader(connect(path, readonly=True))
    assert reader.story_claims(1) == [] and reader.subjects() == [] and list(reader.export_rows()) == []


def test_ledger_reads_a_corrected_page_as_its_newest_revision(tmp_path: Path) -> None:
    """A page stored twice as revisions (2.0%, then corrected to 2.1%): the ledger counts the correction and keeps
    the old figure as what the page used to say."""
    from crosscheck.storage import feeds as pages

    with Store(tmp_path / "revised.db") as store, store.transaction():
        story, outlet_id = store.create_story(), store.outlet_id("paper.example", "Paper")
        ids = []
        for n, value in enumerate([2.0, 2.1]):
            article = ParsedArticle(external_id=f"r{n}", text="text", title="Germany", published="2025-04-01",
                                    url="https://paper.example/germany")  # fmt: skip
            article_id = store.insert_article(article, key=f"r{n}", outlet_id=outlet_id, text_hash=f"h{n}",
                                              duplicate_of=None, duplicate_kind=None)  # fmt: skip
            store.set_story(article_id, story)
            save_figures(store.conn, article_id, ArticleFigures([_claim(value, subject="Germany")]))
            revision = pages.Revision("https://paper.example/germany", n + 1, f"h{n}", article_id)
            pages.add_revision(store.conn, revision, previous_id=ids[-1] if ids else None,
                               fetched_at=f"2025-04-01T0{n}:00:00Z", warc=None)  # fmt: skip
            ids.append(article_id)
    (row,) = story_ledger(ClaimReader(connect(tmp_path / "revised.db", readonly=True)), story)
    assert [v.value for v in row.variants] == [2.1] and row.reports == 1
    assert [(c.claim.value, c.superseded_by) for c in row.earlier] == [(2.0, ids[1])]
    page = TestClient(create_app(tmp_path / "revised.db")).get(f"/stories/{story}").text
    assert "Earlier revisions of these pages said" in page and "<del>2% of GDP</del>" in page
    assert f'href="/articles/{ids[1]}">newest revision' in page


def test_a_phone_shows_the_ledger_and_figures_without_scrolling_sideways(
    browser: Browser, figures_db: tuple[Path, int]
) -> None:
    path, story = figures_db
    with live_server(create_app(path)) as url:
        context = browser.new_context(viewport=PHONE, is_mobile=True)
        try:
            phone = context.new_page()
            phone.goto(f"{url}/stories/{story}")
            agreement = phone.locator(".ledger-table td:last-child")
            assert agreement.count() > 0 and "Disagree" in (agreement.first.text_content() or "")
            for n in range(agreement.count()):  # a row is a block: its agreement is in view
                box = agreement.nth(n).bounding_box()
                assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
            phone.goto(f"{url}/figures")  # a subject as long as real ones ("Maine People's Alliance and …")
            phone.evaluate("""() => { const o = document.createElement('option');
                o.textContent = 'A subject named by sixty-two letters or more, as some are, in full (3)';
                document.getElementById('figure-subject').append(o); }""")
            width = phone.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"the figures page is {width}px wide at phone width"
        finally:
            context.close()


def test_a_chart_promises_a_reference_line_only_when_it_draws_one(client: TestClient) -> None:
    checked = client.get("/figures", params={"subject": "United States", "unit": "percent_gdp"}).text
    assert "<polyline" in checked and "dashed line is the latest edition" in checked
    unchecked = client.get("/figures", params={"subject": "NATO", "unit": "percent_gdp"}).text
    assert "<svg" in unchecked and "<polyline" not in unchecked and "dashed" not in unchecked
    assert "no reference figures are imported for NATO" in " ".join(unchecked.split())


def test_the_demo_imports_the_shared_reference_tables_once(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CROSSCHECK_SHARED", str(shared_dir))
    db = tmp_path / "demo.db"
    first = import_demo_reference(db)
    assert first is not None and first.startswith("Imported ") and "new) from" in first
    with Store(db) as store:
        stored = int(store.conn.execute("SELECT COUNT(*) FROM reference_figures").fetchone()[0])
    assert stored > 0 and f"; {stored} new)" in first
    assert "; 0 new)" in str(import_demo_reference(db))  # again: nothing new
