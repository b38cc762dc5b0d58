"""``crosscheck feeds …`` (the followed feeds) and ``crosscheck watch`` (polling them).

Every command mirrors a library call: feeds.registry.add_feeds, import_opml, export_opml; storage.feeds
.feed_listing and remove_feed; feeds.watch.Watcher.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from crosscheck.cli.render import print_table
from crosscheck.cli.state import state
from crosscheck.errors import InputError
from crosscheck.feeds.registry import AddReport, add_feeds, export_opml, import_opml
from crosscheck.feeds.schedule import format_duration, parse_duration
from crosscheck.settings import Settings
from crosscheck.storage import Store
from crosscheck.storage import feeds as db
from crosscheck.storage.database import DatabaseTarget, database_exists

app = typer.Typer(help="Followed feeds: add, import and export OPML, list with their state.", no_args_is_help=True)
console = Console(stderr=True)
out = Console()
MIN_INTERVAL = 60.0  # polling a feed more than once a minute is not polite

EveryOption = Annotated[
    str | None, typer.Option("--every", help="Poll interval, e.g. 15m, 1h30m (default: the feed_interval setting).")
]


def _db() -> DatabaseTarget:
    return state.db  # the global --db option, parsed by the main callback


def _existing_db() -> DatabaseTarget:
    path = _db()
    if not database_exists(path):
        console.print(f"[red]no database at {escape(str(path))}[/red]: add feeds with `crosscheck feeds add URL`")
        raise typer.Exit(2)
    return path


def _interval(every: str | None) -> float | None:
    if every is None:
        return None
    try:
        seconds = parse_duration(every)
    except ValueError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    if seconds < MIN_INTERVAL:
        console.print(f"[red]--every {escape(every)} is too often[/red]: at least {format_duration(MIN_INTERVAL)}")
        raise typer.Exit(2)
    return seconds


def _print_added(report: AddReport) -> None:
    out.print(f"{len(report.added)} feeds added, {len(report.existing)} already followed")
    for line in report.skipped:
        console.print(f"skipped {escape(line)}")
    if report.skipped:
        raise typer.Exit(1)


@app.command("add")
def add(
    urls: Annotated[list[str], typer.Argument(help="Feed addresses (RSS or Atom, http or https).")],
    every: EveryOption = None,
) -> None:
    """Follow feeds. Exit 1 when an address was skipped (not an http(s) URL)."""
    interval = _interval(every)
    with Store(_db()) as store:
        _print_added(add_feeds(store, urls, interval=interval))


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="An OPML file (as feed readers export them).")],
    every: EveryOption = None,
) -> None:
    """Follow every feed of an OPML file, with its title, site and folder. Exit 1 when a feed was skipped."""
    interval = _interval(every)
    with Store(_db()) as store:
        try:
            report = import_opml(store, file, interval=interval)
        except (InputError, OSError) as exc:
            console.print(f"error {escape(str(file))}: {escape(str(exc))}")
            raise typer.Exit(1) from None
    _print_added(report)


@app.command("export")
def export(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Write the followed feeds as OPML 2.0."""
    with Store(_existing_db()) as store:
        document = export_opml(store.conn)
        count = len(db.feeds(store.conn))
    if output is None:
        sys.stdout.write(document)
    else:
        output.write_text(document, encoding="utf-8")
    console.print(f"exported {count} feeds")


@app.command("list")
def list_() -> None:
    """The followed feeds: last fetch, status, pages listed, articles stored, errors, next poll."""
    with Store(_existing_db()) as store:
        listing = db.feed_listing(store.conn)
    rows = []
    default = Settings.from_env().feed_interval
    for row in listing:
        f = row.feed
        status = f.last_status or "never polled"
        if f.last_error:
            status += f": {f.last_error}"
        errors = f"{f.errors} ({f.failures} in a row)" if f.failures else str(f.errors)
        rows.append((str(f.id), f"{f.title or ''}\n{f.url}", format_duration(f.interval_s or default),
                     f.last_fetch_at or "–", status, str(row.entries), str(row.articles), errors,
                     f.next_due_at or "now"))  # fmt: skip
    print_table(out, ("id", "feed", "every", "last fetch", "status", "pages", "articles", "errors", "next poll"), rows)


@app.command("remove")
def remove(feed: Annotated[str, typer.Argument(help="Feed id or address, as `feeds list` shows it.")]) -> None:
    """Stop following a feed (its articles stay). Exit 2 when there is no such feed."""
    with Store(_existing_db()) as store, store.transaction() as conn:
        removed = db.remove_feed(conn, feed)
    if not removed:
        console.print(f"[red]no feed {escape(feed)}[/red]")
        raise typer.Exit(2)
    out.print(f"removed {escape(feed)}")


def watch_command(
    every: EveryOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll the due feeds once, then exit.")] = False,
    allow_private: Annotated[
        bool, typer.Option(help="Allow feeds and pages on loopback/private networks (refused by default).")
    ] = False,
) -> None:
    """Poll the followed feeds on schedule and ingest new and changed articles, until Ctrl-C or SIGTERM."""
    from crosscheck.feeds.watch import CycleReport, Watcher, stop_on_signals
    from crosscheck.pipeline import Pipeline  # models load only for commands that need them

    interval = _interval(every)
    stop = threading.Event()

    cycles: list[CycleReport] = []

    def print_cycle(report: CycleReport) -> None:
        cycles.append(report)
        out.print(
            f"polled {report.feeds} feeds in {report.seconds:.1f} s: {report.ok} ok, {report.not_modified} not "
            f"modified, {report.errors} failed · {report.pages_fetched} pages fetched · {report.added} articles "
            f"added ({report.duplicates} duplicates, {report.revisions} new revisions)"
        )
        for failure in report.failures[:10]:
            console.print(f"error {escape(str(failure))}")

    with Store(_existing_db()) as store:
        if not db.feeds(store.conn):
            console.print("[red]no feeds followed[/red]: add some with `crosscheck feeds add URL` or `feeds import`")
            raise typer.Exit(2)
        watcher = Watcher(Pipeline(store, Settings.from_env()), interval=interval, allow_private=allow_private,
                          stop=stop)  # fmt: skip
        console.print(f"watching the feeds of {escape(str(_db()))} (Ctrl-C stops)")
        try:
            with stop_on_signals(stop, lambda line: console.print(line)):
                watcher.run(once=once, on_cycle=print_cycle)
            if once and not cycles:
                upcoming = db.next_due(store.conn)
                console.print(f"no feed is due; the next poll is at {upcoming}")
        finally:
            watcher.close()
    console.print("stopped" if stop.is_set() else "done")
