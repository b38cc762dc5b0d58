"""The model stage: language worker processes give exactly what the ingest process computes by itself."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from crosscheck import Settings, Store
from crosscheck.ingest import read_inputs
from crosscheck.prepare import PreparedArticle, prepare_articles, prepared_chunks

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "examples" / "articles"


def _chunks(size: int) -> list[list[PreparedArticle]]:
    articles = [item for item in read_inputs([str(EXAMPLES)], Settings()) if not hasattr(item, "reason")]
    prepared = [PreparedArticle(a, str(n), str(n)) for n, a in enumerate(articles)]  # type: ignore[arg-type]
    return [prepared[i : i + size] for i in range(0, len(prepared), size)]


def _outputs(chunks: list[list[PreparedArticle]]) -> list[tuple[object, ...]]:
    return [
        (p.entities, p.figures, p.signature.hashvalues.tolist() if p.signature else None, p.embedding)
        for chunk in chunks
        for p in chunk
    ]


def _assert_same(got: list[tuple[object, ...]], expected: list[tuple[object, ...]]) -> None:
    assert len(got) == len(expected)
    for (entities, figures, signature, embedding), (e_entities, e_figures, e_signature, e_embedding) in zip(
        got, expected, strict=True
    ):
        assert entities == e_entities
        assert figures == e_figures
        assert signature == e_signature
        assert np.allclose(embedding, e_embedding)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def in_process(pipeline_factory) -> tuple[object, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    models = pipeline_factory(Store(":memory:"))
    chunks = _chunks(10)
    for chunk in chunks:
        prepare_articles(
            chunk, Settings(), embedder=models.embedder, recognizer=models.recognizer, figures=models.figures
        )
    return models, _outputs(chunks)


def test_workers_find_the_same_entities_and_figures(in_process) -> None:  # type: ignore[no-untyped-def]
    models, expected = in_process
    assert any(entities for entities, *_ in expected), "the examples name entities"
    got = list(
        prepared_chunks(
            _chunks(10),
            Settings(),
            embedder=models.embedder,
            recognizer=models.recognizer,
            figures=models.figures,
            workers=2,
        )
    )
    assert [len(c) for c in got] == [len(c) for c in _chunks(10)]
    _assert_same(_outputs(got), expected)


def test_a_killed_worker_costs_no_article(in_process, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    models, expected = in_process

    def killing() -> Iterator[list[PreparedArticle]]:
        for n, chunk in enumerate(_chunks(10)):
            if n == 1:  # chunk 0 is queued with the workers: kill them all
                for child in multiprocessing.active_children():
                    os.kill(child.pid or 0, signal.SIGKILL)
            yield chunk

    got = list(
        prepared_chunks(
            killing(),
            Settings(),
            embedder=models.embedder,
            recognizer=models.recognizer,
            figures=models.figures,
            workers=1,
        )
    )
    assert "language worker stopped" in caplog.text
    _assert_same(_outputs(got), expected)


def test_no_workers_for_short_runs_or_given_models(pipeline_factory) -> None:  # type: ignore[no-untyped-def]
    from crosscheck.pipeline import Pipeline

    given = pipeline_factory(Store(":memory:"))
    assert given._workers_for(10_000) == 0  # models passed in cannot be rebuilt in a worker
    default = Pipeline(Store(":memory:"), Settings(model_workers=3))
    assert default._workers_for(99) == 0
    assert default._workers_for(100) == 3


def test_a_worker_runs_without_pytorch() -> None:
    # spaCy's numeric layer would import PyTorch (about 300 MB a process) only because it is installed.
    script = (
        "import sys\n"
        "from crosscheck.language_worker import start, work\n"
        'start("spacy", 6000)\n'
        "entities, _ = work(['Angela Merkel met Emmanuel Macron in Paris.'], None)\n"
        "print(sorted(name for name, *_ in entities[0]), sys.modules.get('torch'), 'sklearn' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split("\n")[0] == "['Angela Merkel', 'Emmanuel Macron', 'Paris'] None False"
