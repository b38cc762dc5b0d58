"""The bundled example corpus through the real pipeline into PostgreSQL: the same stories, duplicates, summaries,
entities, figures and search results as SQLite; re-ingest adds nothing; two ingests at once store each article
once; the CLI and the web app read it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from crosscheck import Settings, Store
from crosscheck.entities import NameRecognizer
from crosscheck.entities.canonical import story_entities
from crosscheck.pipeline import Pipeline
from crosscheck.storage import Reader, connect
from crosscheck.storage.claims import ClaimReader
from crosscheck.web.app import create_app
from crosscheck.web.db import QUERY_TIME_LIMIT_S, open_reader

pytest_plugins = ["postgres_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "crosscheck" / "examples" / "articles"
ACCENTED = "Celine Dion"  # also finds "Céline Dion", as FTS5 folds accents
QUERIES = ["eclipse", "bridge collapse", "Federal Reserve rate cut", "hurricane Milton tornado", ACCENTED,
           "Voyager", "Nobel physics", "workers", "flooding Asheville", "Seine ceremony rain"]  # fmt: skip


@pytest.fixture(scope="module")
def pg_examples(new_postgres_db: Callable[[], str], pipeline_factory: Any) -> str:
    """A PostgreSQL database holding the bundled example corpus, ingested as ``examples_db`` is."""
    url = new_postgres_db()
    with Store(url) as store:
        pipeline_factory(store).ingest([str(EXAMPLES)])
    return url


def _names(reader: Reader) -> dict[int, str]:
    return {a.id: a.external_id for a in reader.iter_articles()}


def _end_state(target: str | Path) -> dict[str, Any]:
    """Everything an ingest decides, with database ids replaced by file names (ids are not compared)."""
    conn = connect(target, readonly=True)
    try:
        reader = Reader(conn)
        names = _names(reader)
        stories = {}
        for story in reader.iter_stories():
            members = frozenset(names[i] for i in story.article_ids)
            stories[members] = (
                story.headline, story.why, story.first_seen, story.last_seen, story.article_count,
                story.report_count, story.outlet_count,
                [(b.text, [names[i] for i in b.article_ids]) for b in story.bullets],
                story_entities(reader, story.id),
            )  # fmt: skip
        copies = {a.external_id: (names.get(a.duplicate_of or 0), a.duplicate_kind) for a in reader.iter_articles()}
        claims = [
            {**row, "id": None, "article_id": names[row["article_id"]], "story_id": None}
            for row in ClaimReader(conn).export_rows()
        ]
        return {"counts": reader.counts(), "stories": stories, "copies": copies, "claims": claims}
    finally:
        conn.close()


def test_postgresql_ingest_matches_sqlite_exactly(pg_examples: str, examples_db: Path) -> None:
    postgres, sqlite = _end_state(pg_examples), _end_state(examples_db)
    assert postgres["counts"] == sqlite["counts"]
    assert postgres["counts"]["articles"] == 24
    assert postgres["copies"] == sqlite["copies"]
    assert postgres["stories"] == sqlite["stories"]
    assert postgres["claims"] == sqlite["claims"] and sqlite["claims"]


def _has_unaccent(url: str) -> bool:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'").fetchone() is not None


def _search(target: str | Path, query: str) -> tuple[list[str], list[list[tuple[int, int]]]]:
    conn = connect(target, readonly=True)
    try:
        reader = Reader(conn)
        hits = reader.search(query, limit=50)
        return [h.article.external_id for h in hits], [h.matches for h in hits]
    finally:
        conn.close()


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_the_same_articles(pg_examples: str, examples_db: Path, query: str) -> None:
    if query == ACCENTED and not _has_unaccent(pg_examples):
        pytest.skip("this PostgreSQL server has no unaccent extension: accents are not folded")
    found, matches = _search(pg_examples, query)
    expected, _ = _search(examples_db, query)
    assert found and sorted(found) == sorted(expected)  # the same matches; bm25 and ts_rank order them apart
    assert all(matches)  # every snippet marks a match


def _paged(target: str | Path, query: str) -> tuple[int, list[int], list[int]]:
    """(total, every hit's id, the ids of the page of one from the second hit on)."""
    conn = connect(target, readonly=True)
    try:
        reader = Reader(conn)
        everything = [h.article.id for h in reader.search(query, limit=50)]
        return reader.search_total(query), everything, [h.article.id for h in reader.search(query, limit=1, offset=1)]
    finally:
        conn.close()


@pytest.mark.parametrize("query", ["workers", "Federal Reserve rate cut"])
def test_search_total_and_offset_as_on_sqlite(pg_examples: str, examples_db: Path, query: str) -> None:
    (total, everything, second), (sqlite_total, _, _) = _paged(pg_examples, query), _paged(examples_db, query)
    assert total == len(everything) == sqlite_total >= 2
    assert second == everything[1:2]


def test_search_input_is_never_query_syntax(pg_examples: str) -> None:
    for query in ["a & b | !c", "'unbalanced", "(x", "<->", "the", "%_?"]:
        _search(pg_examples, query)  # no error; stop words alone match nothing


def test_reingest_adds_nothing(pg_examples: str, pipeline_factory: Any) -> None:
    before = _end_state(pg_examples)
    with Store(pg_examples) as store:
        report = pipeline_factory(store).ingest([str(EXAMPLES)])
    assert (report.added, report.already_stored) == (0, 24)
    assert _end_state(pg_examples) == before


def test_recluster_reread_matches_sqlite(
    new_postgres_db: Callable[[], str], examples_db: Path, tmp_path: Path, pipeline_factory: Any
) -> None:
    copy = tmp_path / "reread.db"
    shutil.copy(examples_db, copy)
    url = new_postgres_db()
    with Store(url) as store:
        pipeline_factory(store).ingest([str(EXAMPLES)])
    for target in (url, copy):
        with Store(target) as store:
            embedder = pipeline_factory(store).embedder
            names = Pipeline(store, Settings(entity_recognizer="names"), embedder=embedder, recognizer=NameRecognizer())
            names.recluster(reread=True)
    assert _end_state(url) == _end_state(copy)


def _ingest(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crosscheck", "--db", url, "ingest", str(EXAMPLES)],
        env={**os.environ, "CROSSCHECK_INGEST_CHUNK": "3"},  # many transactions, interleaved
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_ingests_at_once_store_each_article_once(new_postgres_db: Callable[[], str], examples_db: Path) -> None:
    url = new_postgres_db()
    processes = [_ingest(url), _ingest(url)]
    outputs = [p.communicate(timeout=600)[0] for p in processes]
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT COUNT(*), COUNT(DISTINCT key), COUNT(story_id) FROM articles").fetchone()
    assert row == (24, 24, 24)
    assert _end_state(url) == _end_state(examples_db)  # the same stories, copies and figures as one serial ingest


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crosscheck", *args], env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def test_cli_reads_postgresql_from_the_option_and_the_environment(pg_examples: str) -> None:
    listed = _cli("--db", pg_examples, "stories", "--limit", "3")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.strip().splitlines()) >= 3
    exported = _cli("export", "articles", env={"CROSSCHECK_DB": pg_examples})
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.count('"external_id"') == 24


def test_web_app_serves_pages_from_postgresql(pg_examples: str) -> None:
    with open_reader(pg_examples) as reader:
        story = reader.stories(order="coverage", limit=1)[0]
        record = reader.story(story.id)
        assert record is not None
        story_article = record.article_ids[0]
    with TestClient(create_app(pg_examples)) as client:
        for path in ["/", f"/stories/{story.id}", f"/articles/{story_article}", "/search?q=eclipse", "/outlets",
                     "/figures", "/api/stories", f"/api/stories/{story.id}", "/api/search?q=bridge"]:  # fmt: skip
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
        assert story.headline.split()[0] in client.get("/").text


def test_web_connections_are_read_only_and_time_limited(pg_examples: str) -> None:
    with open_reader(pg_examples) as reader:
        limit = reader.conn.execute("SHOW statement_timeout").fetchone()[0]
        assert limit == f"{int(QUERY_TIME_LIMIT_S)}s"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            reader.conn.execute("DELETE FROM meta")


def test_web_says_when_the_postgresql_database_is_empty(new_postgres_db: Callable[[], str]) -> None:
    with TestClient(create_app(new_postgres_db())) as client:
        response = client.get("/")
    assert response.status_code == 503
    assert "no tables yet" in response.text
