"""Corrections that stick: merge, move and split on the bundled examples hold through recluster, a re-ingest and
an import into another database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosscheck import Store
from crosscheck.cli.main import app
from crosscheck.clustering.constraints import Constraints
from crosscheck.corrections import CorrectionError, from_record, labelled_pairs, replay
from crosscheck.storage.corrections import ArticleRef, Correction, load_corrections, resolve_refs

pytest_plugins = ["postgres_fixtures"]

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "examples" / "articles"

# Groupings the clusterer does not make on its own (tests/test_pipeline.py shows its stories of the examples).
MERGED = ("009_olympics-seine-ceremony.txt", "010_olympics-celine-dion.txt")
MOVED = "020_milton-tampa-bay-aftermath.txt"
MOVED_TO = ("018_milton-landfall-siesta-key.txt", "019_milton-tornado-outbreak.txt")
SPLIT_OUT = "017_fed-cut-dissent-projections.txt"
SPLIT_FROM = ("013_fed-rate-cut-wire.txt", "016_fed-cut-borrowers.txt", "014_fed-rate-cut-reprint-bluestem.txt")


def _story_by_file(db: Path | str) -> dict[str, int]:
    with Store(db) as store:
        rows = store.conn.execute("SELECT external_id, story_id FROM articles").fetchall()
    return {name: int(story) for name, story in rows}


def _id_of(db: Path | str, name: str) -> int:
    with Store(db) as store:
        return int(store.conn.execute("SELECT id FROM articles WHERE external_id = ?", (name,)).fetchone()[0])


def _broken(db: Path | str) -> list[str]:
    """The corrections the stories in ``db`` do not keep."""
    story = _story_by_file(db)
    broken = []
    if story[MERGED[0]] != story[MERGED[1]]:
        broken.append("merge")
    if any(story[MOVED] != story[name] for name in MOVED_TO):
        broken.append("move")
    if any(story[SPLIT_OUT] == story[name] for name in SPLIT_FROM):
        broken.append("split")
    return broken


def _partition(db: Path | str) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for name, story in _story_by_file(db).items():
        groups.setdefault(story, set()).add(name)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def corrected(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples database with one merge, one move and one split made through the CLI."""
    db = tmp_path_factory.mktemp("corrected") / "corrected.db"
    shutil.copy(examples_db, db)
    assert _broken(db) == ["merge", "move", "split"]  # what the clusterer does without them
    story = _story_by_file(db)
    runner = CliRunner()
    commands = [
        ["stories", "merge", str(story[MERGED[0]]), str(story[MERGED[1]]), "--reason", "one ceremony"],
        ["articles", "move", str(_id_of(db, MOVED)), "--to", str(story[MOVED_TO[0]]), "--reason", "Milton"],
        ["stories", "split", str(story[SPLIT_OUT]), "--articles", str(_id_of(db, SPLIT_OUT)), "--reason", "dissent"],
    ]
    for command in commands:
        result = runner.invoke(app, ["--db", str(db), *command])
        assert result.exit_code == 0, result.output
    return db


def test_corrections_apply_at_once_and_redirect(corrected: Path, examples_db: Path) -> None:
    assert _broken(corrected) == []
    before = _story_by_file(examples_db)
    with Store(corrected) as store:
        merged_away = before[MERGED[1]]
        assert store.reader.resolve_story_id(merged_away) == _story_by_file(corrected)[MERGED[0]]
        kinds = [(c.kind, c.reason) for c in load_corrections(store.conn)]
        story = store.reader.story(_story_by_file(corrected)[MERGED[0]])
    assert kinds == [("merge", "one ceremony"), ("move", "Milton"), ("split", "dissent")]
    assert story is not None and story.article_count == 2 and story.headline
    assert story.why[0] == "merged by an editor: one ceremony"


def test_recluster_keeps_every_correction(corrected: Path, tmp_path: Path, pipeline_factory) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "recluster.db"
    shutil.copy(corrected, db)
    with Store(db) as store:
        pipeline_factory(store).recluster()
    assert _broken(db) == []
    with Store(db) as store:
        pipeline_factory(store).recluster(reread=True)
    assert _broken(db) == []


