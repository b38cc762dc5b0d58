"""Opening SQLite connections with crosscheck's pragmas."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from crosscheck.storage.schema import migrate

DEFAULT_DB = "crosscheck.db"
BUSY_TIMEOUT_MS = 30_000


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    """The database path: the argument, else ``CROSSCHECK_DB``, else ``crosscheck.db`` here."""
    return Path(db or os.environ.get("CROSSCHECK_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike[str], *, readonly: bool = False) -> sqlite3.Connection:
    """Open (and for writers, create and migrate) the database at ``path``.

    Writers get WAL mode so that readers (the web server) never block an ingest, and a long busy timeout so
    that two writers queue instead of failing with "database is locked".
    """
    if readonly:
        uri = f"{Path(path).resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
    return conn
