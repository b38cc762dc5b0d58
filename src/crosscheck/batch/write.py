"""Optional Parquet output of a batch run, beside the store: per-article features and what the store made of them.

The store stays the system of record (the web UI and the CLI read it); the Parquet tables are for analysis at
scale (Spark, DuckDB, pandas) without going through it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crosscheck.batch.cluster import Replayed

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

FEATURE_COLUMNS = ("key", "digest", "undated", "published", "hashvalues", "embedding", "entities")


def write_parquet(session: SparkSession, features: DataFrame, replayed: Replayed, out: str | Path) -> None:
    """``OUT/features`` (one row per prepared article) and ``OUT/stored`` (key, article id, original id)."""
    base = str(out).rstrip("/")
    features.select(*FEATURE_COLUMNS).write.mode("overwrite").parquet(f"{base}/features")
    rows = [(key, article_id, replayed.original_id.get(key)) for key, article_id in replayed.article_id.items()]
    stored = session.createDataFrame(rows, "key STRING, article_id LONG, original_id LONG")
    stored.write.mode("overwrite").parquet(f"{base}/stored")
