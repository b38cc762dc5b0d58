"""`recluster --reread`: stored texts read again, so that settings on how articles are read reach them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosscheck import Settings, Store
from crosscheck.cli.main import app
from crosscheck.entities import NameRecognizer
from crosscheck.entities.ner import Entity
from crosscheck.pipeline import TERMS_META, Pipeline
from crosscheck.storage import connect

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "examples" / "articles"


def _read(db: Path) -> dict[str, object]:
    """What reading an article produced, keyed by its file name: entities, features, stories and statistics."""
    conn = connect(db, readonly=True)
    names = {i: e for i, e in conn.execute("SELECT id, external_id FROM articles")}
    entities: dict[str, set[tuple[str, str, int]]] = {name: set() for name in names.values()}
    for article_id, name, label, mentions in conn.execute(
        """SELECT ae.article_id, e.name, e.label, ae.mentions FROM article_entities ae
           JOIN entities e ON e.id = ae.entity_id"""
    ):
        entities[names[article_id]].add((name, label, mentions))
    features = {
        names[i]: (embedding, minhash, terms)
        for i, embedding, minhash, terms in conn.execute(
            "SELECT article_id, embedding, minhash, terms FROM article_features"
        )
    }
    members: dict[int, set[str]] = {}
    for article_id, story_id in conn.execute("SELECT id, story_id FROM articles"):
        members.setdefault(story_id, set()).add(names[article_id])
    unused = conn.execute(
        "SELECT COUNT(*) FROM entities WHERE id NOT IN (SELECT entity_id FROM article_entities)"
    ).fetchone()[0]
    (statistics,) = conn.execute("SELECT value FROM meta WHERE key = ?", (TERMS_META,)).fetchone()
    conn.close()
    return {
        "entities": entities,
        "features": features,
        "stories": {frozenset(m) for m in members.values()},
        "unused entities": unused,
        "term statistics": bytes(statistics),
    }


def _copy(db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "copy.db"
    shutil.copy(db, copy)
    return copy


def _names_pipeline(store: Store, pipeline_factory) -> Pipeline:  # type: ignore[no-untyped-def]
    shared = pipeline_factory(store)
    return Pipeline(store, Settings(entity_recognizer="names"), embedder=shared.embedder, recognizer=NameRecognizer())


def test_reread_with_the_settings_of_the_ingest_changes_nothing(
    examples_db: Path, tmp_path: Path, pipeline_factory
) -> None:  # type: ignore[no-untyped-def]
    copy = _copy(examples_db, tmp_path)
    with Store(copy) as store:
        pipeline_factory(store).recluster(reread=True)
    assert _read(copy) == _read(examples_db)


def test_reread_with_names_ends_where_an_ingest_with_names_ends(
    examples_db: Path, tmp_path: Path, pipeline_factory
) -> None:  # type: ignore[no-untyped-def]
    reread, ingested = _copy(examples_db, tmp_path), tmp_path / "ingested.db"
    with Store(reread) as store:
        _names_pipeline(store, pipeline_factory).recluster(reread=True)
    with Store(ingested) as store:
        _names_pipeline(store, pipeline_factory).ingest([str(EXAMPLES)])
    found, expected = _read(reread), _read(ingested)
    assert found == expected
    labels = {label for entities in found["entities"].values() for _, label, _ in entities}  # type: ignore[attr-defined]
    assert labels == {"NAME"}  # spaCy's typed entities are gone, and no entity is left unused
    assert found["unused entities"] == 0


class _FailingRecognizer(NameRecognizer):
    """Reads the first chunk, then fails: a reread stopped half-way."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def recognize(self, texts: list[str]) -> list[list[Entity]]:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("stopped")
        return super().recognize(texts)


def test_a_reread_that_fails_half_way_leaves_the_store_as_it_was(
    examples_db: Path, tmp_path: Path, pipeline_factory
) -> None:  # type: ignore[no-untyped-def]
    copy = _copy(examples_db, tmp_path)
    with Store(copy) as store:
        shared = pipeline_factory(store)
        pipeline = Pipeline(store, Settings(ingest_chunk=8), embedder=shared.embedder, recognizer=_FailingRecognizer())
        with pytest.raises(RuntimeError, match="stopped"):
            pipeline.recluster(reread=True)
    assert _read(copy) == _read(examples_db)


def test_cli_recluster_reread_follows_the_entity_setting(examples_db: Path, tmp_path: Path) -> None:
    copy = _copy(examples_db, tmp_path)
    result = CliRunner().invoke(
        app, ["--db", str(copy), "recluster", "--reread"], env={"CROSSCHECK_ENTITY_RECOGNIZER": "names"}
    )
    assert result.exit_code == 0, result.output
    assert "rebuilt stories" in result.output
    labels = {label for entities in _read(copy)["entities"].values() for _, label, _ in entities}  # type: ignore[attr-defined]
    assert labels == {"NAME"}


def test_reread_in_language_workers_reads_as_in_one_process(
    examples_db: Path, tmp_path: Path, pipeline_factory, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import crosscheck.pipeline

    in_process, in_workers = _copy(examples_db, tmp_path / "one"), _copy(examples_db, tmp_path / "two")
    with Store(in_process) as store:
        _names_pipeline(store, pipeline_factory).recluster(reread=True)
    monkeypatch.setattr(crosscheck.pipeline, "MIN_ARTICLES_FOR_WORKERS", 1)  # the examples are a short run
    with Store(in_workers) as store:
        pipeline = Pipeline(store, Settings(entity_recognizer="names", model_workers=2))
        pipeline.embedder = pipeline_factory(store).embedder  # the loaded model; entities are read in the workers
        assert pipeline._workers_for(24) == 2
        pipeline.recluster(reread=True)
    assert _read(in_workers) == _read(in_process)
