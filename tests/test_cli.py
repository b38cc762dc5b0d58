"""The command-line contract: commands, options, exit codes and export fields other tools rely on."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosscheck import Store
from crosscheck.cli.main import app
from crosscheck.settings import Settings
from crosscheck.sources.coverage import story_coverage
from crosscheck.storage import Reader
from crosscheck.story_view import read_story
from sources_data import build_rated_db

ARTICLE_FIELDS = {
    "id",
    "external_id",
    "url",
    "outlet",
    "outlet_domain",
    "title",
    "published",
    "story_id",
    "duplicate_of",
}
STORY_FIELDS = {"id", "headline", "bullets", "article_count", "report_count", "outlet_count", "first_seen",
                "last_seen", "article_ids"}  # fmt: skip

runner = CliRunner()


@pytest.fixture
def db(examples_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "cli.db"
    shutil.copy(examples_db, copy)
    return copy


def test_stories_lists_headlines(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "stories", "--order", "coverage"])
    assert result.exit_code == 0, result.output
    assert "headline" in result.output
    assert "Fed" in result.output or "rate" in result.output


def test_story_page_in_terminal(db: Path) -> None:
    exported = runner.invoke(app, ["--db", str(db), "export", "stories"])
    story = max((json.loads(line) for line in exported.stdout.splitlines()), key=lambda s: s["article_count"])
    result = runner.invoke(app, ["--db", str(db), "story", str(story["id"])])
    assert result.exit_code == 0, result.output
    assert story["headline"][:30] in " ".join(result.output.split())
    assert f"{story['article_count']} articles · " in result.output
    assert "1 outlets" not in result.output and "latest article" in result.output
    assert runner.invoke(app, ["--db", str(db), "story", "999999"]).exit_code == 2


def test_exported_stories_give_each_bullet_its_day(db: Path) -> None:
    exported = runner.invoke(app, ["--db", str(db), "export", "stories"]).stdout.splitlines()
    stories = [json.loads(line) for line in exported]
    assert all(len(s["bullet_days"]) == len(s["bullets"]) for s in stories)
    spanning = [s for s in stories if s["first_seen"] and s["last_seen"] and s["first_seen"] != s["last_seen"]]
    assert spanning and all(s["first_seen"] <= d <= s["last_seen"] for s in spanning for d in s["bullet_days"] if d)
    assert any(d for s in spanning for d in s["bullet_days"])
    one_day = [s for s in stories if s["first_seen"] == s["last_seen"]]
    assert all(d is None for s in one_day for d in s["bullet_days"])


def test_story_page_in_terminal_lists_its_figures(db: Path) -> None:
    with Store(db) as store:
        stories = [s.id for s in Reader(store.conn).stories(limit=500)]
        views = [read_story(Reader(store.conn), i, Settings()) for i in stories]
    view = max((v for v in views if v is not None), key=lambda v: len(v.ledger))
    assert view.ledger, "the examples state figures"
    output = runner.invoke(app, ["--db", str(db), "story", str(view.record.id)]).output
    lines = output.splitlines()
    header = lines.index("subject\tfigure\tkind\treports\tstated by\tcheck")
    rows = [line.split("\t") for line in lines[header + 1 : header + 1 + len(view.ledger)]]
    assert [(r[0], r[2]) for r in rows] == [(row.subject, row.kind) for row in view.ledger]
    assert all(len(r) == 6 for r in rows)


def test_story_in_terminal_names_the_other_developments_of_its_saga(db: Path) -> None:
    exported = runner.invoke(app, ["--db", str(db), "export", "stories"])
    first, second = sorted((json.loads(line) for line in exported.stdout.splitlines()), key=lambda s: s["id"])[:2]
    with Store(db) as store, store.transaction():
        store.set_saga([first["id"], second["id"]], first["id"])
    result = runner.invoke(app, ["--db", str(db), "story", str(first["id"])])
    assert result.exit_code == 0, result.output
    assert f"(story {second['id']}, " in result.output and "Other development: " in result.output


def test_export_articles_jsonl_and_csv(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "export", "articles", "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and set(rows[0]) >= ARTICLE_FIELDS
    assert any(r["duplicate_of"] for r in rows)
    as_csv = runner.invoke(app, ["--db", str(db), "export", "articles", "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(table) == len(rows) and set(table[0]) >= ARTICLE_FIELDS
    assert [r["authors"] for r in table] == ["; ".join(r["authors"]) for r in rows]  # not JSON


def test_export_stories_to_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "stories.jsonl"
    result = runner.invoke(app, ["--db", str(db), "export", "stories", "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0
    stories = [json.loads(line) for line in out.read_text().splitlines()]
    assert set(stories[0]) >= STORY_FIELDS
    assert all(isinstance(b, str) for s in stories for b in s["bullets"])
    assert sum(s["article_count"] for s in stories) == 24


def test_export_rejects_unknown_kind(db: Path) -> None:
    assert runner.invoke(app, ["--db", str(db), "export", "everything"]).exit_code == 2


def test_database_from_environment(db: Path) -> None:
    result = runner.invoke(app, ["stories"], env={"CROSSCHECK_DB": str(db)})
    assert result.exit_code == 0 and "headline" in result.output


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "none.db"), "stories"])
    assert result.exit_code == 2
    assert "crosscheck ingest" in result.output


def test_ingest_reports_bad_items_and_keeps_going(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(
        "date 2024-05-01\nsource Test Gazette\n\nA ferry service between two islands resumed on Wednesday after "
        "a three-week strike by crew members ended with a new pay agreement, the operator said.\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    db = tmp_path / "ingest.db"
    result = runner.invoke(app, ["--db", str(db), "ingest", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "bad.txt" in result.output
    assert "added 1" in result.output
    assert "Loading weights" not in result.stderr and "it/s]" not in result.stderr  # no model-loading bars
    again = runner.invoke(app, ["--db", str(db), "ingest", str(good)])
    assert again.exit_code == 0 and "added 0" in again.output


def test_demo_without_shared_data_ingests_the_examples(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    env = {"CROSSCHECK_SHARED": str(tmp_path / "absent")}
    result = runner.invoke(app, ["--db", str(db), "demo", "--no-serve"], env=env)
    assert result.exit_code == 0, result.output
    assert "bundled example articles" in " ".join(result.output.split())
    assert "added 24" in result.output
    assert "No shared reference tables: figures are not checked." in " ".join(result.output.split())
    again = runner.invoke(app, ["--db", str(db), "demo", "--no-serve"], env=env)
    assert "added 0" in again.output


def test_recluster_keeps_stories_and_redirects_old_ids(db: Path) -> None:
    def partition() -> tuple[set[frozenset[int]], list[dict[str, object]]]:
        rows = [
            json.loads(line) for line in runner.invoke(app, ["--db", str(db), "export", "stories"]).stdout.splitlines()
        ]
        return {frozenset(s["article_ids"]) for s in rows}, rows  # type: ignore[arg-type]

    groups_before, stories_before = partition()
    result = runner.invoke(app, ["--db", str(db), "recluster"])
    assert result.exit_code == 0, result.output
    assert "rebuilt stories" in result.output
    groups_after, stories_after = partition()
    assert groups_after == groups_before  # same settings, same stories
    assert {s["id"] for s in stories_after}.isdisjoint({s["id"] for s in stories_before})
    old = max(stories_before, key=lambda s: s["article_count"])
    shown = runner.invoke(app, ["--db", str(db), "story", str(old["id"])])
    assert shown.exit_code == 0 and str(old["headline"])[:20] in " ".join(shown.output.split())


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CROSSCHECK_ENTITY_RECOGNIZER", "regex", "entity_recognizer 'regex' is not one of: spacy, names"),
        ("CROSSCHECK_MAX_BULLETS", "many", "CROSSCHECK_MAX_BULLETS='many' is not a valid int"),
    ],
)
def test_an_invalid_setting_stops_any_command_with_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    result = runner.invoke(app, ["--db", str(tmp_path / "none.db"), "stories"])
    assert result.exit_code == 2
    assert "invalid setting" in result.output
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "none.db").exists()


# --- piped output, lean and search ------------------------------------------------------------------------


def _fields(output: str) -> list[list[str]]:
    return [line.split("\t") for line in output.splitlines() if "\t" in line]


def test_piped_stories_are_whole_tab_separated_lines(db: Path) -> None:
    exported = runner.invoke(app, ["--db", str(db), "export", "stories"])
    headlines = {s["id"]: s["headline"] for s in map(json.loads, exported.stdout.splitlines())}
    result = runner.invoke(app, ["--db", str(db), "stories", "--limit", "100"])  # CliRunner's output is no terminal
    assert result.exit_code == 0, result.output
    header, *rows = _fields(result.stdout)
    assert header == ["id", "headline", "lean", "articles", "reports", "outlets", "dates"]
    assert len(rows) == len(headlines) and all(len(row) == 7 for row in rows)
    assert {int(row[0]): row[1] for row in rows} == headlines  # every headline whole, none cut
    assert max(len(h) for h in headlines.values()) > 60
    assert all(re.fullmatch(r"L \d+ · C \d+ · R \d+( · unrated \d+)?", row[2]) for row in rows)


def test_stories_and_story_show_the_lean_of_the_reports(tmp_path: Path) -> None:
    rated = build_rated_db(tmp_path)
    listed = runner.invoke(app, ["--db", str(rated.path), "stories"])
    assert listed.exit_code == 0, listed.output
    assert _fields(listed.stdout)[1][1:3] == ["Ferry strike ends", "L 3 · C 2 · R 3 · unrated 1"]  # as the web's
    shown = runner.invoke(app, ["--db", str(rated.path), "story", str(rated.story)])
    assert shown.exit_code == 0, shown.output
    with Store(rated.path) as store:
        counts = story_coverage(store.conn, rated.story).distributions["bias_by_report"].counts
    ratings = " · ".join(f"{rating} {n}" for rating, n in counts.items() if n)
    assert f"Lean of the independent reports: L 3 · C 2 · R 3 · unrated 1; by rating: {ratings}\n" in shown.stdout
    articles = {row[4]: row for row in _fields(shown.stdout)}
    assert articles["title"][:4] == ["#", "date", "outlet", "lean"]
    assert articles["Union caves on ferry pay"][3] == "right"
    assert articles["Ferry deal agreed (copy)"][3] == "unrated" and articles["Ferry deal agreed (copy)"][5]


def test_search_pages_through_matches(db: Path) -> None:
    everything = runner.invoke(app, ["--db", str(db), "search", "Fed rate", "--limit", "100"])
    assert everything.exit_code == 0, everything.output
    header, *rows = _fields(everything.stdout)
    assert header == ["article", "date", "outlet", "title", "story", "snippet"] and len(rows) >= 3
    assert f"{len(rows)} articles match: 1–{len(rows)} shown" in everything.stderr
    with Store(db) as store:
        hits = Reader(store.conn).search("Fed rate", limit=100)
    assert [int(row[0]) for row in rows] == [h.article.id for h in hits]
    assert [row[3] for row in rows] == [h.article.title for h in hits]
    second = runner.invoke(app, ["--db", str(db), "search", "Fed rate", "--limit", "1", "--offset", "1"])
    assert _fields(second.stdout)[1:] == rows[1:2]
    assert f"{len(rows)} articles match: 2–2 shown" in second.stderr
    none = runner.invoke(app, ["--db", str(db), "search", "zzzznotaword"])
    assert none.exit_code == 0 and _fields(none.stdout)[1:] == [] and "0 articles match" in none.stderr
    assert runner.invoke(app, ["--db", str(db), "search", "Fed", "--offset", "-1"]).exit_code == 2


def test_csv_exports_spread_lists_and_coverage_over_readable_cells(tmp_path: Path) -> None:
    rated = build_rated_db(tmp_path)
    result = runner.invoke(app, ["--db", str(rated.path), "export", "stories", "--format", "csv"])
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert not any(cell.startswith(("[", "{")) for cell in row.values()), row  # no JSON in any cell
    assert [row[f"lean_{side}"] for side in ("left", "center", "right", "unrated")] == ["3", "2", "3", "1"]
    assert row["bias_by_report_lean_left"].isdigit() and row["factuality_by_article_unrated"].isdigit()
    assert row["article_ids"] == "; ".join(str(i) for i in rated.articles.values())
    assert row["owners_by_report"].startswith("Summit Media Group: ") and "unknown: " in row["owners_by_report"]
    assert row["ratings_imported"] == "True" and "blindspot_missing" in row
    jsonl = runner.invoke(app, ["--db", str(rated.path), "export", "stories"])
    assert isinstance(json.loads(jsonl.stdout)["coverage"]["bias_by_report"], dict)  # JSON Lines keep the objects
