"""PostgreSQL behind the connection interface that storage is written against.

Storage's SQL is written once, in the subset both databases accept (``ON CONFLICT`` upserts, ``RETURNING id``,
``COALESCE``). :class:`PgConnection` runs it on PostgreSQL with psycopg 3, satisfying
:class:`crosscheck.storage.connection.Connection` as ``sqlite3.Connection`` does: ``execute``/``executemany``
returning a cursor whose rows are read by index or by column name, like ``sqlite3.Row``. The only rewriting is
mechanical: ``?`` placeholders become ``%s`` and a literal ``%`` is doubled, outside string literals, quoted names
and comments. A statement using a SQLite-only
construct (``INSERT OR …``, ``PRAGMA``, ``sqlite_master``, FTS5 functions, ``BEGIN IMMEDIATE`` …) raises
:class:`UnsupportedStatement` instead of being guessed at.

Everything else that differs between the backends lives here too: the write lock, the data version, full-text
search, and reading the schema version.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from crosscheck.storage.records import MATCH_END, MATCH_START

try:
    import psycopg
    from psycopg.rows import RowMaker
except ImportError as exc:  # an optional dependency: say how to get it
    raise ImportError("PostgreSQL support needs psycopg: pip install 'crosscheck[postgres]'") from exc

from crosscheck.storage.postgres_schema import WRITE_LOCK, migrate

# Keywords and names that exist only in SQLite's dialect (or in FTS5), checked outside literals; the functions
# only where they are called (a column may well be named "snippet").
_SQLITE_ONLY = frozenset({
    "PRAGMA", "SQLITE_MASTER", "SQLITE_SCHEMA", "SQLITE_SEQUENCE", "ROWID", "_ROWID_", "AUTOINCREMENT", "GLOB",
    "MATCH", "IMMEDIATE", "EXCLUSIVE", "ATTACH", "DETACH",
})  # fmt: skip
_SQLITE_FUNCTIONS = frozenset({
    "BM25", "SNIPPET", "HIGHLIGHT", "IFNULL", "INSTR", "PRINTF", "GROUP_CONCAT", "JULIANDAY", "STRFTIME", "DATETIME",
    "LAST_INSERT_ROWID", "TOTAL_CHANGES", "CHANGES", "TYPEOF", "ZEROBLOB",
})  # fmt: skip


class UnsupportedStatement(ValueError):
    """SQL that only SQLite understands was sent to PostgreSQL: write it in the common subset instead."""


# --- SQL translation ----------------------------------------------------------------------------------------


def _quoted_end(sql: str, start: int, quote: str) -> int:
    """The index just past the literal or name opened at ``start`` (a doubled quote does not close it)."""
    i = start + 1
    while True:
        i = sql.find(quote, i)
        if i < 0:
            raise UnsupportedStatement(f"unterminated {quote} in: {sql[:80]!r}")
        if sql.startswith(quote * 2, i):
            i += 2
            continue
        return i + 1


def _skipped_end(sql: str, i: int) -> int:
    """If a literal, quoted name or comment starts at ``i``, the index past it; else ``i``."""
    char = sql[i]
    if char in "'\"":
        return _quoted_end(sql, i, char)
    if sql.startswith("--", i):
        end = sql.find("\n", i)
        return len(sql) if end < 0 else end
    if sql.startswith("/*", i):
        end = sql.find("*/", i + 2)
        return len(sql) if end < 0 else end + 2
    return i


def _check_words(sql: str, words: list[str]) -> None:
    for index, word in enumerate(words):
        previous = words[index - 1] if index else ""
        if (
            word.rstrip("(") in _SQLITE_ONLY
            or (word.endswith("(") and word[:-1] in _SQLITE_FUNCTIONS)
            or (word == "OR" and previous in {"INSERT", "UPDATE"})
            or (word == "REPLACE" and index == 0)
        ):
            raise UnsupportedStatement(
                f"SQLite-only SQL ({previous + ' ' if word == 'OR' else ''}{word}) cannot run on PostgreSQL: "
                f"{' '.join(sql.split())[:120]!r}"
            )


def _check_parameter(sql: str, i: int) -> None:
    """Refuse SQLite's numbered (``?1``) and named (``:name``, ``@name``, ``$name``) parameters at ``i``."""
    char, following = sql[i], sql[i + 1 : i + 2]
    if char == "?" and following.isdigit():
        raise UnsupportedStatement(f"numbered parameters (?NNN) are SQLite-only: {sql[:80]!r}")
    named = following.isalpha() or following == "_"
    if char in ":@$" and named and not (i > 0 and sql[i - 1] == ":"):  # a "::" cast is not a parameter
        raise UnsupportedStatement(f"named parameters ({char}name) are not supported: {sql[:80]!r}")


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """``sql`` in psycopg's placeholder style; raises :class:`UnsupportedStatement` for SQLite-only SQL."""
    out: list[str] = []
    words: list[str] = []
    i = 0
    while i < len(sql):
        end = _skipped_end(sql, i)
        if end > i:
            out.append(sql[i:end].replace("%", "%%"))
            i = end
            continue
        char = sql[i]
        if char.isalpha() or char == "_":
            end = i + 1
            while end < len(sql) and (sql[end].isalnum() or sql[end] in "_$"):
                end += 1
            called = sql[end:].lstrip().startswith("(")
            words.append(sql[i:end].upper() + ("(" if called else ""))
            out.append(sql[i:end])
            i = end
            continue
        _check_parameter(sql, i)
        out.append({"?": "%s", "%": "%%"}.get(char, char))
        i += 1
    _check_words(sql, words)
    return "".join(out)


