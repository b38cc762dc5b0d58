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
    from crosscheck.claims.reference import read_reference_csv
    from crosscheck.storage import Store
    from crosscheck.storage.claims import save_reference

    if not file.is_file():
        console.print(f"[red]no file at {file}[/red]")
        raise typer.Exit(2)
    try:
        figures = read_reference_csv(file)
    except (ValueError, UnicodeDecodeError) as exc:
        console.print(f"[red]cannot read {file}[/red]: {exc}")
        raise typer.Exit(2) from exc
    with Store(state.db) as store, store.transaction():
        added = save_reference(store.conn, figures)
    editions = len({f.edition for f in figures})
    subjects = len({f.subject for f in figures})
    console.print(f"{len(figures)} figures read ({subjects} subjects, {editions} editions); {added} new in {state.db}")