def test_import_then_ingest_and_recluster_reproduce_the_stories(
    corrected: Path,
    tmp_path: Path,
    pipeline_factory,  # type: ignore[no-untyped-def]
) -> None:
    exported = tmp_path / "corrections.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(corrected), "corrections", "export", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert [r["kind"] for r in records] == ["merge", "move", "split"]
    assert all(r["record"] == "crosscheck.correction" and r["together"][0]["key"] for r in records)

    # A new database that knows the corrections before its articles: the ingest obeys them as it places them.
    fresh = tmp_path / "fresh.db"
    result = runner.invoke(app, ["--db", str(fresh), "corrections", "import", str(exported)])
    assert result.exit_code == 0, result.output
    with Store(fresh) as store:
        pipeline_factory(store).ingest([str(EXAMPLES)])
    assert _broken(fresh) == []

    # Importing into a database holding the articles already, then recluster: the same stories as the original.
    again = tmp_path / "again.db"
    shutil.copy(corrected, again)
    with Store(again) as store:
        pipeline_factory(store).recluster()
    other = tmp_path / "other.db"
    with Store(other) as store:
        pipeline_factory(store).ingest([str(EXAMPLES)])
    assert _broken(other) == ["merge", "move", "split"]
    result = runner.invoke(app, ["--db", str(other), "corrections", "import", str(exported)])
    assert result.exit_code == 0 and "imported 3 corrections" in result.output
    with Store(other) as store:
        pipeline_factory(store).recluster()
    assert _partition(other) == _partition(again)
    result = runner.invoke(app, ["--db", str(other), "corrections", "import", str(exported)])
    assert "imported 0 corrections (3 known already" in result.output


def test_a_later_ingest_keeps_the_corrections(tmp_path: Path, pipeline_factory) -> None:  # type: ignore[no-untyped-def]
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    arriving = {"011_olympics-rain-security.txt", "012_olympics-ceremony-missteps.txt", MOVED_TO[1], SPLIT_OUT}
    for path in EXAMPLES.iterdir():
        shutil.copy(path, (later if path.name in arriving else first) / path.name)
    db = tmp_path / "later.db"
    with Store(db) as store:
        pipeline = pipeline_factory(store)
        pipeline.ingest([str(first)])
        story = _story_by_file(db)
        assert story[MERGED[0]] != story[MERGED[1]] and story[MOVED] != story[MOVED_TO[0]]
        pipeline.merge_stories(story[MERGED[0]], story[MERGED[1]], reason="one ceremony")
        pipeline.move_article(_id_of(db, MOVED), story[MOVED_TO[0]], reason="Milton")
        pipeline.ingest([str(later)])
    story = _story_by_file(db)
    assert story[MERGED[0]] == story[MERGED[1]] and story[MOVED] == story[MOVED_TO[0]]


def test_postgresql_keeps_the_corrections_through_recluster(  # type: ignore[no-untyped-def]
    corrected: Path, pg_url: str, tmp_path: Path, pipeline_factory
) -> None:
    exported = tmp_path / "corrections.jsonl"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(corrected), "corrections", "export", "-o", str(exported)]).exit_code == 0
    with Store(pg_url) as store:
        pipeline_factory(store).ingest([str(EXAMPLES)])
    story = _story_by_file(pg_url)
    result = runner.invoke(app, ["--db", pg_url, "stories", "merge", str(story[MERGED[0]]), str(story[MERGED[1]])])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", pg_url, "corrections", "import", str(exported)])
    assert result.exit_code == 0 and "imported 3 corrections" in result.output, result.output  # made at other times
    with Store(pg_url) as store:
        pipeline_factory(store).recluster()
        assert sorted(c.kind for c in load_corrections(store.conn)) == ["merge", "merge", "move", "split"]
    assert _broken(pg_url) == []
    again = tmp_path / "again.db"
    shutil.copy(corrected, again)
    with Store(again) as store:
        pipeline_factory(store).recluster()
    assert _partition(pg_url) == _partition(again)


