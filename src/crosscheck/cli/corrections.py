"""``crosscheck stories merge|split``, ``articles move`` and ``corrections export|import``: corrections that
stick (:mod:`crosscheck.corrections`), each a call of :class:`crosscheck.pipeline.Pipeline` or of that module;
``stories train-matcher`` learns the story matcher from them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from crosscheck.cli.state import state
from crosscheck.settings import Settings
from crosscheck.storage import Store

if TYPE_CHECKING:
    from crosscheck.pipeline import Pipeline

stories_app = typer.Typer(help="List stories, correct them (merge, split), or learn the matcher from corrections.")
articles_app = typer.Typer(help="Correct where an article belongs.", no_args_is_help=True)
corrections_app = typer.Typer(help="The editors' corrections: export and import.", no_args_is_help=True)
console = Console(stderr=True)

ReasonOption = Annotated[str, typer.Option("--reason", help="Why: stored with the correction.")]


def _db() -> str:
    return str(state.db)  # the --db option, parsed by the main callback


@contextmanager
def _correcting() -> Iterator[Pipeline]:
    """A pipeline on the database; a correction that cannot be made stops the command with its reason."""
    from crosscheck.corrections import CorrectionError
    from crosscheck.pipeline import Pipeline

    try:
        with Store(_db()) as store:
            yield Pipeline(store, Settings.from_env())
    except CorrectionError as exc:
        console.print(f"[red]cannot correct[/red]: {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r}: expected article ids separated by commas") from exc


@stories_app.command("merge")
def merge(
    into: Annotated[int, typer.Argument(help="The story that stays.")],
    other: Annotated[int, typer.Argument(help="The story whose articles join it (its id redirects there).")],
    reason: ReasonOption = "",
) -> None:
    """Merge story OTHER into story INTO, for good: later ingests and reclusters keep them together."""
    with _correcting() as pipeline:
        story = pipeline.merge_stories(into, other, reason=reason)
    console.print(f"story {other} merged into story {story}")


@stories_app.command("split")
def split(
    story: Annotated[int, typer.Argument(help="The story to split.")],
    articles: Annotated[
        str | None, typer.Option("--articles", help="Article ids, comma-separated: these go to a new story.")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="A day (YYYY-MM-DD): articles published from it on go to a new story.")
    ] = None,
    reason: ReasonOption = "",
) -> None:
    """Split articles out of a story into a new one, for good: they stay apart from the rest."""
    if articles is None and at is None:
        raise typer.BadParameter("name the articles to split out: --articles ID,ID or --at DAY")
    with _correcting() as pipeline:
        new = pipeline.split_story(story, articles=_ids(articles or ""), at=at, reason=reason)
    console.print(f"story {story} split: new story {new}")


@articles_app.command("move")
def move(
    article: Annotated[int, typer.Argument(help="Article id (as `crosscheck story` lists them).")],
    to: Annotated[int | None, typer.Option("--to", help="The story it belongs to.")] = None,
    new: Annotated[bool, typer.Option("--new", help="Move it into a story of its own.")] = False,
    reason: ReasonOption = "",
) -> None:
    """Move an article to another story (or a new one), for good; its copies follow it."""
    if (to is None) == (not new):
        raise typer.BadParameter("give either --to STORY or --new")
    with _correcting() as pipeline:
        story = pipeline.move_article(article, to, reason=reason)
    console.print(f"article {article} is now in story {story}")


@stories_app.command("train-matcher")
def train_matcher(
    out: Annotated[Path, typer.Option("--out", "-o", help="Model file to write (JSON).")],
) -> None:
    """Train the learned story matcher on the editors' corrections: pairs put together are one story, pairs put
    apart are not. Use the file with CROSSCHECK_STORY_MATCHER=learned and CROSSCHECK_MATCHER_PATH=FILE."""
    from crosscheck.clustering.training import TooFewPairs, train_on_corrections
    from crosscheck.corrections import training_pairs
    from crosscheck.storage.database import database_exists, display_name

    if not database_exists(state.db):
        console.print(f"[red]no database at {escape(display_name(state.db))}[/red]: run `crosscheck ingest PATH` first")
        raise typer.Exit(2)
    with Store(_db()) as store:
        labelled = training_pairs(store)
    provenance: dict[str, object] = {
        "database": display_name(state.db),
        "features": "as stored in the database (read when its articles were ingested)",
        "command": "crosscheck stories train-matcher",
    }
    try:
        model = train_on_corrections(labelled, provenance)
    except TooFewPairs as exc:
        console.print(f"[red]cannot train[/red]: {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from exc
    model.save(out)
    trained = model.trained_on
    console.print(
        f"trained on {trained['pairs']} pairs ({trained['same_story_pairs']} together, {trained['apart_pairs']} "
        f"apart) from {trained['corrections']} corrections; written to {escape(str(out))}",
        soft_wrap=True,
    )


@corrections_app.command("export")
def export_command(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Write every correction as JSON Lines, oldest first."""
    from crosscheck.corrections import export_corrections

    with Store(_db()) as store:
        if output is None:
            count = export_corrections(store, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as fh:
                count = export_corrections(store, fh)
    console.print(f"exported {count} corrections")


@corrections_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="JSON Lines of corrections, as `corrections export` writes.")],
) -> None:
    """Add corrections made elsewhere; `crosscheck recluster` then applies them. Exit 1 when a line was bad."""
    from crosscheck.corrections import import_corrections, read_records
    from crosscheck.storage.corrections import Correction

    good: list[Correction] = []
    bad = 0
    with file.open(encoding="utf-8") as fh:
        for number, item in read_records(fh):
            if isinstance(item, str):
                console.print(f"[red]{escape(str(file))}:{number}[/red]: {escape(item)}")
                bad += 1
            else:
                good.append(item)
    with Store(_db()) as store, store.transaction():
        added, known = import_corrections(store, good)
    console.print(f"imported {added} corrections ({known} known already, {bad} bad lines); run `crosscheck recluster`")
    if bad:
        raise typer.Exit(1)