def _params(params: Sequence[Any]) -> tuple[Any, ...]:
    """Parameters as SQLite stores them: booleans as 0 and 1 (the schema's flag columns are integers)."""
    if isinstance(params, dict):
        raise UnsupportedStatement("named parameters are not supported; pass a sequence")
    return tuple(int(p) if isinstance(p, bool) else p for p in params)


# --- rows and cursors -----------------------------------------------------------------------------------------


class Row:
    """A result row read by position, slice or (case-insensitive) column name, like ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: tuple[Any, ...], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | slice | str) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._index[key.lower()]]
            except KeyError:
                raise IndexError(f"no column named {key!r}") from None
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and self._values == other._values

    def __hash__(self) -> int:
        return hash(self._values)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return sorted(self._index, key=self._index.__getitem__)

    def __repr__(self) -> str:
        return f"Row{self._values!r}"


def _row_factory(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    index: dict[str, int] = {}
    for position, column in enumerate(cursor.description or ()):
        index.setdefault(column.name.lower(), position)  # the first of duplicate names, as sqlite3.Row

    def make(values: Sequence[Any]) -> Row:
        return Row(tuple(values), index)

    return make


class PgCursor:
    """The result of one statement: ``fetchone``, ``fetchmany``, ``fetchall``, iteration and ``rowcount``."""

    def __init__(self, cursor: psycopg.Cursor[Row]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        """Rows changed by an INSERT, UPDATE or DELETE (-1 when unknown)."""
        return self._cursor.rowcount

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchmany(self, size: int = 1) -> list[Row]:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


# --- the connection -------------------------------------------------------------------------------------------


class PgConnection:
    """A psycopg connection in autocommit mode (as storage opens SQLite: ``isolation_level=None``)."""

    def __init__(self, raw: psycopg.Connection[Row], url: str) -> None:
        self.raw = raw
        self.url = url
        self._own_commits = 0  # write transactions of this connection: not "another connection's commit"
        self._bumped = False  # the open write transaction has bumped the data version

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        """Run one statement of the common SQL subset."""
        return PgCursor(self.raw.execute(translate(sql), _params(params)))

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence[Any]]) -> PgCursor:
        """Run one statement once per parameter sequence."""
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), [_params(p) for p in seq_of_params])
        return PgCursor(cursor)

    def execute_native(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        """Run PostgreSQL's own SQL as it is (schema DDL and the statements of this module)."""
        return PgCursor(self.raw.execute(cast(Any, sql), params))

    def close(self) -> None:
        self.raw.close()

    def label(self) -> str:
        """Where the database is, for messages and fingerprints (never the password)."""
        info = self.raw.info
        return f"postgresql://{info.user}@{info.host}:{info.port}/{info.dbname}"

    # --- write transactions and the data version -------------------------------------------------------

    def begin_write(self) -> None:
        """Open a write transaction: wait for the write lock, then bump the data version."""
        self.raw.execute("BEGIN")
        try:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            self.raw.execute("UPDATE crosscheck_state SET data_version = data_version + 1 WHERE id = 1")
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        self._bumped = True

    def end_write(self, *, commit: bool) -> None:
        """Commit or roll back the write transaction."""
        bumped, self._bumped = self._bumped, False
        self.raw.execute("COMMIT" if commit else "ROLLBACK")
        self._own_commits += int(bumped and commit)

    def data_version(self) -> int:
        """Changes exactly when another connection commits a write transaction (SQLite's ``data_version``)."""
        row = self.raw.execute("SELECT data_version FROM crosscheck_state WHERE id = 1").fetchone()
        assert row is not None
        return int(row[0]) - self._own_commits - int(self._bumped)

    def schema_version(self) -> int:
        """The number of migrations applied (0 for a database crosscheck never wrote to)."""
        if not self.table_exists("crosscheck_state"):
            return 0
        row = self.raw.execute("SELECT schema_version FROM crosscheck_state WHERE id = 1").fetchone()
        return 0 if row is None else int(row[0])

    def table_exists(self, name: str) -> bool:
        """Whether ``name`` is a table on the search path."""
        row = self.raw.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
        return bool(row and row[0])


