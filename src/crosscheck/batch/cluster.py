"""Story clustering on the driver: the prepared articles replayed in publication order through ingest's own code.

Placing an article in a story depends on every article placed before it (the stories' centroids and terms, the
corpus term statistics), so the replay is sequential. It is cheap next to the models (a few per cent of ingest's
time) and, going through :meth:`crosscheck.pipeline.Pipeline.ingest_prepared`, it stores, deduplicates, clusters,
summarises and settles exactly as ``crosscheck ingest`` does, through :class:`crosscheck.storage.Store`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crosscheck.batch.features import unpickle
from crosscheck.models import PUBLICATION_ORDER, IngestReport
from crosscheck.pipeline import Pipeline, Progress
from crosscheck.prepare import PreparedArticle

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


@dataclass
class Replayed:
    """What the replay stored: keys in publication order with their text hashes, ids and originals."""

    ordered: list[tuple[str, str]] = field(default_factory=list)
    article_id: dict[str, int] = field(default_factory=dict)
    original_id: dict[str, int] = field(default_factory=dict)

    def record(self, rows: list[tuple[str, int, int | None]]) -> None:
        """The ``stored`` callback of :meth:`Pipeline.ingest_prepared`."""
        for key, article_id, original_id in rows:
            self.article_id[key] = article_id
            if original_id is not None:
                self.original_id[key] = original_id

    def original_keys(self) -> dict[str, str]:
        """copy key → original key, for the copies whose original was stored by this run."""
        key_of = {article_id: key for key, article_id in self.article_id.items()}
        return {key: key_of[oid] for key, oid in self.original_id.items() if oid in key_of}


STREAMED_PARTITION = 2_000  # prepared articles per partition streamed to the driver (tens of megabytes)


def replay(
    pipeline: Pipeline,
    features: DataFrame,
    report: IngestReport,
    *,
    total: int,
    progress: Progress,
) -> Replayed:
    """Store the prepared articles of ``features`` in publication order, in ingest's chunks."""
    replayed = Replayed()
    chunks = _chunks(features, pipeline.settings.ingest_chunk, replayed, partitions=1 + total // STREAMED_PARTITION)
    pipeline.ingest_prepared(chunks, report, total=total, progress=progress, stored=replayed.record)
    return replayed


def _chunks(features: DataFrame, size: int, replayed: Replayed, *, partitions: int) -> Iterator[list[PreparedArticle]]:
    """The prepared articles, sorted on the cluster and streamed a partition at a time, ``size`` per chunk."""
    ordered = features.repartitionByRange(partitions, *PUBLICATION_ORDER).sortWithinPartitions(*PUBLICATION_ORDER)
    rows = ordered.select("key", "digest", "payload").toLocalIterator(prefetchPartitions=True)
    chunk: list[PreparedArticle] = []
    for key, digest, payload in rows:
        replayed.ordered.append((key, digest))
        chunk.append(unpickle(payload))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
