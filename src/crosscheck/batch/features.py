"""The per-article work on the executors: MinHash signatures, entities, embeddings and figures.

One ``mapInPandas`` call: each Arrow batch (``ingest_chunk`` rows, the batch size ingest uses) goes through
:func:`crosscheck.prepare.prepare_articles`, the very function ingest runs, with models loaded once per Python
worker and kept between tasks. Each row comes back with its prepared article pickled, its MinHash values and LSH
band keys for the duplicate join, and the seconds each model took (on the first row of its batch).
"""

from __future__ import annotations

import importlib
import os
import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from crosscheck.batch.read import article_from_json
from crosscheck.batch.session import TASK_THREADS_ENV
from crosscheck.prepare import PreparedArticle, prepare_articles
from crosscheck.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from crosscheck.claims import ArticleFigures, ClaimExtractor
    from crosscheck.clustering import Embedder
    from crosscheck.entities import EntityRecognizer

Frame = Any  # a pandas DataFrame: pandas ships no type information
STAGES = ("signatures", "entities", "embeddings", "figures")
FEATURE_SCHEMA = (
    "key STRING, digest STRING, undated BOOLEAN, published STRING, payload BINARY, hashvalues ARRAY<BIGINT>, "
    "bands ARRAY<BINARY>, embedding ARRAY<FLOAT>, entities ARRAY<STRUCT<name: STRING, label: STRING, mentions: INT>>, "
    + ", ".join(f"t_{stage} DOUBLE" for stage in STAGES)
)


@dataclass
class _Timer:
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    def add(self, stage: str, started: float) -> None:
        self.seconds[stage] += time.perf_counter() - started


class _TimedEmbedder:
    def __init__(self, inner: Embedder, timer: _Timer) -> None:
        self.inner, self.timer, self.dim = inner, timer, inner.dim

    def embed(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.timer.add("embeddings", started)


class _TimedRecognizer:
    def __init__(self, inner: EntityRecognizer, timer: _Timer) -> None:
        self.inner, self.timer = inner, timer

    def recognize(self, texts: list[str]) -> list[list[tuple[str, str, int]]]:
        started = time.perf_counter()
        try:
            return self.inner.recognize(texts)
        finally:
            self.timer.add("entities", started)


class _TimedFigures:
    def __init__(self, inner: ClaimExtractor, timer: _Timer) -> None:
        self.inner, self.timer = inner, timer

    def extract_many(self, articles: Any) -> list[ArticleFigures]:
        started = time.perf_counter()
        try:
            return self.inner.extract_many(articles)
        finally:
            self.timer.add("figures", started)


_MODELS: dict[tuple[str, int], tuple[Embedder, EntityRecognizer, ClaimExtractor]] = {}


def _models(settings: Settings) -> tuple[Embedder, EntityRecognizer, ClaimExtractor]:
    """The worker's models, loaded on its first batch; Python workers are reused, so once per worker."""
    key = (settings.entity_recognizer, settings.entity_chars)
    if key not in _MODELS:
        from crosscheck.claims import ClaimExtractor
        from crosscheck.clustering import MiniLMEmbedder
        from crosscheck.entities import make_recognizer

        _limit_threads()
        _MODELS[key] = (MiniLMEmbedder(), make_recognizer(*key), ClaimExtractor())
    return _MODELS[key]


def _limit_threads() -> None:
    # Each task is given one core by Spark; torch would otherwise start a thread per core of the machine in
    # every worker, and the workers would fight over them.
    threads = int(os.environ.get(TASK_THREADS_ENV, "0") or 0)
    if threads > 0:
        import torch

        torch.set_num_threads(threads)


def band_ranges(settings: Settings) -> list[tuple[int, int]]:
    """The LSH bands of :class:`crosscheck.dedup.NearDuplicateIndex`: same threshold, same permutations."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=settings.near_duplicate_threshold, num_perm=settings.minhash_permutations)
    return [(int(start), int(end)) for start, end in lsh.hashranges]


def prepare_batch(frame: Frame, settings: Settings, bands: list[tuple[int, int]]) -> Frame:
    """Prepare one batch of article rows (key, digest, undated, published, article) into FEATURE_SCHEMA rows."""
    pd: Any = importlib.import_module("pandas")  # imported here: only executors need it; it ships no types

    timer = _Timer()
    embedder, recognizer, figures = _models(settings)
    chunk = [
        PreparedArticle(article_from_json(payload), key, digest)
        for key, digest, payload in zip(frame["key"], frame["digest"], frame["article"], strict=True)
    ]
    started = time.perf_counter()
    prepare_articles(
        chunk,
        settings,
        embedder=_TimedEmbedder(embedder, timer),
        recognizer=_TimedRecognizer(recognizer, timer),
        figures=cast("ClaimExtractor", _TimedFigures(figures, timer)),  # the one method it uses, timed
    )
    total = time.perf_counter() - started
    timer.seconds["signatures"] = max(0.0, total - sum(timer.seconds.values()))  # what the models did not take
    values = [_hashvalues(p) for p in chunk]
    out = pd.DataFrame(
        {
            "key": frame["key"],
            "digest": frame["digest"],
            "undated": frame["undated"],
            "published": frame["published"],
            "payload": [pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL) for p in chunk],
            "hashvalues": [v.astype(np.int64).tolist() for v in values],
            "bands": [[v[start:end].tobytes() for start, end in bands] for v in values],
            "embedding": [np.asarray(p.embedding, dtype=np.float32).tolist() for p in chunk],
            "entities": [[{"name": n, "label": label, "mentions": m} for n, label, m in p.entities] for p in chunk],
        }
    )
    for stage in STAGES:
        out[f"t_{stage}"] = [timer.seconds[stage]] + [0.0] * (len(chunk) - 1)
    return out


def _hashvalues(prepared: PreparedArticle) -> np.ndarray:
    assert prepared.signature is not None
    return np.asarray(prepared.signature.hashvalues, dtype=np.uint32)


def prepare_all(articles: DataFrame, settings: Settings, partitions: int) -> DataFrame:
    """Every article prepared, spread over ``partitions`` tasks (by key, so reruns spread alike)."""
    bands = band_ranges(settings)

    def run(batches: Iterator[Frame]) -> Iterator[Frame]:
        for frame in batches:
            if len(frame):
                yield prepare_batch(frame, settings, bands)

    columns = articles.select("key", "digest", "undated", "published", "article")
    return columns.repartition(partitions, "key").mapInPandas(run, FEATURE_SCHEMA)


def unpickle(payload: bytes) -> PreparedArticle:
    """A prepared article from its ``payload`` column (written by this package's own workers)."""
    prepared = pickle.loads(payload)
    assert isinstance(prepared, PreparedArticle)
    return prepared
