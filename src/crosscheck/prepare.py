"""The model stage of an ingest: MinHash signatures, entities, embeddings and figures for a chunk of articles.

:func:`prepare_articles` runs every model in the calling process; ``crosscheck batch`` calls it on Spark
executors. :func:`prepared_chunks` is what ``ingest`` uses: on a long run it hands entity recognition and figure
extraction to worker processes (:class:`LanguageWorkers`). spaCy's models hold the interpreter lock and run on one
core, so the ingest process alone leaves any other core idle; with workers, the next chunk's language work runs
while the ingest process embeds and writes the current one. The results are the same either way: each article's
entities and figures depend on its own text only.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from datasketch import LeanMinHash

from crosscheck.claims import ArticleFigures, ClaimExtractor
from crosscheck.clustering import Embedder
from crosscheck.dedup.near import signature as minhash_signature
from crosscheck.entities import EntityRecognizer
from crosscheck.entities.ner import Entity
from crosscheck.language_worker import FigureInput, LanguageResult, read_language
from crosscheck.language_worker import start as start_worker
from crosscheck.language_worker import work as worker_work
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings

log = logging.getLogger(__name__)

# Starting a worker loads two spaCy pipelines (about 3 s of a core each time); a shorter run than this gains less
# from a second core than the start costs, so it stays in one process.
MIN_ARTICLES_FOR_WORKERS = 100
PART_SIZE = 32  # articles per job: small enough to keep every worker busy to the end of a chunk


@dataclass
class PreparedArticle:
    """An article with what the models computed for it: the input of the write stage.

    :func:`prepare_articles` fills it; :meth:`crosscheck.pipeline.Pipeline.ingest_prepared` stores it. The two
    need not run in the same process (``crosscheck batch`` prepares on Spark executors and stores on the driver).
    """

    article: ParsedArticle
    key: str
    digest: str
    signature: LeanMinHash | None = None
    embedding: np.ndarray | None = None
    entities: list[Entity] = field(default_factory=list)
    figures: ArticleFigures | None = None


P = TypeVar("P", bound=PreparedArticle)


def embedding_text(article: ParsedArticle, settings: Settings) -> str:
    """What is embedded of an article: its title and lead."""
    return f"{article.title}\n{article.text[: settings.embedding_chars]}"


def figure_inputs(chunk: list[P], settings: Settings) -> list[FigureInput] | None:
    """What figure extraction reads of each article, or None when figures are turned off."""
    limit = settings.figure_chars
    if limit <= 0:
        return None
    # Copies too: an outlet reprinting a wire story states its figures (counted once in the ledger).
    return [(p.article.text[:limit], p.article.published) for p in chunk]


def _finish(
    chunk: list[P],
    settings: Settings,
    embedder: Embedder,
    entities: list[list[Entity]],
    found_figures: list[ArticleFigures] | None,
) -> list[P]:
    """Embed and sign the chunk and attach what the language models found."""
    embeddings = embedder.embed([embedding_text(p.article, settings) for p in chunk])
    for n, (pending, embedding) in enumerate(zip(chunk, embeddings, strict=True)):
        pending.signature = minhash_signature(
            pending.article.text, num_perm=settings.minhash_permutations, shingle_words=settings.shingle_words
        )
        pending.embedding = embedding
        pending.entities = entities[n]
        if found_figures is not None:
            pending.figures = found_figures[n]
    return chunk


def prepare_articles(
    chunk: list[P],
    settings: Settings,
    *,
    embedder: Embedder,
    recognizer: EntityRecognizer,
    figures: ClaimExtractor,
) -> list[P]:
    """Run the models on a chunk, in this process: signatures, entities, embeddings, figures. Needs no store."""
    entities, found_figures = read_language(
        [p.article.text for p in chunk], figure_inputs(chunk, settings), recognizer, figures
    )
    return _finish(chunk, settings, embedder, entities, found_figures)


# --- worker processes ---------------------------------------------------------------------------------------

Parts = list[Future[LanguageResult]]


class LanguageWorkers:
    """A pool of processes running spaCy's entity recognition and figure extraction on parts of chunks.

    Workers are started with ``spawn``: forking a process that already runs PyTorch's threads can deadlock.
    """

    def __init__(self, workers: int, settings: Settings) -> None:
        self.settings = settings
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker,
            initargs=(settings.entity_recognizer, settings.entity_chars, os.getpid()),  # workers end with this process
        )

    def submit(self, chunk: list[P]) -> Parts | None:
        """Queue a chunk's language work in parts; returns their futures in order, or None if the pool broke."""
        texts = [p.article.text for p in chunk]
        inputs = figure_inputs(chunk, self.settings)
        try:
            return [
                self._pool.submit(worker_work, texts[i : i + PART_SIZE], inputs[i : i + PART_SIZE] if inputs else None)
                for i in range(0, len(chunk), PART_SIZE)
            ]
        except BrokenProcessPool:
            return None

    def collect(self, parts: Parts) -> tuple[list[list[Entity]], list[ArticleFigures] | None]:
        """Wait for a chunk's parts and join them."""
        entities: list[list[Entity]] = []
        found: list[ArticleFigures] = []
        for part in parts:
            part_entities, part_figures = part.result()
            entities.extend(part_entities)
            found.extend(part_figures or [])
        return entities, found if self.settings.figure_chars > 0 else None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def prepared_chunks(
    chunks: Iterable[list[P]],
    settings: Settings,
    *,
    embedder: Embedder,
    recognizer: EntityRecognizer,
    figures: ClaimExtractor,
    workers: int = 0,
) -> Iterator[list[P]]:
    """Yield each chunk prepared, in order.

    With ``workers`` > 0 the language work goes to that many worker processes, one chunk ahead: while the caller
    writes a chunk, the workers read the next. A worker that dies (killed, out of memory) costs no article: that
    chunk and the rest are prepared in this process.
    """
    if workers <= 0:
        for chunk in chunks:
            yield prepare_articles(chunk, settings, embedder=embedder, recognizer=recognizer, figures=figures)
        return
    pool = LanguageWorkers(workers, settings)
    try:
        ahead: tuple[list[P], Parts | None] | None = None
        for chunk in chunks:
            queued = (chunk, pool.submit(chunk))
            if ahead is not None:
                yield _collected(*ahead, pool, settings, embedder, recognizer, figures)
            ahead = queued
        if ahead is not None:
            yield _collected(*ahead, pool, settings, embedder, recognizer, figures)
    finally:
        pool.close()


def _collected(
    chunk: list[P],
    parts: Parts | None,
    pool: LanguageWorkers,
    settings: Settings,
    embedder: Embedder,
    recognizer: EntityRecognizer,
    figures: ClaimExtractor,
) -> list[P]:
    try:
        if parts is not None:
            return _finish(chunk, settings, embedder, *pool.collect(parts))
    except BrokenProcessPool:
        log.warning("a language worker stopped; the rest of the run is prepared in the ingest process")
    return prepare_articles(chunk, settings, embedder=embedder, recognizer=recognizer, figures=figures)
