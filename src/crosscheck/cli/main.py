"""``crosscheck`` command line: ingest, list, show and search stories, export, serve, demo.

Every command mirrors a library call (Pipeline.ingest, Reader.stories, story_view.read_story, Reader.search,
exports.write_rows, web.app.create_app), so what the CLI does a script can do too.
"""

from __future__ import annotations

import ipaddress
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from crosscheck.cli.batch import batch_command
from crosscheck.cli.claims import app as reference_app
from crosscheck.cli.corrections import articles_app, corrections_app, stories_app
from crosscheck.cli.errors import CrosscheckGroup
from crosscheck.cli.feeds import app as feeds_app
from crosscheck.cli.feeds import watch_command
from crosscheck.cli.progress import RichProgress, print_report
from crosscheck.cli.render import print_hits, print_stories, print_story
from crosscheck.cli.sources import app as sources_app
from crosscheck.cli.sources import blindspots_command
from crosscheck.cli.state import open_reader, state
from crosscheck.exports import EXPORT_FORMATS, EXPORT_KINDS, export_rows, write_rows
from crosscheck.models import IngestReport
from crosscheck.settings import Settings, allowed_hosts_from_env
from crosscheck.storage import Store, resolve_db_path
from crosscheck.storage.database import is_postgres_url
from crosscheck.story_view import read_story

app = typer.Typer(
    cls=CrosscheckGroup, help="crosscheck: one news story from every side.", no_args_is_help=True, add_completion=False
)
app.add_typer(sources_app, name="sources")
app.add_typer(reference_app, name="reference")
app.command("blindspots")(blindspots_command)
app.add_typer(feeds_app, name="feeds")
app.command("watch")(watch_command)
app.command("batch")(batch_command)
app.add_typer(stories_app, name="stories")
app.add_typer(articles_app, name="articles")
app.add_typer(corrections_app, name="corrections")
console = Console(stderr=True)
out = Console()

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite database file or postgresql:// URL (default: $CROSSCHECK_DB, else crosscheck.db).",
        show_default=False,
    ),
]


class StoryOrder(StrEnum):
    """The orders of `stories` (those of Reader.stories)."""

    recent = "recent"
    coverage = "coverage"


@app.callback()
def main_options(db: DbOption = None) -> None:
    """Options common to every command."""
    state.db = resolve_db_path(db)
    try:
        Settings.from_env()  # a bad CROSSCHECK_* value stops every command here, with its name
    except ValueError as exc:
        console.print(f"[red]invalid setting[/red]: {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from exc


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories (recursively) or http(s) URLs.")],
    allow_private: Annotated[
        bool, typer.Option(help="Allow URLs on loopback/private networks (refused by default).")
    ] = False,
) -> None:
    """Read articles, detect duplicates, group them into stories. Exit 1 when any item failed."""
    if _run_ingest(inputs, allow_private=allow_private).failures:
        raise typer.Exit(1)


@stories_app.callback(invoke_without_command=True)
def stories(
    ctx: typer.Context,
    order: Annotated[StoryOrder, typer.Option(help="recent or coverage.")] = StoryOrder.recent,
    limit: Annotated[int, typer.Option(help="How many stories.", min=0)] = 30,
) -> None:
    """List stories, newest (or most covered) first; `stories merge` and `stories split` correct them."""
    if ctx.invoked_subcommand is None:
        reader = open_reader()
        print_stories(out, reader, reader.stories(limit=limit, order=order.value))


