"""What every command shares: the global ``--db`` option, set by the main callback before any command runs."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from crosscheck.storage import connect
from crosscheck.storage.database import DatabaseTarget, database_exists
from crosscheck.storage.reader import Reader
from crosscheck.storage.schema import SCHEMA_VERSION

console = Console(stderr=True)


class State:
    db: DatabaseTarget = Path("crosscheck.db")


state = State()


def open_reader() -> Reader:
    """A reader of the ``--db`` database; exit 2 with a hint when there is none yet."""
    if not database_exists(state.db):
        console.print(f"[red]no database at {state.db}[/red]: run `crosscheck ingest PATH` first")
        raise typer.Exit(2)
    reader = Reader(connect(state.db, readonly=True))
    version = reader.schema_version()
    if version > SCHEMA_VERSION:
        console.print(f"[yellow]warning[/yellow]: {escape(str(state.db))} was written by a newer crosscheck (schema "
                      f"{version} > {SCHEMA_VERSION}); it may be read wrongly: upgrade crosscheck",
                      soft_wrap=True)  # fmt: skip
    return reader
