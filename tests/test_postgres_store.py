"""PostgreSQL storage without the ML pipeline: SQL translation, schema parity with SQLite, migrations, write
transactions and the data version, feeds and ratings SQL."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np
import psycopg
import pytest

from crosscheck import Store
from crosscheck.entities.canonical import story_entities
from crosscheck.errors import UnusableDatabaseError
from crosscheck.figures import ReferenceFigure
from crosscheck.sources.registry import import_file
from crosscheck.storage import connect, feeds, ratings, resolve_db_path
from crosscheck.storage.claims import save_reference
from crosscheck.storage.database import database_exists, display_name, schema_version
from crosscheck.storage.postgres import UnsupportedStatement, as_pg, translate
from crosscheck.storage.postgres_schema import BOOTSTRAP, PG_MIGRATIONS, has_vectors
from crosscheck.storage.schema import MIGRATIONS, SCHEMA_VERSION
from sources_data import write_rater_files
from test_migrations import V1_ROWS

pytest_plugins = ["postgres_fixtures"]

# --- translation (no server needed) -------------------------------------------------------------------------


def test_placeholders_become_psycopg_style_outside_literals() -> None:
    sql = "SELECT '?', \"odd?name\", x FROM t WHERE a = ? AND b LIKE 'x%' AND c % 2 = ? -- why?\n"
    assert translate(sql) == (
        "SELECT '?', \"odd?name\", x FROM t WHERE a = %s AND b LIKE 'x%%' AND c %% 2 = %s -- why?\n"
    )
    assert translate("SELECT 'it''s ?' , ?") == "SELECT 'it''s ?' , %s"
    assert translate("SELECT x::text FROM t") == "SELECT x::text FROM t"


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT OR IGNORE INTO t (a) VALUES (?)",
        "insert or replace into t (a) values (?)",
        "UPDATE OR ROLLBACK t SET a = 1",
        "REPLACE INTO t (a) VALUES (1)",
        "PRAGMA user_version",
        "SELECT name FROM sqlite_master",
        "BEGIN IMMEDIATE",
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
        "SELECT snippet(articles_fts, 1, '[', ']', '…', 9) FROM articles_fts",
        "SELECT last_insert_rowid()",
        "SELECT group_concat(name) FROM t",
        "SELECT * FROM t WHERE a = :name",
        "SELECT * FROM t WHERE a = ?1",
        "SELECT 'unterminated",
    ],
)
def test_sqlite_only_sql_is_refused_not_guessed_at(sql: str) -> None:
    with pytest.raises(UnsupportedStatement):
        translate(sql)


def test_sqlite_words_inside_literals_are_just_text() -> None:
    assert translate("SELECT 'PRAGMA or INSERT OR IGNORE' WHERE a = ?") == (
        "SELECT 'PRAGMA or INSERT OR IGNORE' WHERE a = %s"
    )


def test_a_url_is_kept_and_a_file_becomes_a_path(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://reader:secret@db.example:5432/news"
    assert resolve_db_path(url) == url
    assert resolve_db_path("news.db") == Path("news.db")
    monkeypatch.setenv("CROSSCHECK_DB", url)
    assert resolve_db_path(None) == url
    assert database_exists(url)
    assert display_name(url) == "postgresql://reader:***@db.example:5432/news"


def test_the_two_schemas_have_as_many_migrations() -> None:
    assert len(PG_MIGRATIONS) == len(MIGRATIONS) == SCHEMA_VERSION


# --- schema and migrations --------------------------------------------------------------------------------


def _sqlite_columns(tmp_path: Path) -> dict[str, list[str]]:
    with Store(tmp_path / "schema.db") as store:
        tables = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: [c[1] for c in store.conn.execute(f"PRAGMA table_info({t})")] for t in tables if "fts" not in t}


def _pg_columns(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'
               AND table_name <> 'crosscheck_state' AND column_name NOT IN ('search', 'embedding_vector',
               'centroid_vector') ORDER BY table_name, ordinal_position"""
        ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return found


def test_postgresql_has_the_sqlite_tables_and_columns(pg_url: str, tmp_path: Path) -> None:
    Store(pg_url).close()
    assert _pg_columns(pg_url) == _sqlite_columns(tmp_path)


