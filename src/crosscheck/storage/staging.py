"""A run's parsed articles, spilled to a temporary on-disk table so memory stays flat whatever the input size.

An ingest must process articles in publication order, which needs all of them before the first one: rather than
hold a whole dump in memory, they wait here, keyed by identity (repeats in one run are dropped), and come back
sorted, one chunk at a time.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from crosscheck.models import ParsedArticle, publication_order_sql


class ArticleStaging:
    """Temporary storage of (key, text hash, article) in publication order; use as a context manager."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="crosscheck-staging-")
        self.conn = sqlite3.connect(Path(self._dir.name) / "staging.db", isolation_level=None)
        self.conn.executescript(
            """PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
               CREATE TABLE staged (key TEXT PRIMARY KEY, undated INTEGER, published TEXT, digest TEXT,
                                    article TEXT);
               BEGIN;"""
        )

    def __enter__(self) -> ArticleStaging:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.conn.close()
        self._dir.cleanup()

    def add(self, article: ParsedArticle, key: str, digest: str) -> bool:
        """Stage an article; False when this key was staged already in this run."""
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO staged VALUES (?, ?, ?, ?, ?)",
            (key, article.published is None, article.published or "", digest,
             json.dumps(dataclasses.asdict(article))),
        )  # fmt: skip
        return cursor.rowcount == 1

    def key_batches(self, batch: int = 500) -> Iterator[list[str]]:
        """All staged keys, in batches."""
        rows = self.conn.execute("SELECT key FROM staged ORDER BY key").fetchall()
        for start in range(0, len(rows), batch):
            yield [r[0] for r in rows[start : start + batch]]

    def discard(self, keys: set[str]) -> None:
        self.conn.executemany("DELETE FROM staged WHERE key = ?", ((k,) for k in keys))

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM staged").fetchone()[0])

    def ordered(self, size: int) -> Iterator[list[tuple[str, str, ParsedArticle]]]:
        """(key, digest, article) in publication order (dated oldest first, undated last), ``size`` at a time."""
        self.conn.execute("COMMIT")
        cursor = self.conn.execute(f"SELECT key, digest, article FROM staged ORDER BY {publication_order_sql()}")
        while rows := cursor.fetchmany(size):
            yield [(key, digest, ParsedArticle(**json.loads(article))) for key, digest, article in rows]
