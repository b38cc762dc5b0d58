"""Read-only database access for the web: one connection per request, never shared between requests.

The database is a SQLite file or a ``postgresql://`` URL. Either way the connection cannot write: SQLite opens
the file ``mode=ro``; PostgreSQL sessions are ``default_transaction_read_only``, with each statement bounded by
:data:`QUERY_TIME_LIMIT_S` (``statement_timeout``) so that one pathological request cannot hold a server process.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Request

from crosscheck.errors import UnusableDatabaseError
from crosscheck.storage import Reader, connect
from crosscheck.storage.connection import Connection
from crosscheck.storage.database import display_name, is_postgres_url, schema_version

QUERY_TIME_LIMIT_S = 10.0


class DatabaseUnavailable(Exception):
    """The database is missing, empty or unreadable; pages say how to create it instead of crashing."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _open(target: str | os.PathLike[str]) -> tuple[Connection, Path]:
    """A read-only connection and the name pages show for the database; DatabaseUnavailable when none."""
    if is_postgres_url(target):
        url = str(target)
        name = Path(urlsplit(url).path.strip("/") or "crosscheck")
        import psycopg

        try:
            return connect(url, readonly=True, query_timeout_ms=int(QUERY_TIME_LIMIT_S * 1000)), name
        except psycopg.Error as exc:
            raise DatabaseUnavailable(name, f"cannot open {display_name(url)} ({exc})") from exc
    db = Path(target)
    if not db.is_file():
        raise DatabaseUnavailable(db, "no database yet")
    try:
        conn = connect(db, readonly=True)
    except (sqlite3.Error, UnusableDatabaseError) as exc:
        raise DatabaseUnavailable(db, f"cannot open the database ({exc})") from exc
    return conn, db


@contextmanager
def open_reader(path: str | os.PathLike[str]) -> Iterator[Reader]:
    """A :class:`Reader` over a read-only connection to ``path`` (a file or a URL), closed on exit.

    Raises :class:`DatabaseUnavailable` when the database does not exist or holds no crosscheck schema yet.
    """
    conn, name = _open(path)
    try:
        try:
            version = schema_version(conn)
        except sqlite3.DatabaseError as exc:
            raise DatabaseUnavailable(name, f"not a crosscheck database ({exc})") from exc
        if version == 0:
            raise DatabaseUnavailable(name, "the database has no tables yet")
        yield Reader(conn)
    finally:
        conn.close()


def get_reader(request: Request) -> Iterator[Reader]:
    """FastAPI dependency: a per-request :class:`Reader` over the app's database."""
    with open_reader(request.app.state.db_path) as reader:
        yield reader
