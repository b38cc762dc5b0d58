"""Opening database connections: a SQLite file (the default) or a PostgreSQL database named by URL.

The few operations whose SQL differs between the two (write transactions, the data version, the schema version,
whether a table exists) are functions here that dispatch on the connection; the PostgreSQL side of each lives in
:mod:`crosscheck.storage.postgres`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from crosscheck.errors import UnusableDatabaseError
from crosscheck.storage.connection import Connection
from crosscheck.storage.schema import migrate

DEFAULT_DB = "crosscheck.db"
BUSY_TIMEOUT_MS = 30_000

DatabaseTarget = Path | str
"""A SQLite file, or a ``postgresql://`` URL (kept a string: ``Path`` would fold its ``//``)."""


def is_postgres_url(target: object) -> bool:
    """Whether ``target`` is a ``postgresql://`` (or ``postgres://``) URL rather than a file path."""
    return isinstance(target, str) and target.lower().startswith(("postgresql://", "postgres://"))


def resolve_db_path(db: str | os.PathLike[str] | None) -> DatabaseTarget:
    """The database: the argument, else ``CROSSCHECK_DB``, else ``crosscheck.db`` here.

    A ``postgresql://`` URL comes back as the string it is; anything else as a path.
    """
    target = db or os.environ.get("CROSSCHECK_DB") or DEFAULT_DB
    return target if isinstance(target, str) and is_postgres_url(target) else Path(target)


def database_exists(target: DatabaseTarget) -> bool:
    """Whether there is a database to read: the file exists (a server is asked only when connecting)."""
    return is_postgres_url(target) or Path(target).exists()


def display_name(target: DatabaseTarget) -> str:
    """``target`` for messages: a URL loses its password."""
    if not is_postgres_url(target):
        return str(target)
    from urllib.parse import urlsplit

    parts = urlsplit(str(target))
    if parts.password is None:
        return str(target)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def connect(path: str | os.PathLike[str], *, readonly: bool = False, query_timeout_ms: int | None = None) -> Connection:
    """Open (and for writers, create and migrate) the database at ``path``, a file or a ``postgresql://`` URL.

    SQLite writers get WAL mode so that readers (the web server) never block an ingest, and a long busy timeout so
    that two writers queue instead of failing with "database is locked". ``query_timeout_ms`` bounds each
    statement on PostgreSQL (the web sets it); SQLite callers bound their queries themselves.
    """
    if is_postgres_url(path):
        from crosscheck.storage import postgres

        return postgres.connect(str(path), readonly=readonly, statement_timeout_ms=query_timeout_ms)
    file = Path(path)
    if not file.parent.is_dir():
        raise UnusableDatabaseError(f"{file}: the folder {file.parent} does not exist")
    if readonly:
        conn = sqlite3.connect(_read_only_uri(file), uri=True, check_same_thread=False, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            schema_version(conn)  # the first read of the file: a file that is no database fails here
        except sqlite3.OperationalError as exc:  # a subclass of DatabaseError: an unreadable file, not a bad one
            raise UnusableDatabaseError(f"{file}: cannot open it ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            raise UnusableDatabaseError(f"{file}: not a crosscheck database ({exc})") from exc
        if not readonly:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:  # read-only storage
                raise UnusableDatabaseError(f"{file}: cannot write to it ({exc})") from exc
            conn.execute("PRAGMA synchronous = NORMAL")
            try:
                migrate(conn)
            except UnusableDatabaseError as exc:
                raise UnusableDatabaseError(f"{file}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _read_only_uri(file: Path) -> str:
    """The URI a reader opens ``file`` by: ``mode=ro``, and ``immutable`` where nobody can be writing to it.

    A reader of a WAL database needs its ``-shm`` index beside the file, and creates it when it is missing; in a
    folder it cannot write to that fails. On read-only storage (read-only media, a read-only volume) nobody can
    be writing, so the file is opened as immutable (a ``-wal`` left there by a writer that was killed is then not
    read). A folder this process only lacks permission for may hold a writer's ``-wal`` and ``-shm``: while they
    exist the file is opened ``mode=ro`` (the index is read as it is, and every commit shows), as immutable only
    when no writer has it open.
    """
    resolved = file.resolve()
    if _read_only_storage(resolved.parent):
        immutable = True
    else:
        in_use = any(Path(f"{resolved}{suffix}").exists() for suffix in ("-wal", "-shm"))
        immutable = not os.access(resolved.parent, os.W_OK) and not in_use
    return f"{resolved.as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"


def _read_only_storage(folder: Path) -> bool:
    """Whether ``folder`` is on storage mounted read-only."""
    statvfs = getattr(os, "statvfs", None)
    return bool(statvfs is not None and statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))


def is_postgres(conn: Connection) -> bool:
    """Whether ``conn`` is a PostgreSQL connection (see :func:`crosscheck.storage.postgres.connect`)."""
    return not isinstance(conn, sqlite3.Connection)


def begin_write(conn: Connection) -> None:
    """Start a write transaction, waiting for any other writer to finish first."""
    if is_postgres(conn):
        from crosscheck.storage.postgres import as_pg

        as_pg(conn).begin_write()
    else:
        conn.execute("BEGIN IMMEDIATE")  # takes the write lock now, queueing on the busy timeout


def end_write(conn: Connection, *, commit: bool) -> None:
    """Commit or roll back the transaction :func:`begin_write` started."""
    if is_postgres(conn):
        from crosscheck.storage.postgres import as_pg

        as_pg(conn).end_write(commit=commit)
    else:
        conn.execute("COMMIT" if commit else "ROLLBACK")


def data_version(conn: Connection) -> int:
    """A number that changes when another connection commits a write (SQLite's ``PRAGMA data_version``)."""
    if is_postgres(conn):
        from crosscheck.storage.postgres import as_pg

        return as_pg(conn).data_version()
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def schema_version(conn: Connection) -> int:
    """How many migrations the database has had (0: none, not a crosscheck database yet)."""
    if is_postgres(conn):
        from crosscheck.storage.postgres import as_pg

        return as_pg(conn).schema_version()
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def table_exists(conn: Connection, name: str) -> bool:
    """Whether the database has a table called ``name``."""
    if is_postgres(conn):
        from crosscheck.storage.postgres import as_pg

        return as_pg(conn).table_exists(name)
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return row is not None


def database_label(conn: Connection) -> str:
    """Which database ``conn`` is open on: the SQLite file, or the PostgreSQL server and database."""
    if is_postgres(conn):
        from crosscheck.storage.postgres import as_pg

        return as_pg(conn).label()
    return str(conn.execute("PRAGMA database_list").fetchone()[2])
