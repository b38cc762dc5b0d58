"""Both engines satisfy the connection interface storage is written against (mypy checks the same statically)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from crosscheck.storage import connect
from crosscheck.storage.connection import Connection, Cursor, Row


def test_a_sqlite_connection_its_cursors_and_rows_fit(tmp_path: Path) -> None:
    conn = connect(tmp_path / "x.db")
    try:
        assert isinstance(conn, Connection)
        cursor = conn.execute("SELECT 1 AS one")
        assert isinstance(cursor, Cursor)
        row = cursor.fetchone()
        assert isinstance(row, Row)
        assert (row[0], row["one"], row.keys()) == (1, 1, ["one"])
    finally:
        conn.close()


def test_the_postgresql_connection_its_cursors_and_rows_fit() -> None:
    postgres = pytest.importorskip("crosscheck.storage.postgres", reason="no psycopg", exc_type=ImportError)
    assert issubclass(postgres.PgConnection, Connection)
    assert isinstance(postgres.PgCursor(SimpleNamespace(rowcount=0, description=None)), Cursor)
    row = postgres.Row((1,), {"one": 0})
    assert isinstance(row, Row)
    assert (row[0], row["ONE"], row.keys()) == (1, 1, ["one"])


def test_something_short_of_a_connection_does_not_fit() -> None:
    class ReadOnly:
        def execute(self, sql: str, parameters: tuple[object, ...] = ()) -> None: ...

        def close(self) -> None: ...

    assert not isinstance(ReadOnly(), Connection)
