"""The CLI's answer to a database it cannot use: one line naming it and why, exit 2 (never a traceback)."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from crosscheck.errors import UnusableDatabaseError

_console = Console(stderr=True)


class CrosscheckGroup(TyperGroup):
    """The ``crosscheck`` command group: every command under it stops on :class:`UnusableDatabaseError` with one
    error line and exit 2, the code of a usage error (docs/cli.md)."""

    def invoke(self, ctx: Any) -> Any:  # typer's own click Context
        """Run the command; a database it cannot use is reported, not raised."""
        try:
            return super().invoke(ctx)
        except UnusableDatabaseError as exc:
            _console.print(f"[red]cannot use the database[/red]: {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(2) from exc
