"""Attacks on the running system rather than on one input: the web server, the CLI, settings and the database.

Each test here failed before its fix; ``docs/hostile-inputs.md`` lists them with their outcomes.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from crosscheck import Store
from crosscheck.cli.main import app as cli
from crosscheck.models import ParsedArticle
from crosscheck.web import create_app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
MARKED_TEXT = "Harbour pilots said [[not a match]] and then ]] before the ferry strike ended [[ in May."
FORMULAS = ['=HYPERLINK("http://x.example","click")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]


def _add(store: Store, ext: str, title: str, text: str) -> int:
    outlet = store.outlet_id("harbour.example", "Harbour News")
    parsed = ParsedArticle(external_id=ext, title=title, text=text, url=f"https://harbour.example/{ext}",
                           published="2025-05-01", location=f"/in/{ext}.txt")  # fmt: skip
    article = store.insert_article(parsed, key=ext, outlet_id=outlet, text_hash=ext, duplicate_of=None,
                                   duplicate_kind=None)  # fmt: skip
    story = store.create_story()
    store.set_story(article, story)
    store.update_story_summary(story, headline=title, bullets=[], why=[])
    return article


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small database: one article with fake match markers, one with spreadsheet formulas and control bytes."""
    path = tmp_path_factory.mktemp("attacks") / "crosscheck.db"
    with Store(path) as store, store.transaction():
        _add(store, "marked", "Ferry strike ends", MARKED_TEXT)
        _add(store, "formula", FORMULAS[0], "A ferry report whose title is a formula.\x07\x1b[2J The end.")
        for n, formula in enumerate(FORMULAS[1:]):
            _add(store, f"formula-{n}", formula, f"Another ferry report, number {n}.")
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


def _has_security_headers(headers: object) -> bool:
    return all(name in headers for name in ("content-security-policy", "x-content-type-options", "x-frame-options"))  # type: ignore[operator]


# --- web -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/search?q=%00", "/api/search?q=%00", "/search?q=ferry%00strike", "/api/search?q=%01"])
def test_a_nul_byte_in_a_search_is_no_server_error(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text


def test_a_server_error_carries_the_security_headers(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("crosscheck.storage.reader.Reader.search", broken)
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        for url in ("/search?q=ferry", "/api/search?q=ferry"):
            response = c.get(url)
            assert response.status_code == 500
            assert _has_security_headers(response.headers), url
            assert "a bug" not in response.text


def test_match_markers_in_article_text_are_not_matches(client: TestClient) -> None:
    result = client.get("/api/search", params={"q": "strike"}).json()["results"]
    hit = next(r for r in result if r["article"]["external_id"] == "marked")
    snippet, matches = hit["snippet"], hit["matches"]
    assert "[[not a match]]" in snippet and "]] before" in snippet  # the article's own text, as written
    assert [snippet[start:end] for start, end in matches] == ["strike"]
    html = client.get("/search", params={"q": "strike"}).text
    assert html.count("<mark>") == 1 and "<mark>strike</mark>" in html
    assert "[[not a match]]" in html and "<mark>not a match" not in html


@pytest.mark.parametrize("url", ["/", "/healthz", "/api/stats", "/search?q=ferry", "/static/style.css"])
def test_head_is_answered_wherever_get_is(client: TestClient, url: str) -> None:
    response = client.head(url)
    assert response.status_code == 200, url
    assert response.content == b""
    assert _has_security_headers(response.headers)


def test_healthz_says_503_without_a_database(tmp_path: Path, db: Path) -> None:
    with TestClient(create_app(tmp_path / "none.db")) as c:
        response = c.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable" and "no database" in response.json()["reason"]
        assert c.head("/healthz").status_code == 503
    with TestClient(create_app(db)) as c:
        assert c.get("/healthz").json() == {"status": "ok"}


def test_a_refused_host_is_told_about_the_allowed_hosts_setting(client: TestClient) -> None:
    response = client.get("/", headers={"Host": "192.168.1.20:8765"})
    assert response.status_code == 400
    assert "CROSSCHECK_ALLOWED_HOSTS" in response.text and "192.168.1.20" in response.text
    assert _has_security_headers(response.headers)


# --- CLI usage errors ----------------------------------------------------------------------------------------


def _one_line_error(result: object, *needles: str) -> None:
    output = " ".join(result.output.split())  # type: ignore[attr-defined]
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)  # type: ignore[attr-defined]
    for needle in needles:
        assert needle in output, output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["stories", "--order", "foo"], "--order"),
        (["stories", "--limit", "-3"], "--limit"),
        (["sources", "list", "--limit", "-1"], "--limit"),
        (["blindspots", "--limit", "-1"], "--limit"),
        (["serve", "--port", "70000"], "--port"),
        (["demo", "--no-serve", "--port", "-1"], "--port"),
    ],
)
def test_bad_option_values_are_usage_errors(db: Path, args: list[str], needle: str) -> None:
    _one_line_error(runner.invoke(cli, ["--db", str(db), *args]), needle)


