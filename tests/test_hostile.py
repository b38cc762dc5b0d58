"""The hostile-input corpus (``tests/fixtures/hostile``, run by ``bench/hostile.py``) read as one folder, through
``read_inputs`` and through the real CLI: each bad item is one error line naming it, the good items are stored,
the exit code is 1, nothing from the secret file an XXE points at reaches the database, and markup is stored
literally and shown escaped. The network cases run in ``tests/test_ingest_network.py``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crosscheck.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "hostile-inputs.md"


def _load_bench() -> ModuleType:
    """bench/hostile.py, loaded from its file once (bench/ is not a package)."""
    name = "crosscheck_bench_hostile"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


hostile = _load_bench()
FILE_CASES = [case for case in hostile.load_cases() if case.kind != "url"]


class Run:
    """The file cases materialised once, with what ``read_inputs`` gave for each."""

    def __init__(self, folder: Path) -> None:
        self.secret = hostile.make_secret(folder)
        self.inputs = folder / "inputs"
        outcomes = hostile.run_files(FILE_CASES, self.inputs, hostile.corpus_settings(), self.secret)
        self.outcomes: dict[str, Any] = {outcome.case.name: outcome for outcome in outcomes}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return Run(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", [case.name for case in FILE_CASES])
def test_case_behaves_through_read_inputs(run: Run, name: str) -> None:
    outcome = run.outcomes[name]
    assert outcome.ok, "\n".join(outcome.problems)


@pytest.fixture(scope="module")
def cli(run: Run, tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``crosscheck ingest`` of the whole hostile folder, in a subprocess (it loads the models: done once)."""
    db = tmp_path_factory.mktemp("hostile-db") / "hostile.db"
    env = {**os.environ, **{f"CROSSCHECK_{k.upper()}": str(v) for k, v in hostile.CORPUS_SETTINGS.items()}}
    command = [sys.executable, "-m", "crosscheck", "--db", str(db), "ingest", str(run.inputs)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    return done, db


def _expected_failures(run: Run) -> list[tuple[str, str]]:
    return [
        (outcome.target + item.get("location_suffix", ""), item["failure"])
        for outcome in run.outcomes.values()
        for item in outcome.case.items
        if "failure" in item
    ]


def test_cli_prints_one_error_line_per_bad_item_and_exits_1(run: Run, cli: Any) -> None:
    done, _ = cli
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    errors = [line for line in output.splitlines() if line.startswith("error ")]
    expected = _expected_failures(run)
    assert len(errors) == len(expected), "\n".join(errors)
    for location, reason in expected:
        matching = [line for line in errors if line.startswith(f"error {location}: ")]
        assert len(matching) == 1, f"{location}: {matching}"
        assert reason in matching[0]
    summary = " ".join(output.split())
    assert f"errors {len(expected)} ·" in summary


def _database(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def test_cli_stores_every_good_item_and_nothing_of_the_secret(run: Run, cli: Any) -> None:
    _, db = cli
    expected = sum(1 for o in run.outcomes.values() for item in o.case.items if "failure" not in item)
    conn = _database(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == expected
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert hostile.SECRET[:20] not in dump
    assert run.secret.read_text(encoding="utf-8").startswith(hostile.SECRET)  # the secret was there to be read


def test_markup_is_stored_literally_and_shown_escaped(cli: Any) -> None:
    _, db = cli
    conn = _database(db)
    try:
        row = conn.execute("SELECT id, title, story_id FROM articles WHERE external_id = 'markup'").fetchone()
        page_title = conn.execute(
            "SELECT title FROM articles WHERE format = 'html' AND title LIKE '%Mayor%'"
        ).fetchone()
    finally:
        conn.close()
    article, title, story = row
    assert title == "<script>alert('title')</script> Council <img src=x onerror=alert(1)> meets"
    assert page_title == ("<script>alert(1)</script> Mayor resigns",)
    with TestClient(create_app(db)) as client:
        pages = [client.get(f"/stories/{story}"), client.get(f"/articles/{article}")]
    for page in pages:
        assert page.status_code == 200
        assert "&lt;script&gt;alert(" in page.text
        assert not re.search(r"<script>alert|<img src=x|<b onmouseover", page.text)


def test_report_lists_every_case_and_nothing_lost() -> None:
    report = REPORT.read_text(encoding="utf-8")
    for case in hostile.load_cases():
        assert f"| `{case.name}` |" in report, f"docs/hostile-inputs.md lacks {case.name}: rerun bench/hostile.py"
    assert " 0 articles lost, 0 cases that did not behave as expected." in report
    assert "FAILED" not in report


def test_every_fixture_has_a_sidecar_and_every_sidecar_an_input() -> None:
    names = {path.name for path in hostile.FIXTURES.iterdir() if path.is_file()}
    for name in names - {"misbehaving_server.py"}:
        if not name.endswith(hostile.SIDECAR):
            assert name + hostile.SIDECAR in names, f"{name} has no sidecar"
    for case in hostile.load_cases():
        assert case.about and case.items
        assert case.kind != "file" or case.name in names, f"{case.name}: no input file, recipe or url"
        recipe = case.spec.get("generate", {}).get("recipe")
        assert recipe is None or recipe in hostile.RECIPES, recipe
