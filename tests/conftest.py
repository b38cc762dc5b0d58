"""Shared fixtures: the shared data folder, and databases built once per session by the real pipeline."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosscheck import Settings, Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "crosscheck" / "examples"


def _shared() -> Path:
    return Path(os.environ.get("CROSSCHECK_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared, or skip: the tests that need the shared research data say so."""
    path = _shared()
    if not (path / "seeds").is_dir():
        pytest.skip(f"../shared not found at {path} (set CROSSCHECK_SHARED): test needs the shared data")
    return path


@pytest.fixture(scope="session")
def pipeline_factory() -> Iterator[object]:
    """Builds pipelines that share one loaded embedding model and entity recogniser."""
    from crosscheck.clustering import MiniLMEmbedder
    from crosscheck.entities import SpacyRecognizer
    from crosscheck.pipeline import Pipeline

    embedder, recognizer = MiniLMEmbedder(), SpacyRecognizer()

    def make(store: Store, settings: Settings | None = None) -> Pipeline:
        return Pipeline(store, settings, embedder=embedder, recognizer=recognizer)

    yield make


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory, pipeline_factory) -> Path:  # type: ignore[no-untyped-def]
    """A database holding the bundled example corpus."""
    path = tmp_path_factory.mktemp("examples") / "examples.db"
    with Store(path) as store:
        pipeline_factory(store).ingest([str(EXAMPLES)])
    return path


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory, pipeline_factory, shared_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    """A database holding the five seed texts."""
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Store(path) as store:
        pipeline_factory(store).ingest([str(shared_dir / "seeds")])
    return path
