"""Reading inputs on the executors: one task per file or URL, through the same readers as ``crosscheck ingest``.

The driver only lists the inputs (directories are walked as ingest walks them); each executor reads, decodes and
extracts its files. Every item keeps its place in the input order (unit, item) so that, as in ingest, the first
of several items with one identity is the one kept.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosscheck.dedup import text_hash
from crosscheck.ingest import LINK_OUT, leaves_tree, read_inputs, walk
from crosscheck.ingest.cleanup import printable
from crosscheck.ingest.fetch import is_url
from crosscheck.ingest.keys import article_key
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

logger = logging.getLogger(__name__)
ITEM_SCHEMA = (
    "unit INT, item INT, key STRING, digest STRING, undated BOOLEAN, published STRING, article STRING, "
    "location STRING, reason STRING"
)
"""One row per item read: an article (key set) or a failure (reason set)."""


def list_units(inputs: Iterable[str]) -> list[str]:
    """The files and URLs to read, in ingest's order: directories walked recursively, sorted, hidden skipped."""
    units: list[str] = []
    for given in inputs:
        value = str(given)
        if not is_url(value) and Path(value).is_dir():
            for path in walk(Path(value)):
                if leaves_tree(Path(value), path):
                    logger.warning("%s: %s; skipped", printable(str(path)), LINK_OUT)
                else:
                    units.append(str(path))
        else:
            units.append(value)
    return units


def read_unit(
    unit: int, location: str, settings: Settings, allow_private: bool
) -> Iterator[tuple[int, int, str | None, str | None, bool, str, str | None, str | None, str | None]]:
    """The rows of one input (see :data:`ITEM_SCHEMA`); a bad input or item becomes a failure row."""
    for item, found in enumerate(read_inputs([location], settings, allow_private=allow_private)):
        if isinstance(found, IngestFailure):
            yield unit, item, None, None, True, "", None, found.location, found.reason
        else:
            yield unit, item, *_article_row(found)


def _article_row(article: ParsedArticle) -> tuple[str, str, bool, str, str, str, None]:
    digest = text_hash(article.text)
    payload = json.dumps(dataclasses.asdict(article))
    # The same order columns as ingest's staging table, so both sort alike.
    undated = article.published is None
    return article_key(article, digest), digest, undated, article.published or "", payload, "", None


def article_from_json(payload: str) -> ParsedArticle:
    """The article of a row's ``article`` column."""
    return ParsedArticle(**json.loads(payload))


def read_items(
    session: SparkSession, units: list[str], settings: Settings, *, allow_private: bool = False
) -> DataFrame:
    """Every item of every unit as a DataFrame (:data:`ITEM_SCHEMA`), read by one task per unit."""

    def read_partition(rows: Iterable[tuple[int, str]]) -> Iterator[Any]:
        for unit, location in rows:
            yield from read_unit(unit, location, settings, allow_private)

    # A few units per task: one task per small file costs more in scheduling than the reading itself.
    slices = max(1, min(len(units), 2 * session.sparkContext.defaultParallelism))
    indexed = session.sparkContext.parallelize(list(enumerate(units)), slices)
    return session.createDataFrame(indexed.mapPartitions(read_partition), ITEM_SCHEMA)


def first_per_key(items: DataFrame) -> DataFrame:
    """The articles of a run, one per key: the first read, as ingest's staging keeps the first."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = Window.partitionBy("key").orderBy("unit", "item")
    articles = items.where(F.col("key").isNotNull())
    return articles.withColumn("_rank", F.row_number().over(order)).where("_rank = 1").drop("_rank")
