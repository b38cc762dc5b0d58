"""``crosscheck sources …`` and ``crosscheck blindspots``: output, exit codes, updates in place."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosscheck.cli.main import app
from sources_data import RatedDB, build_rated_db, write_rater_files

runner = CliRunner()


@pytest.fixture
def rated(tmp_path: Path) -> RatedDB:
    return build_rated_db(tmp_path)


def _run(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "250"})
    return result.exit_code, " ".join(result.output.split())


def test_import_prints_what_changed_and_reimport_updates(tmp_path: Path) -> None:
    files = write_rater_files(tmp_path / "raters")
    db = tmp_path / "cli.db"
    code, output = _run(db, "sources", "import", str(files["allsides"]), str(files["mbfc"]))
    assert code == 0, output
    assert "raters/allsides-2019-10.csv (allsides, rated 2019-10): 6 added, 0 updated, 0 removed" in output
    assert "known by name only" in output and "1 skipped: line 5: Jane Columnist: an author" in output
    code, output = _run(db, "sources", "import", str(files["mbfc"]), "--date", "2025-11")
    assert "0 added, 5 updated, 0 removed" in output and "rated 2025-11" in output
    code, output = _run(db, "sources", "files")
    assert code == 0 and "raters/mbfc-2025-12.json" in output and "2025-11" in output


def test_import_failures_and_bad_options(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert _run(db, "sources", "import", str(tmp_path / "missing.csv"))[0] == 1
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    code, output = _run(db, "sources", "import", str(junk))
    assert code == 1 and "cannot tell the format" in output
    assert _run(db, "sources", "import", str(junk), "--format", "nope")[0] == 2


def test_list_and_show(rated: RatedDB) -> None:
    code, output = _run(rated.path, "sources", "list")
    assert code == 0 and "Harbor Ledger" in output and "lean left" in output
    code, output = _run(rated.path, "sources", "show", "https://www.harborledger.example/any")
    assert code == 0, output
    assert "harborledger.example" in output and "raters 1 apart" in output
    assert "AllSides" in output and "no (derived)" in output
    assert "section harborledger.example/observer" in output
    assert _run(rated.path, "sources", "show", "nobody.example")[0] == 2


def test_coverage_in_the_terminal(rated: RatedDB) -> None:
    code, output = _run(rated.path, "sources", "coverage", str(rated.story))
    assert code == 0, output
    assert "bias by report: left 1 (11%)" in output
    assert "unrated [9] unknown outlet: no bias or factuality: no outlet named in the input" in output
    assert _run(rated.path, "sources", "coverage", "999")[0] == 2


def test_blindspots_command(rated: RatedDB) -> None:
    code, output = _run(rated.path, "blindspots")
    assert code == 0 and "Base rates over 8 rated independent reports" in output
    assert "No blindspots by this rule." in output


def test_remove_a_source(rated: RatedDB) -> None:
    assert _run(rated.path, "sources", "remove", "raters/own.csv")[0] == 0
    assert _run(rated.path, "sources", "remove", "raters/own.csv")[0] == 2
    rows = {r["external_id"]: r for r in map(json.loads, _export(rated.path, "jsonl").splitlines())}
    assert rows["yle"]["bias"] is None  # the hand-written rating is gone with its file


def _export(db: Path, fmt: str) -> str:
    result = runner.invoke(app, ["--db", str(db), "export", "articles", "--format", fmt])
    assert result.exit_code == 0
    return result.stdout


def test_export_articles_csv_has_rating_columns(rated: RatedDB) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(rated.path, "csv"))))
    by_id = {r["external_id"]: r for r in rows}
    assert (by_id["wire"]["bias"], by_id["wire"]["factuality"]) == ("center", "high")
    assert by_id["anon"]["bias"] == ""


def test_rater_text_is_printed_literally_not_as_markup(tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_text("domain,name,owner\nmarkup.example,[red]Loud[/red],[bold]Owner[/bold]\n", encoding="utf-8")
    db = tmp_path / "cli.db"
    assert _run(db, "sources", "import", str(own))[0] == 0
    code, output = _run(db, "sources", "show", "markup.example")
    assert code == 0 and "[red]Loud[/red]" in output and "[bold]Owner[/bold]" in output
