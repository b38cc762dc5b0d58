"""The model stage: language worker processes give exactly what the ingest process computes by itself."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
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


_KILLED_INGEST = """
import sys
import time
import numpy as np
from crosscheck import Settings, Store
from crosscheck.pipeline import Pipeline

class Flat:  # no embedding model to load: the language workers are what is tested
    dim = 2

    def embed(self, texts):
        return np.ones((len(texts), 2), dtype=np.float32) / np.sqrt(2)

settings = Settings(model_workers=2, entity_recognizer="names")
with Store(sys.argv[1]) as store:
    Pipeline(store, settings, embedder=Flat()).ingest([sys.argv[2]])
"""


def _children(parent: int) -> dict[int, str]:
    """The live (not zombie) child processes of ``parent``, with their command lines, read from /proc."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state != "Z":
            found[int(entry.name)] = command
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_language_workers_end_when_their_ingest_is_killed(tmp_path: Path) -> None:
    lines = [
        f'{{"id": "a{n}", "title": "Report {n}", "text": "Council member {n} voted on the harbour budget in Bluestem '
        f'County on Tuesday, officials said after the meeting."}}'
        for n in range(400)
    ]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-c", _KILLED_INGEST, str(tmp_path / "x.db"), str(tmp_path / "articles.jsonl")]
    ingest = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and ingest.poll() is None:
            workers = [pid for pid, cmd in _children(ingest.pid).items() if "spawn_main" in cmd]
            time.sleep(0.2)
        assert len(workers) == 2, "the ingest started no language workers"
        time.sleep(2)  # let them start working
        ingest.kill()
        ingest.wait()
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)], "language workers outlived their killed ingest"
    finally:
        ingest.kill()
        ingest.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