def test_bad_corrections_are_refused_by_name(corrected: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    story = _story_by_file(corrected)
    result = runner.invoke(app, ["--db", str(corrected), "stories", "merge", "9999", str(story[MERGED[0]])])
    assert result.exit_code == 2 and "no story 9999" in result.output
    copy = _id_of(corrected, SPLIT_FROM[2])
    result = runner.invoke(app, ["--db", str(corrected), "articles", "move", str(copy), "--new"])
    assert result.exit_code == 2 and "is a copy of article" in result.output
    result = runner.invoke(app, ["--db", str(corrected), "articles", "move", "1"])
    assert result.exit_code != 0 and "--to STORY or --new" in result.output
    only = story[SPLIT_OUT]
    result = runner.invoke(app, ["--db", str(corrected), "stories", "split", str(only), "--at", "2000-01-01"])
    assert result.exit_code == 2 and "every article" in result.output
    result = runner.invoke(app, ["--db", str(corrected), "stories", "split", str(only), "--at", "tomorrow"])
    assert result.exit_code == 2 and "'tomorrow' is not a day" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"record": "crosscheck.correction", "version": 1, "kind": "glue"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, ["--db", str(corrected), "corrections", "import", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output and "unknown kind 'glue'" in result.output
    assert "bad.jsonl:2" in result.output


def _ref(name: str) -> ArticleRef:
    return ArticleRef(key=name, text_hash=f"h-{name}", url=None, title=name)


def test_a_later_correction_overrides_an_earlier_one() -> None:
    a, b, c, d = (_ref(n) for n in "abcd")
    ids = {a: 1, b: 2, c: 3, d: 4}
    merge = Correction("merge", "", "2024-01-01T00:00:00+00:00", [a, b, c])
    split = Correction("split", "", "2024-01-02T00:00:00+00:00", [a], [b, c])
    constraints = replay([merge, split], ids)
    assert constraints.linked(2, 3) and not constraints.linked(1, 2)
    assert constraints.kept_apart(1, 2) and constraints.kept_apart(1, 3) and not constraints.kept_apart(2, 4)
    joined = replay([merge, split, Correction("merge", "", "2024-01-03T00:00:00+00:00", [a, b, c, d])], ids)
    assert joined.linked(1, 4) and not joined.kept_apart(1, 2)
    alone = replay([split], ids)  # what is left of a split story stays together too
    assert alone.linked(2, 3) and alone.kept_apart(1, 3) and not alone.linked(1, 2)
    assert sorted(labelled_pairs([merge, split])) == [("a", "b", False), ("a", "c", False), ("b", "c", True)]
    waiting = replay([merge], {a: 1})  # b and c not stored yet: an ingest admits them by key or text hash
    waiting.admit(7, "b", "other")
    waiting.admit(8, "unknown", "h-c")
    assert waiting.linked(1, 7) and waiting.linked(7, 8)


def test_constraints_follow_placements() -> None:
    constraints = Constraints.of([[1, 2], [3]], apart=[(0, 1)])
    constraints.placed(1, 10)
    assert constraints.story_of_group(2) == 10 and constraints.story_of_group(1) is None
    assert not constraints.allows(3, 10) and constraints.allows(3, 11) and constraints.allows(99, 10)
    constraints.placed(1, 11)
    assert constraints.allows(3, 10) and constraints.story_of_group(2) == 11


def test_records_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="not a correction"):
        from_record({"kind": "merge"})
    with pytest.raises(ValueError, match='needs a "key"'):
        from_record({"record": "crosscheck.correction", "version": 1, "kind": "merge", "made_at": "x",
                     "together": [{"url": "u"}]})  # fmt: skip
    assert issubclass(CorrectionError, ValueError)


def test_references_resolve_by_key_then_text_and_copies_to_their_original(examples_db: Path) -> None:
    with Store(examples_db) as store:
        rows = store.conn.execute("SELECT id, key, text_hash, duplicate_of FROM articles ORDER BY id").fetchall()
        copy = next(r for r in rows if r[3] is not None)
        plain = next(r for r in rows if r[3] is None)
        by_key = ArticleRef(str(plain[1]), "no such text", None, "")
        by_text = ArticleRef("no such key", str(plain[2]), None, "")
        of_copy = ArticleRef(str(copy[1]), str(copy[2]), None, "")
        missing = ArticleRef("no such key", "no such text", None, "")
        found = resolve_refs(store.conn, [by_key, by_text, of_copy, missing])
    assert found == {by_key: plain[0], by_text: plain[0], of_copy: copy[3]}
