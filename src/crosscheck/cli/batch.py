"""``crosscheck batch``: ingest on Apache Spark (pyspark); the same result as ``crosscheck ingest``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from crosscheck.cli.progress import RichProgress, print_report
from crosscheck.cli.state import state
from crosscheck.settings import Settings
from crosscheck.storage import Store, resolve_db_path
from crosscheck.storage.database import DatabaseTarget

console = Console(stderr=True)


def batch_command(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories (recursively) or http(s) URLs.")],
    out: Annotated[
        str | None,
        typer.Option("--out", help="Database to write (default: the global --db).", show_default=False),
    ] = None,
    master: Annotated[
        str | None,
        typer.Option(help="Spark master: local[2], spark://HOST:7077, yarn, k8s://… (default: local[*])."),
    ] = None,
    partitions: Annotated[
        int | None, typer.Option(help="Tasks for the model stage (default: the cluster's cores).", min=1)
    ] = None,
    task_threads: Annotated[int, typer.Option(help="Threads per task for the embedding model.", min=1)] = 1,
    parquet: Annotated[
        str | None, typer.Option(help="Also write per-article features as Parquet under this folder or URL.")
    ] = None,
    conf: Annotated[
        list[str] | None, typer.Option("--conf", help="A Spark setting KEY=VALUE (repeatable), as spark-submit takes.")
    ] = None,
    allow_private: Annotated[
        bool, typer.Option(help="Allow URLs on loopback/private networks (refused by default).")
    ] = False,
) -> None:
    """Read, deduplicate, extract and embed on Spark, then cluster into stories. Exit 1 when any item failed."""
    from crosscheck.batch import run_batch, spark_session, spark_unavailable

    why = spark_unavailable()
    if why is not None:
        console.print(f"[red]crosscheck batch needs Spark[/red]: {escape(why)}")
        raise typer.Exit(2)
    target = resolve_db_path(out) if out is not None else _global_db()
    session = spark_session(master, partitions=partitions, task_threads=task_threads, conf=_settings(conf or []))
    with Store(target) as store, RichProgress(console) as progress:
        result = run_batch(
            session,
            inputs,
            store,
            Settings.from_env(),
            partitions=partitions,
            allow_private=allow_private,
            parquet=parquet,
            progress=progress,
            log=lambda line: console.print(f"[dim]{escape(line)}[/dim]"),
        )
    print_report(console, result.report, target)
    stages = " · ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.seconds.items())
    console.print(f"{result.prepared} articles prepared in {result.partitions} partitions · {stages}")
    console.print(f"duplicates: join and store {escape(result.duplicates_check)}")
    if result.report.failures:
        raise typer.Exit(1)


def _global_db() -> DatabaseTarget:
    return state.db  # the global --db option, parsed by the main callback


def _settings(pairs: list[str]) -> dict[str, str]:
    """``--conf KEY=VALUE`` options as a dict; a malformed one is a usage error."""
    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--conf")
        found[key.strip()] = value
    return found