def test_serve_on_every_address_warns_that_it_is_exposed(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: None)
    exposed = runner.invoke(cli, ["--db", str(db), "serve", "--host", "0.0.0.0"])
    assert exposed.exit_code == 0
    assert "warning" in exposed.output and "CROSSCHECK_ALLOWED_HOSTS" in " ".join(exposed.output.split())
    local = runner.invoke(cli, ["--db", str(db), "serve"])
    assert local.exit_code == 0 and "warning" not in local.output


def test_cli_csv_export_guards_formulas_and_control_bytes(db: Path) -> None:
    from crosscheck.exports import csv_cell
    from crosscheck.web import downloads

    assert downloads.csv_cell is csv_cell  # one guard for the web's downloads and the CLI's exports
    result = runner.invoke(cli, ["--db", str(db), "export", "articles", "--format", "csv"])
    assert result.exit_code == 0
    titles = [row["title"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert sorted(t for t in titles if t.startswith("'")) == sorted("'" + f for f in FORMULAS)
    assert not any(t.startswith(("=", "+", "-", "@")) for t in titles)
    assert csv_cell("bell\x07 and escape\x1b[2J") == "bell and escape[2J"
    assert csv_cell("line\nbreak\ttab") == "line\nbreak\ttab"


# --- settings ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CROSSCHECK_INGEST_CHUNK", "0"),
        ("CROSSCHECK_MINHASH_PERMUTATIONS", "0"),
        ("CROSSCHECK_FETCH_TIMEOUT", "nan"),
        ("CROSSCHECK_FETCH_TIMEOUT", "-5"),
        ("CROSSCHECK_FETCH_TIMEOUT", "inf"),
        ("CROSSCHECK_MIN_ARTICLE_CHARS", "-100"),
        ("CROSSCHECK_MODEL_WORKERS", "1000"),
        ("CROSSCHECK_NEAR_DUPLICATE_THRESHOLD", "1.5"),
        ("CROSSCHECK_FEED_WORKERS", "0"),
    ],
)
def test_out_of_range_settings_stop_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    _one_line_error(runner.invoke(cli, ["--db", str(tmp_path / "none.db"), "stories"]), "invalid setting", variable)


def test_every_numeric_setting_has_a_range() -> None:
    import dataclasses

    from crosscheck.settings import RANGES, Settings

    numeric = {f.name for f in dataclasses.fields(Settings) if isinstance(f.default, int | float)}
    assert numeric == set(RANGES)
    for name, (low, high) in RANGES.items():
        assert low <= getattr(Settings(), name) <= high, name


def test_an_unknown_setting_name_stops_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSCHECK_STORY_TRESHOLD", "0.5")
    _one_line_error(runner.invoke(cli, ["--db", str(tmp_path / "none.db"), "stories"]), "CROSSCHECK_STORY_TRESHOLD")


# --- database paths -------------------------------------------------------------------------------------------


def test_a_database_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "x.db"
    (tmp_path / "a.txt").write_text("Ferry strike ends\n\n" + "The ferry strike ended on Monday. " * 5)
    _one_line_error(runner.invoke(cli, ["--db", str(target), "ingest", str(tmp_path / "a.txt")]), str(target.parent))
    _one_line_error(runner.invoke(cli, ["--db", str(target), "recluster"]), str(target.parent))


@pytest.mark.parametrize("command", [["stories"], ["export", "articles"], ["recluster"], ["sources", "list"]])
def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path, command: list[str]) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8192))
    _one_line_error(runner.invoke(cli, ["--db", str(junk), *command]), str(junk), "not a crosscheck database")


def test_a_database_from_a_newer_crosscheck(tmp_path: Path) -> None:
    import sqlite3

    from crosscheck.storage.schema import SCHEMA_VERSION

    newer = tmp_path / "newer.db"
    Store(newer).close()
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    read = runner.invoke(cli, ["--db", str(newer), "stories"])
    assert read.exit_code == 0 and "warning" in read.output and "newer" in read.output
    _one_line_error(runner.invoke(cli, ["--db", str(newer), "recluster"]), str(newer), "newer")


# --- read-only storage ----------------------------------------------------------------------------------------


_READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
_WEB_CHECK = """import sys
from fastapi.testclient import TestClient
from crosscheck.web import create_app
with TestClient(create_app(sys.argv[1])) as c:
    print(c.get("/").status_code, c.get("/healthz").status_code)
"""