if TYPE_CHECKING:  # both engines satisfy the interface storage is written against: mypy checks these
    import sqlite3

    from crosscheck.storage import connection

    _CONNECTIONS: tuple[type[connection.Connection], ...] = (PgConnection, sqlite3.Connection)
    _CURSORS: tuple[type[connection.Cursor], ...] = (PgCursor, sqlite3.Cursor)
    _ROWS: tuple[type[connection.Row], ...] = (Row, sqlite3.Row)


def as_pg(conn: object) -> PgConnection:
    """``conn`` as a :class:`PgConnection`; TypeError when it is not one."""
    if not isinstance(conn, PgConnection):
        raise TypeError(f"not a PostgreSQL connection: {conn!r}")
    return conn


def connect(url: str, *, readonly: bool = False, statement_timeout_ms: int | None = None) -> PgConnection:
    """Open (and for writers, migrate) the PostgreSQL database at ``url``.

    The connection is a :class:`~crosscheck.storage.connection.Connection`, as a SQLite one is, so storage, the
    pipeline and the web app run on it unchanged. Readers get ``default_transaction_read_only``;
    ``statement_timeout_ms`` bounds each statement.
    """
    raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
    conn = PgConnection(raw, url)
    try:
        raw.execute("SET TIME ZONE 'UTC'")
        if readonly:
            raw.execute("SET default_transaction_read_only = on")
        if statement_timeout_ms is not None:
            raw.execute(f"SET statement_timeout = {int(statement_timeout_ms)}")
        if not readonly:
            migrate(conn)
    except BaseException:
        raw.close()
        raise
    return conn


# --- full-text search -----------------------------------------------------------------------------------------

# The title weighs five times the text, as bm25(5.0, 1.0) does on SQLite (weights are {D, C, B, A}).
_RANK_WEIGHTS = "{0.1, 0.1, 0.2, 1.0}"
_HEADLINE = f'StartSel="{MATCH_START}", StopSel="{MATCH_END}", MaxWords=24, MinWords=12, MaxFragments=1'


def search_sql(columns: str) -> str:
    """The search query over ``articles.search`` (tsvector, GIN-indexed); parameters: (words, limit, offset).

    ``plainto_tsquery`` reads its input as plain words, so user input is never query syntax.
    """
    return f"""SELECT {columns}, ts_headline('crosscheck_search', a.text, q.query, '{_HEADLINE}') AS snippet
        FROM articles a JOIN outlets o ON o.id = a.outlet_id
        CROSS JOIN plainto_tsquery('crosscheck_search', ?) AS q(query)
        WHERE a.search @@ q.query ORDER BY ts_rank('{_RANK_WEIGHTS}', a.search, q.query) DESC, a.id LIMIT ? OFFSET ?"""


# How many articles the search finds; parameter: (words,).
SEARCH_COUNT_SQL = """SELECT COUNT(*) FROM articles a CROSS JOIN plainto_tsquery('crosscheck_search', ?) AS q(query)
    WHERE a.search @@ q.query"""
