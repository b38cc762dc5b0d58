"""``crosscheck reference``: import tables of official figures that reported claims are checked against."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from crosscheck.cli.state import state

app = typer.Typer(help="Reference tables of official figures (for checking the figures coverage states).",
                  no_args_is_help=True)  # fmt: skip
console = Console(stderr=True)


@app.command("import")
def import_reference(
    file: Annotated[Path, typer.Argument(help="CSV with country, year, a value column, source and note.")],
) -> None:
    """Import a CSV of official figures (several editions per country and year are kept apart)."""
    from crosscheck.claims.reference import read_reference_csv, store_reference
    from crosscheck.storage import Store

    if not file.is_file():
        console.print(f"[red]no file at {file}[/red]")
        raise typer.Exit(2)
    try:
        figures = read_reference_csv(file)
    except (ValueError, UnicodeDecodeError) as exc:
        console.print(f"[red]cannot read {file}[/red]: {exc}")
        raise typer.Exit(2) from exc
    with Store(state.db) as store, store.transaction():
        done = store_reference(store.conn, figures)
    console.print(f"{done.figures} figures read ({done.subjects} subjects, {done.editions} editions); {done.added} new "
                  f"in {state.db}")  # fmt: skip