def _on_read_only_storage(folder: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    """``command`` in a new mount namespace where ``folder`` is a read-only bind mount (EROFS: root cannot write
    to it either, as on read-only media or a container's read-only volume)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(["unshare", "--map-root-user", "--mount", "sh", "-c", _READ_ONLY_MOUNT, "sh", str(folder),
                           *command], capture_output=True, text=True, env=env, timeout=120, check=False)  # fmt: skip


def test_a_database_on_read_only_storage_can_be_read(db: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "read-only"
    folder.mkdir()
    copy = folder / "crosscheck.db"
    shutil.copy(db, copy)
    probe = _on_read_only_storage(folder, ["touch", str(folder / "probe")])
    if "Read-only file system" not in probe.stderr:
        pytest.skip(f"no read-only bind mount here (unshare: {probe.stderr.strip()[-200:]})")
    crosscheck = [sys.executable, "-m", "crosscheck", "--db", str(copy)]
    listed = _on_read_only_storage(folder, [*crosscheck, "stories"])
    assert listed.returncode == 0, listed.stderr
    assert "Ferry strike ends" in listed.stdout
    exported = _on_read_only_storage(folder, [*crosscheck, "export", "stories"])
    assert exported.returncode == 0 and exported.stdout.count("\n") == len(FORMULAS) + 1, exported.stderr
    written = _on_read_only_storage(folder, [*crosscheck, "ingest", str(ROOT / "src/crosscheck/examples/articles")])
    assert written.returncode == 2 and "cannot use the database" in written.stderr, written.stderr
    web = _on_read_only_storage(folder, [sys.executable, "-c", _WEB_CHECK, str(copy)])
    assert web.stdout.split() == ["200", "200"], web.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["crosscheck.db"]


def test_a_reader_without_write_permission_sees_a_running_writer(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A web server's user that may not write to the folder an ingest writes to: while the writer's -wal is
    there the file is read as it is (every commit shows); immutable only when no writer has it open."""
    import shutil

    from crosscheck.storage import database

    copy = tmp_path / "crosscheck.db"
    shutil.copy(db, copy)
    monkeypatch.setattr(database.os, "access", lambda path, mode: False)
    assert database._read_only_uri(copy).endswith("?mode=ro&immutable=1")  # no -wal, -shm: nobody writes
    Path(f"{copy}-wal").write_bytes(b"")
    assert database._read_only_uri(copy).endswith("?mode=ro")


# --- a large feed ---------------------------------------------------------------------------------------------


def test_a_story_headline_never_builds_a_dense_titles_by_words_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    """The headline of a 10,000-report story (one feed of near-identical items) took 2.7 GB as a dense matrix of
    titles × vocabulary (bench/feed_memory.py); the titles stay sparse now, whatever the story's size."""
    from scipy.sparse import csr_matrix

    from crosscheck.summaries.headline import TitleCandidate, choose_headline

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a sparse matrix was made dense")

    monkeypatch.setattr(csr_matrix, "toarray", refuse)
    monkeypatch.setattr(csr_matrix, "todense", refuse)
    lead = "The ferry strike went on in the harbour."
    candidates = [TitleCandidate(f"Ferry strike day {n} in the harbour", False, lead) for n in range(5)]
    assert choose_headline(candidates).startswith("Ferry strike")


def test_a_story_too_large_to_split_is_left_as_placed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting a story of 10,000 reports (one feed of near-identical items) built pairwise matrices of 3.4 GB
    (bench/feed_memory.py); a story of more than MAX_SPLIT_REPORTS reports alone is left as placed."""
    from types import SimpleNamespace

    from crosscheck.clustering import split
    from crosscheck.settings import Settings

    def split_stories(*args: object) -> None:
        raise AssertionError("a story larger than MAX_SPLIT_REPORTS was split")

    monkeypatch.setattr(split, "MAX_SPLIT_REPORTS", 3)
    monkeypatch.setattr(split, "marked_for_split", lambda store: {7})
    monkeypatch.setattr(split, "neighbour_reports", lambda store, clusterer, story_id: {7: [object()] * 4})
    monkeypatch.setattr(split, "split_stories", split_stories)
    cleared: list[str] = []
    store = SimpleNamespace(clear_mark=cleared.append)
    clusterer = SimpleNamespace(settings=Settings(), index=SimpleNamespace(states={7: None}))
    assert split.split_marked(store, clusterer) == (set(), set(), {})  # type: ignore[arg-type]
    assert cleared == [split.SPLIT_META]


def test_the_report_names_only_tests_and_cases_that_exist() -> None:
    from test_hostile import hostile

    cases = {case.name for case in hostile.load_cases()}
    source = Path(__file__).read_text(encoding="utf-8")
    for *_, named in hostile.ATTACKS:
        for name in named.removeprefix("cases ").removeprefix("case ").split(", "):
            assert name.strip("`") in cases or f"def {name}(" in source, name
