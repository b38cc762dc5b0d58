"""Progress bars and the end-of-run summary for long commands."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from crosscheck.models import IngestReport

STAGE_LABELS = {
    "reading": "Reading inputs",
    "clustering": "Duplicates, entities, stories",
    "reading again": "Entities and embeddings again",
}


class RichProgress:
    """A pipeline progress callback drawing one rich bar per stage."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._progress.stop()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(STAGE_LABELS.get(stage, stage), total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)


def print_report(console: Console, report: IngestReport, db: Path | str) -> None:
    """Failures one per line, then the totals."""
    for failure in report.failures:
        # soft_wrap: one line per failure even when output is not a terminal (rich would wrap at 80 columns)
        console.print(f"[red]error[/red] {escape(str(failure))}", soft_wrap=True)
    console.print(
        f"read {report.read} articles · added {report.added} · already stored {report.already_stored} · "
        f"duplicates {report.duplicates} · errors {report.errors} · stories touched {report.stories_touched} "
        f"({report.stories_created} new)"
        + (f" · later revisions {report.revisions}" if report.revisions else "")
        + f" · database {db}"
    )
