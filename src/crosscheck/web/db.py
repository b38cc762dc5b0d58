"""Read-only database access for the web: one connection per request, never shared between requests."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import Request

from crosscheck.storage import Reader, connect


class DatabaseUnavailable(Exception):
    """The database is missing, empty or unreadable; pages say how to create it instead of crashing."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


@contextmanager
def open_reader(path: str | os.PathLike[str]) -> Iterator[Reader]:
    """A :class:`Reader` over a read-only connection to ``path``, closed on exit.

    Raises :class:`DatabaseUnavailable` when the file does not exist or holds no crosscheck schema yet.
    """
    db = Path(path)
    if not db.is_file():
        raise DatabaseUnavailable(db, "no database yet")
    try:
        conn = connect(db, readonly=True)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(db, f"cannot open the database ({exc})") from exc
    try:
        try:
            version = _schema_version(conn)
        except sqlite3.DatabaseError as exc:
            raise DatabaseUnavailable(db, f"not a crosscheck database ({exc})") from exc
        if version == 0:
            raise DatabaseUnavailable(db, "the database has no tables yet")
        yield Reader(conn)
    finally:
        conn.close()


def get_reader(request: Request) -> Iterator[Reader]:
    """FastAPI dependency: a per-request :class:`Reader` over the app's database."""
    with open_reader(request.app.state.db_path) as reader:
        yield reader
