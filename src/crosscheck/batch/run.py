"""A whole batch run: read → keep one per key → skip stored → prepare → duplicate join → replay → (Parquet)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crosscheck.batch.cluster import replay
from crosscheck.batch.dedup import near_pairs as find_near_pairs
from crosscheck.batch.dedup import resolve_duplicates
from crosscheck.batch.features import STAGES, prepare_all
from crosscheck.batch.read import first_per_key, list_units, read_items
from crosscheck.batch.session import default_parallelism
from crosscheck.batch.write import write_parquet
from crosscheck.models import IngestFailure, IngestReport
from crosscheck.pipeline import Pipeline, Progress, no_progress
from crosscheck.settings import Settings
from crosscheck.storage import Store

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Log = Callable[[str], None]


def _no_log(message: str) -> None:
    return None


@dataclass
class BatchResult:
    """What a batch run did: ingest's report, where the time went, and the duplicate cross-check."""

    report: IngestReport
    prepared: int = 0
    partitions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # wall-clock per stage
    task_seconds: dict[str, float] = field(default_factory=dict)  # summed over tasks, per model
    duplicates_check: str = "skipped"  # "same", "differs: …" or "skipped: why"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary."""
        return {
            "read": self.report.read,
            "added": self.report.added,
            "already_stored": self.report.already_stored,
            "duplicates": self.report.duplicates,
            "errors": self.report.errors,
            "prepared": self.prepared,
            "partitions": self.partitions,
            "stage_seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "task_seconds": {k: round(v, 3) for k, v in self.task_seconds.items()},
            "duplicates_check": self.duplicates_check,
        }


@contextmanager
def _timed(result: BatchResult, stage: str, log: Log) -> Iterator[None]:
    started = time.perf_counter()
    yield
    result.seconds[stage] = time.perf_counter() - started
    log(f"{stage}: {result.seconds[stage]:.1f} s")


def run_batch(
    session: SparkSession,
    inputs: Iterable[str],
    store: Store,
    settings: Settings | None = None,
    *,
    partitions: int | None = None,
    allow_private: bool = False,
    parquet: str | Path | None = None,
    progress: Progress = no_progress,
    log: Log = _no_log,
) -> BatchResult:
    """Ingest ``inputs`` into ``store`` with the per-article work on Spark; bad items are reported, never fatal.

    The result in the store is what :meth:`Pipeline.ingest` gives on the same inputs (docs/batch.md says what
    may differ). ``partitions`` defaults to the cluster's parallelism.
    """
    settings = settings or Settings()
    result = BatchResult(IngestReport(), partitions=partitions or default_parallelism(session))
    fresh = store.reader.counts()["articles"] == 0
    with _timed(result, "read", log):
        items = read_items(session, list_units(inputs), settings, allow_private=allow_private).persist()
        articles = _new_articles(session, items, store, result.report)
    features = prepare_all(articles, settings, result.partitions).persist()
    try:
        with _timed(result, "prepare", log):
            result.prepared = features.count()  # runs the models, once: the later stages read the cached rows
            result.task_seconds = _task_seconds(features)
        with _timed(result, "near_duplicates", log):
            pairs = [(row.a, row.b) for row in find_near_pairs(features, settings).collect()]
        with _timed(result, "write", log):
            pipeline = Pipeline(store, settings)  # its models never load: the executors ran them
            replayed = replay(pipeline, features, result.report, total=result.prepared, progress=progress)
        result.duplicates_check = (
            _compare(resolve_duplicates(replayed.ordered, pairs).original_of, replayed.original_keys())
            if fresh
            else "skipped: the store held articles before this run"
        )
        if parquet is not None:
            with _timed(result, "parquet", log):
                write_parquet(session, features, replayed, parquet)
    finally:
        features.unpersist()
        items.unpersist()
    return result


def _new_articles(session: SparkSession, items: DataFrame, store: Store, report: IngestReport) -> DataFrame:
    """One article per key, less those already stored; failures and repeats go to the report."""
    from pyspark.sql import functions as F

    failed = items.where(F.col("key").isNull()).orderBy("unit", "item").select("location", "reason").collect()
    report.failures.extend(IngestFailure(row.location, row.reason) for row in failed)
    report.read = items.where(F.col("key").isNotNull()).count()
    articles = first_per_key(items)
    keys = [row.key for row in articles.select("key").toLocalIterator()]
    stored = store.existing_keys(keys)
    report.already_stored += report.read - len(keys) + len(stored)
    if stored:
        known = session.createDataFrame([(key,) for key in sorted(stored)], "key STRING")
        articles = articles.join(F.broadcast(known), "key", "left_anti")
    return articles


def _task_seconds(features: DataFrame) -> dict[str, float]:
    from pyspark.sql import functions as F

    sums = features.agg(*(F.sum(f"t_{stage}").alias(stage) for stage in STAGES)).first()
    return {stage: float((sums[stage] if sums is not None else 0.0) or 0.0) for stage in STAGES}


def _compare(expected: dict[str, str], stored: dict[str, str]) -> str:
    """Whether the join's duplicates and the stored ones agree ("same"), else how many copies differ."""
    differing = {key for key in expected.keys() | stored.keys() if expected.get(key) != stored.get(key)}
    return "same" if not differing else f"differs: {len(differing)} copies (e.g. {sorted(differing)[:3]})"
