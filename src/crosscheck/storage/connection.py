"""The database connection storage is written against, as both engines provide it.

A SQLite connection (``sqlite3.Connection``, opened with ``sqlite3.Row`` rows) and a PostgreSQL one
(:class:`crosscheck.storage.postgres.PgConnection`) both satisfy :class:`Connection`: the part of the DB-API that
crosscheck calls. What differs between the engines (write transactions, the data version, the schema version) is
dispatched in :mod:`crosscheck.storage.database`; code that needs a SQLite-only feature narrows with
``isinstance(conn, sqlite3.Connection)`` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Row(Protocol):
    """One result row, read by position or by column name: ``sqlite3.Row`` and PostgreSQL's ``Row`` alike."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> list[str]:
        """The column names, in order."""
        ...


# A cursor's rows are typed ``Any``, as the standard library types them: what ``sqlite3`` returns depends on the
# connection's row factory (storage opens every connection with ``sqlite3.Row``, a :class:`Row`). Functions that
# take a fetched row name it :class:`Row`.


@runtime_checkable
class Cursor(Protocol):
    """The result of one statement: its rows and, for a write, how many rows it changed."""

    @property
    def rowcount(self) -> int:
        """Rows changed by an INSERT, UPDATE or DELETE (-1 when unknown)."""
        ...

    def fetchone(self) -> Any:
        """The next row, or None when there is none."""
        ...

    def fetchmany(self, size: int = 1, /) -> list[Any]:
        """Up to ``size`` next rows."""
        ...

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        ...

    def __iter__(self) -> Iterator[Any]: ...


@runtime_checkable
class Connection(Protocol):
    """An open database, SQLite or PostgreSQL, running the SQL both accept with ``?`` placeholders."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor:
        """Run one statement."""
        ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Cursor:
        """Run one statement once per parameter sequence."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...