@app.command()
def story(story_id: Annotated[int, typer.Argument(help="Story id (as listed by `stories`).")]) -> None:
    """Show one story page in the terminal."""
    reader = open_reader()
    view = read_story(reader, reader.resolve_story_id(story_id), Settings.from_env())
    if view is None or view.record.article_count == 0:
        console.print(f"[red]no story {story_id}[/red]")
        raise typer.Exit(2)
    print_story(out, view)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in titles and texts (all must occur).")],
    limit: Annotated[int, typer.Option(help="How many results.", min=0)] = 20,
    offset: Annotated[int, typer.Option(help="Results to skip (the next page: --offset 20).", min=0)] = 0,
) -> None:
    """Full-text search over article titles and texts, best match first."""
    reader = open_reader()
    total = reader.search_total(query)
    hits = reader.search(query, limit=limit, offset=offset) if limit else []
    print_hits(out, hits)
    shown = f": {offset + 1}–{offset + len(hits)} shown" if hits else ""
    console.print(f"{total} articles match{shown}", highlight=False)


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help=f"What to export: {', '.join(EXPORT_KINDS)}.")],
    format: Annotated[str, typer.Option("--format", help=f"{' or '.join(EXPORT_FORMATS)}.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Export articles or stories as JSON Lines or CSV."""
    if kind not in EXPORT_KINDS or format not in EXPORT_FORMATS:
        console.print(f"[red]choose one of {EXPORT_KINDS} and a format of {EXPORT_FORMATS}[/red]")
        raise typer.Exit(2)
    rows = export_rows(open_reader(), kind, flat=format == "csv")
    if output is None:
        count = write_rows(rows, sys.stdout, format)
    else:
        with output.open("w", encoding="utf-8", newline="") as fh:
            count = write_rows(rows, fh, format)
    console.print(f"exported {count} {kind}")


@app.command()
def recluster(
    reread: Annotated[
        bool,
        typer.Option(
            "--reread",
            help="First read every stored text again for entities and embeddings, so that entity_recognizer, "
            "entity_chars and embedding_chars apply to stored articles too (runs the models: as slow as an ingest).",
        ),
    ] = False,
) -> None:
    """Rebuild all stories with the current settings; old story ids redirect to their new stories."""
    from crosscheck.pipeline import Pipeline

    with Store(state.db) as store, RichProgress(console) as progress:
        before, after = Pipeline(store, Settings.from_env()).recluster(reread=reread, progress=progress)
    console.print(f"rebuilt stories: {before} before, {after} after · database {state.db}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8765,
) -> None:
    """Serve the web UI and JSON API (read-only)."""
    import uvicorn

    from crosscheck.web.app import create_app

    hosts = allowed_hosts_from_env() or ["127.0.0.1", "localhost", host]
    console.print(f"crosscheck is serving {state.db} on [bold]http://{host}:{port}[/bold]  (Ctrl-C stops)")
    if not _is_loopback(host):
        console.print(f"[yellow]warning[/yellow]: listening on {escape(host)} exposes the server to other machines; "
                      "it answers only the Host names in CROSSCHECK_ALLOWED_HOSTS (now: "
                      f"{escape(', '.join(hosts))})", soft_wrap=True)  # fmt: skip
    app = create_app(state.db, allowed_hosts=hosts, page_cache_seconds=Settings.from_env().web_cache_seconds)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the web UI afterwards.")] = True,
    port: Annotated[int, typer.Option(help="Port for the web UI.", min=1, max=65535)] = 8765,
) -> None:
    """Ingest the demo corpus (shared research data if present, else bundled examples) and serve it."""
    from crosscheck.demo import demo_inputs, import_demo_ratings, import_demo_reference

    beside = Path.cwd() if is_postgres_url(state.db) else Path(state.db).resolve().parent
    inputs, description = demo_inputs(beside / ".crosscheck-demo")
    console.print(f"Ingesting {description} into {state.db} …")
    _run_ingest(inputs, allow_private=False)
    console.print(import_demo_ratings(state.db) or "No shared rater files: stories are shown without ratings.")
    console.print(import_demo_reference(state.db) or "No shared reference tables: figures are not checked.")
    if serve_after:
        serve(port=port)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _run_ingest(inputs: list[str], *, allow_private: bool) -> IngestReport:
    from crosscheck.pipeline import Pipeline  # models load only for commands that need them

    with Store(state.db) as store, RichProgress(console) as progress:
        report = Pipeline(store, Settings.from_env()).ingest(inputs, allow_private=allow_private, progress=progress)
    print_report(console, report, state.db)
    return report


def main() -> None:
    """Entry point of the ``crosscheck`` script."""
    app()