def _pg_database_at(url: str, version: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(BOOTSTRAP)
        for number in range(version):
            conn.execute(PG_MIGRATIONS[number])
            conn.execute("UPDATE crosscheck_state SET schema_version = %s", (number + 1,))
        if version >= 1:
            conn.execute(V1_ROWS)


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_upgrade_from_every_earlier_version(pg_url: str, version: int) -> None:
    _pg_database_at(pg_url, version)
    with Store(pg_url) as store:
        assert schema_version(store.conn) == SCHEMA_VERSION
        if version >= 1:
            story = store.reader.story(1)
            assert story is not None and story.headline == "Ferry strike ends"
            assert [b.text for b in story.bullets] == ["Crews return."]
            assert [hit.article.id for hit in store.reader.search("ferry pay deal")] == [1]
            assert store.reader.search("ferry")[0].matches
            assert story_entities(store.reader, 1)[0].name == "Harbor Island"


def test_migrating_twice_and_at_once_applies_each_migration_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            Store(pg_url).close()
        except BaseException as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(pg_url) as store:
        assert schema_version(store.conn) == SCHEMA_VERSION


def test_a_newer_database_is_refused_clearly(pg_url: str) -> None:
    Store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE crosscheck_state SET schema_version = schema_version + 1")
    with pytest.raises(UnusableDatabaseError, match="newer than this crosscheck"):
        Store(pg_url)


def test_embeddings_round_trip_bit_for_bit(pg_url: str) -> None:
    vector = np.random.default_rng(7).standard_normal(384).astype(np.float32)
    vector[:3] = [0.0, -0.0, 1e-40]  # zeros and a subnormal
    with Store(pg_url) as store:
        decoded = store.conn.execute("SELECT crosscheck_float4s(?)", (vector.tobytes(),)).fetchone()[0]
        assert np.array_equal(np.array(decoded, dtype=np.float32), vector)
        nan = np.array([1.0, np.nan], dtype=np.float32).tobytes()
        assert store.conn.execute("SELECT crosscheck_float4s(?)", (nan,)).fetchone()[0] is None


def test_pgvector_columns_mirror_the_embeddings(pg_url: str) -> None:
    with Store(pg_url) as store:
        if not has_vectors(as_pg(store.conn)):
            pytest.skip("the pgvector extension is not available on this PostgreSQL server")
        vector = np.random.default_rng(3).standard_normal(8).astype(np.float32)
        with store.transaction():
            outlet = store.conn.execute("INSERT INTO outlets (name) VALUES ('x') RETURNING id").fetchone()[0]
            article = store.conn.execute(
                """INSERT INTO articles (key, external_id, outlet_id, title, text, format, location, ingested_at,
                       text_hash) VALUES ('k', 'e', ?, 't', 'x', 'text', 'l', 'now', 'h') RETURNING id""",
                (outlet,),
            ).fetchone()[0]
            store.save_features(article, embedding=vector, minhash=None, terms={})
        text = store.conn.execute("SELECT embedding_vector::text FROM article_features").fetchone()[0]
        assert np.array_equal(np.array(text.strip("[]").split(","), dtype=np.float32), vector)


# --- write transactions -------------------------------------------------------------------------------------


def test_data_version_changes_only_with_other_connections_commits(pg_url: str) -> None:
    with Store(pg_url) as mine, Store(pg_url) as other:
        before = mine.data_version()
        with mine.transaction():
            mine.set_meta("k", b"1")
            assert mine.data_version() == before
        assert mine.data_version() == before
        with other.transaction():
            other.set_meta("k", b"2")
        assert mine.data_version() != before
        assert mine.get_meta("k") == b"2"


def test_concurrent_write_transactions_lose_no_update(pg_url: str) -> None:
    Store(pg_url).close()

    def bump(times: int) -> None:
        with Store(pg_url) as store:
            for _ in range(times):
                with store.transaction():
                    value = int(store.get_meta("n") or b"0")
                    store.set_meta("n", str(value + 1).encode())

    threads = [threading.Thread(target=bump, args=(25,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Store(pg_url) as store:
        assert store.get_meta("n") == b"100"


def test_a_failed_transaction_leaves_nothing(pg_url: str) -> None:
    with Store(pg_url) as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.set_meta("k", b"v")
            raise RuntimeError("boom")
        assert store.get_meta("k") is None
        with store.transaction():  # the connection is usable again
            store.set_meta("k", b"w")
        assert store.get_meta("k") == b"w"


def test_sqlite_only_sql_raises_through_the_connection(pg_url: str) -> None:
    with Store(pg_url) as store, pytest.raises(UnsupportedStatement, match="INSERT OR"):
        store.conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", ("k", b"v"))


def test_readers_cannot_write(pg_url: str) -> None:
    Store(pg_url).close()
    conn = connect(pg_url, readonly=True)
    try:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("k", b"v"))
    finally:
        conn.close()


# --- feeds, figures and ratings SQL on both backends ---------------------------------------------------------


def _feeds_round_trip(target: str | Path) -> tuple[object, ...]:
    with Store(target) as store, store.transaction() as conn:
        added = (
            feeds.add_feed(conn, "https://a.example/rss", now="t0"),
            feeds.add_feed(conn, "https://a.example/rss", now="t1"),
        )
        feed = feeds.feeds(conn)[0]
        feeds.record_poll(conn, feed.id, at="t2", status="ok", error=None, failures=0, next_due_at="t9",
                          etag="e1", keep_validators=False, title="A")  # fmt: skip
        feeds.record_poll(conn, feed.id, at="t3", status="error", error="x", failures=1, next_due_at="t8",
                          etag="e2", keep_validators=True)  # fmt: skip
        feeds.save_page(conn, feeds.PageState("https://a.example/1", entry_hash="h"), feed_id=feed.id, seen_at="t3")
        feeds.save_page(conn, feeds.PageState("https://a.example/1", entry_hash="h2"), feed_id=feed.id, seen_at="t4")
        polled = feeds.feeds(conn)[0]
        return (added, polled.etag, polled.errors, polled.polls, polled.title, feeds.page_state(conn, "https://a.example/1"),
                feeds.due_feeds(conn, "t8"), feeds.next_due(conn), len(feeds.feed_listing(conn)),
                feeds.remove_feed(conn, str(feed.id)), feeds.feeds(conn))  # fmt: skip


def test_feeds_sql_gives_the_same_answers(pg_url: str, tmp_path: Path) -> None:
    assert _feeds_round_trip(pg_url) == _feeds_round_trip(tmp_path / "feeds.db")


def test_reference_figures_count_only_new_rows(pg_url: str) -> None:
    figure = ReferenceFigure("Spain", 2024, "percent_gdp", 1.28, "NATO 2024", "2024-06-17", "NATO", "s", "n")
    with Store(pg_url) as store, store.transaction():
        assert save_reference(store.conn, [figure]) == 1
        assert save_reference(store.conn, [figure]) == 0


def _rated(target: str | Path, files: list[Path]) -> tuple[object, ...]:
    with Store(target) as store:
        reports = [import_file(store, path) for path in files]
        again = [import_file(store, path) for path in files]
        conn = store.conn
        domains = ratings.rated_domains(conn)
        return (
            [(r.source_id, r.added, r.updated, r.with_domain, r.by_name, r.unresolved) for r in reports],
            [(r.added, r.updated, r.removed) for r in again],
            [(s.id, s.format, s.entries, s.resolved) for s in ratings.sources(conn)],
            sorted(domains),
            sorted(ratings.alias_rows(conn), key=repr),
            sorted(repr((e.domain, e.name, sorted(e.values.items()))) for e in ratings.entries(conn, domains=domains)),
        )


def test_ratings_import_gives_the_same_registry(pg_url: str, tmp_path: Path) -> None:
    files = sorted(write_rater_files(tmp_path / "raters").values())
    assert _rated(pg_url, files) == _rated(tmp_path / "r.db", files)


def test_the_sqlite_backend_still_refuses_nothing_it_accepted(tmp_path: Path) -> None:
    conn = connect(tmp_path / "x.db")
    try:
        assert isinstance(conn, sqlite3.Connection)
        assert schema_version(conn) == SCHEMA_VERSION
    finally:
        conn.close()
