"""Crashes and concurrency lose nothing: kill -9 mid-ingest (stories and their summaries end as without the kill),
two ingests at once (each story summarised with every report), reading while writing."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosscheck import Store
from crosscheck.dedup import text_hash
from crosscheck.ingest import read_inputs
from crosscheck.ingest.keys import article_key
from crosscheck.models import IngestReport, ParsedArticle
from crosscheck.pipeline import Pipeline
from crosscheck.prepare import PreparedArticle, prepare_articles
from crosscheck.storage import connect
from crosscheck.web.app import create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "examples" / "articles"
SMALL_CHUNKS = {"CROSSCHECK_INGEST_CHUNK": "3"}  # many commits, so a kill can fall between them


def _ingest(db: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crosscheck", "--db", str(db), "ingest", str(EXAMPLES)],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _end_state(db: Path) -> tuple[frozenset[frozenset[str]], dict[str, str | None], set[tuple[object, ...]]]:
    """Stories as sets of file names, each article's original (by file name) when it is a copy, and the stories'
    summaries (headline, bullet texts, "why together", counts) with their members."""
    conn = connect(db, readonly=True)
    rows = conn.execute(
        """SELECT a.external_id, a.story_id, o.external_id FROM articles a
           LEFT JOIN articles o ON o.id = a.duplicate_of"""
    ).fetchall()
    summaries = conn.execute("SELECT id, headline, bullets, why, article_count, outlet_count FROM stories").fetchall()
    conn.close()
    stories: dict[int, set[str]] = {}
    for name, story, _ in rows:
        stories.setdefault(story, set()).add(name)
    summarised = {
        (frozenset(stories[story]), headline, tuple(b["text"] for b in json.loads(bullets or "[]")), why, *counts)
        for story, headline, bullets, why, *counts in summaries
        if story in stories
    }
    return frozenset(frozenset(s) for s in stories.values()), {r[0]: r[2] for r in rows}, summarised


def _committed_articles(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created or not migrated yet


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("kill_after", [1, 12])
def test_kill_9_mid_ingest_then_rerun_matches_an_uninterrupted_run(
    tmp_path: Path, examples_db: Path, kill_after: int
) -> None:
    db = tmp_path / "killed.db"
    process = _ingest(db, SMALL_CHUNKS)
    deadline = time.monotonic() + 120
    while _committed_articles(db) < kill_after and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if process.poll() is not None:
        pytest.fail(f"ingest finished before it could be killed: {process.communicate()[0]}")
    process.send_signal(signal.SIGKILL)
    process.communicate()  # reap it and close its pipe
    stored = _committed_articles(db)
    assert 0 < stored < 24, f"kill landed after {stored} articles"
    assert _integrity(db) == "ok"
    rerun = _ingest(db, SMALL_CHUNKS)
    output = rerun.communicate(timeout=300)[0]
    assert rerun.returncode == 0, output
    assert f"already stored {stored}" in " ".join(output.split())
    assert _integrity(db) == "ok"
    assert _end_state(db) == _end_state(examples_db)


def test_two_ingests_at_once_store_each_article_once(tmp_path: Path, examples_db: Path) -> None:
    db = tmp_path / "both.db"
    connect(db).close()  # create and migrate first, as any earlier ingest would have
    first, second = _ingest(db, SMALL_CHUNKS), _ingest(db, SMALL_CHUNKS)
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    for process, output in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, output
        assert "locked" not in output
    conn = connect(db, readonly=True)
    assert tuple(conn.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM articles").fetchone()) == (24, 24)
    assert conn.execute("SELECT COUNT(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0] == 2
    conn.close()
    assert _integrity(db) == "ok"
    assert _end_state(db) == _end_state(examples_db)  # the same stories and summaries as one ingest


def test_web_answers_while_an_ingest_writes(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    connect(db).close()
    process = _ingest(db, SMALL_CHUNKS)
    statuses: list[int] = []
    with TestClient(create_app(db)) as client:
        while process.poll() is None:
            statuses += [client.get("/").status_code, client.get("/api/stats").status_code]
            time.sleep(0.05)
        output = process.communicate()[0]
        final = client.get("/api/stats").json()
    assert process.returncode == 0, output
    assert statuses and set(statuses) <= {200, 503}, sorted(set(statuses))
    assert final["articles"] == 24


def _prepared(pipeline: Pipeline, name: str) -> list[PreparedArticle]:
    (article,) = read_inputs([str(EXAMPLES / name)], pipeline.settings)
    assert isinstance(article, ParsedArticle), article
    digest = text_hash(article.text)
    chunk = [PreparedArticle(article, article_key(article, digest), digest)]
    models = {"embedder": pipeline.embedder, "recognizer": pipeline.recognizer, "figures": pipeline.figures}
    return prepare_articles(chunk, pipeline.settings, **models)


def test_a_story_another_ingest_joins_before_this_one_settles_gets_a_summary_of_both(
    tmp_path: Path, pipeline_factory: Callable[[Store], Pipeline]
) -> None:
    """Ingest A starts a story and summarises it; ingest B adds a report to it; A settles, then B. Whichever
    settles first must summarise the story with B's report in it, as one ingest of both would."""
    names = ["013_fed-rate-cut-wire.txt", "016_fed-cut-borrowers.txt"]  # the second joins at once, no second look
    serial, both = tmp_path / "serial.db", tmp_path / "both.db"
    with Store(serial) as store:
        pipeline = pipeline_factory(store)
        pipeline.ingest_prepared([_prepared(pipeline, n) for n in names], IngestReport())
    connect(both).close()
    a_stored, b_stored, a_settled = threading.Event(), threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def second() -> None:
        try:
            with Store(both) as store:  # SQLite connections stay in the thread that opened them
                pipeline = pipeline_factory(store)

                def chunks() -> Iterator[list[PreparedArticle]]:
                    assert a_stored.wait(60)
                    yield _prepared(pipeline, names[1])
                    b_stored.set()  # asked for the next chunk: the first one is written
                    assert a_settled.wait(60)

                pipeline.ingest_prepared(chunks(), IngestReport())
        except BaseException as error:  # handed to the test's thread
            failures.append(error)
            b_stored.set()

    thread = threading.Thread(target=second)
    thread.start()
    with Store(both) as store:
        pipeline = pipeline_factory(store)

        def chunks() -> Iterator[list[PreparedArticle]]:
            yield _prepared(pipeline, names[0])
            a_stored.set()
            assert b_stored.wait(60)

        pipeline.ingest_prepared(chunks(), IngestReport())
    a_settled.set()
    thread.join(60)
    assert not failures, failures
    stories, _, summaries = _end_state(both)
    assert stories == frozenset({frozenset(names)}), "the second report joined the first one's story"
    assert summaries == _end_state(serial)[2]
