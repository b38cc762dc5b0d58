"""``crosscheck batch`` on Spark (local mode) against ``crosscheck ingest`` on the same inputs.

One Spark session and one batch run serve the whole module. Skipped when pyspark, pandas, pyarrow or Java is
missing.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crosscheck import Settings, Store
from crosscheck.batch.compare import agreement, snapshot, snapshot_file
from crosscheck.batch.dedup import resolve_duplicates
from crosscheck.batch.session import spark_unavailable
from crosscheck.models import IngestReport

pytest_plugins = ["postgres_fixtures"]

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "examples" / "articles"


_WORDS = ("council", "harbour", "ferry", "strike", "budget", "minister", "river", "bridge", "school", "museum",
          "festival", "railway", "airport", "police", "hospital", "election", "court", "farmers", "vote", "storm",
          "flood", "drought", "tariff", "factory", "union", "teachers", "nurses", "road", "tunnel", "mayor", "senate",
          "treaty", "summit", "border", "fishing", "wind", "solar", "grid", "water", "price", "rent")  # fmt: skip


def _text(rng: random.Random, words: int = 140) -> str:
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + ".")
    return " ".join(sentences)


def _near_copy(text: str, rng: random.Random) -> str:
    words = text.split()
    words[rng.randrange(len(words) - 10, len(words))] = "edited"  # a few shingles differ: far above the threshold
    return " ".join(words)


def _duplicate_heavy_lines() -> list[str]:
    """Originals with exact copies, near copies, a copy of a copy, undated items, a repeated URL, bad lines."""
    rng = random.Random(11)
    rows: list[dict[str, Any]] = []
    for n in range(6):
        text = _text(rng)
        base = {"title": f"Report {n}", "source": "Test Wire", "published": f"2024-03-{n + 1:02d}"}
        rows.append({**base, "url": f"https://wire.example/{n}", "text": text})
        rows.append({**base, "url": f"https://reprint.example/{n}", "text": text, "published": f"2024-03-{n + 2:02d}"})
        near = _near_copy(text, rng)
        rows.append({**base, "url": f"https://daily.example/{n}", "text": near, "published": f"2024-03-{n + 3:02d}"})
        rows.append({**base, "url": f"https://copy.example/{n}", "text": near, "published": None})
    rows.append({"url": "https://wire.example/0", "text": _text(rng), "published": "2024-02-01"})  # same key
    lines = [json.dumps(row) for row in rows]
    lines.insert(5, '{"url": "https://broken.example/1", "text": ')
    lines.insert(9, json.dumps({"url": "https://empty.example/1", "title": "no text here"}))
    return lines


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    why = spark_unavailable()
    if why is not None:
        pytest.skip(f"crosscheck batch needs Spark: {why}")
    from crosscheck.batch import spark_session

    session = spark_session("local[2]", partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("batch-inputs")
    (folder / "wire.jsonl").write_text("\n".join(_duplicate_heavy_lines()) + "\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    return [str(EXAMPLES), str(folder)]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, pipeline_factory: Any, inputs: list[str]) -> Any:
    path = tmp_path_factory.mktemp("batch-ingest") / "ingest.db"
    with Store(path) as store:
        report = pipeline_factory(store).ingest(inputs)
    return path, report


@pytest.fixture(scope="module")
def batched(tmp_path_factory: pytest.TempPathFactory, spark: Any, inputs: list[str]) -> Any:
    from crosscheck.batch import run_batch

    folder = tmp_path_factory.mktemp("batch-run")
    with Store(folder / "batch.db") as store:
        result = run_batch(spark, inputs, store, Settings(), parquet=folder / "parquet")
    return folder, result


def test_same_articles_duplicates_and_stories_as_ingest(batched: Any, ingested: Any) -> None:
    folder, _ = batched
    found = agreement(snapshot_file(folder / "batch.db"), snapshot_file(ingested[0]))
    assert found["same_articles"] and found["same_duplicate_sets"] and found["same_duplicate_links"], found
    assert found["duplicates"] == 20, found  # 2 reprints among the examples, 3 copies of each wire.jsonl original
    assert isinstance(found["bcubed_f1"], float) and found["bcubed_f1"] >= 0.98, found
    assert found["identical_partition"], found  # the replay is ingest's own code: expected exact


def test_report_counts_match_ingest_and_the_join_agrees(batched: Any, ingested: Any) -> None:
    batch: IngestReport = batched[1].report
    ingest: IngestReport = ingested[1]
    assert (batch.read, batch.added, batch.already_stored, batch.duplicates) == (
        ingest.read,
        ingest.added,
        ingest.already_stored,
        ingest.duplicates,
    )
    assert (batch.stories_created, batch.stories_touched) == (ingest.stories_created, ingest.stories_touched)
    assert batched[1].duplicates_check == "same"


def test_bad_items_are_reported_with_item_and_reason_and_the_rest_goes_on(batched: Any, ingested: Any) -> None:
    batch: IngestReport = batched[1].report
    failures = [str(failure) for failure in batch.failures]
    assert failures == [str(failure) for failure in ingested[1].failures]
    assert any("wire.jsonl:6" in line and "invalid JSON" in line for line in failures), failures
    assert any("wire.jsonl:10" in line and "missing text" in line for line in failures), failures
    assert any("binary.txt" in line for line in failures), failures
    assert batch.added == 24 + 24  # every example and every good line but the repeated URL


def test_parquet_holds_one_row_per_prepared_article(batched: Any, spark: Any) -> None:
    folder, result = batched
    features = spark.read.parquet(str(folder / "parquet" / "features"))
    assert features.count() == result.prepared == 48
    row = features.first()
    assert len(row.embedding) == 384 and len(row.hashvalues) == Settings().minhash_permutations
    assert spark.read.parquet(str(folder / "parquet" / "stored")).count() == 48


def test_rerun_through_the_cli_is_idempotent(batched: Any, inputs: list[str], tmp_path: Path) -> None:
    from crosscheck.cli.main import app

    db = tmp_path / "again.db"
    shutil.copy(batched[0] / "batch.db", db)
    before = snapshot_file(db)
    result = CliRunner().invoke(app, ["batch", *inputs, "--out", str(db)])
    assert result.exit_code == 1, result.output  # the bad items are still bad
    assert "added 0" in result.output and "already stored 49" in result.output, result.output
    assert "invalid JSON" in result.output
    assert snapshot_file(db) == before


def test_out_postgresql_stores_what_sqlite_stores(batched: Any, inputs: list[str], pg_url: str) -> None:
    from crosscheck.cli.main import app

    result = CliRunner().invoke(app, ["batch", *inputs, "--out", pg_url])
    assert result.exit_code == 1, result.output  # the bad items are reported, the rest stored
    assert "added 48" in result.output, result.output
    with Store(pg_url) as store:
        found = agreement(snapshot(store.reader), snapshot_file(batched[0] / "batch.db"))
    assert found["same_articles"] and found["same_duplicate_links"] and found["identical_partition"], found


def test_batch_obeys_imported_corrections(ingested: Any, spark: Any, tmp_path: Path) -> None:
    from crosscheck.batch import run_batch
    from crosscheck.corrections import export_corrections, import_corrections, read_records
    from crosscheck.pipeline import Pipeline

    names = ("009_olympics-seine-ceremony.txt", "010_olympics-celine-dion.txt")  # two stories, left to themselves
    source = tmp_path / "corrected.db"
    shutil.copy(ingested[0], source)
    with Store(source) as store:
        story = dict(store.conn.execute("SELECT external_id, story_id FROM articles").fetchall())
        assert story[names[0]] != story[names[1]]
        Pipeline(store).merge_stories(story[names[0]], story[names[1]], reason="one ceremony")
        exported = tmp_path / "corrections.jsonl"
        with exported.open("w", encoding="utf-8") as fh:
            export_corrections(store, fh)
    with Store(tmp_path / "batch.db") as store:
        with store.transaction(), exported.open(encoding="utf-8") as fh:
            assert import_corrections(store, [c for _, c in read_records(fh) if not isinstance(c, str)]) == (1, 0)
        run_batch(spark, [str(EXAMPLES)], store, Settings())
        story = dict(store.conn.execute("SELECT external_id, story_id FROM articles").fetchall())
    assert story[names[0]] == story[names[1]]


def test_duplicates_are_resolved_in_publication_order_as_ingest_does() -> None:
    ordered = [("a", "h1"), ("b", "h2"), ("c", "h1"), ("d", "h3"), ("e", "h3"), ("f", "h4")]
    pairs = [("a", "d"), ("b", "d"), ("d", "f"), ("b", "f")]
    found = resolve_duplicates(ordered, pairs)
    # c: exact copy of a; d: near copy of the earliest original (a); e: exact copy of d, so of a;
    # f: near only to d (a copy, not in the index) and to b, an original.
    assert found.original_of == {"c": "a", "d": "a", "e": "a", "f": "b"}
    assert found.kind == {"c": "exact", "d": "near", "e": "exact", "f": "near"}


def test_missing_java_is_a_clear_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "")
    why = spark_unavailable()
    assert why is not None and ("Java" in why or "not installed" in why)
