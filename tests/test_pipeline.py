"""The whole pipeline on real text: stories, duplicates, idempotence, order independence."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from crosscheck import Settings, Store
from crosscheck.entities.canonical import count_story_entities, story_entities
from crosscheck.models import StoryState
from crosscheck.storage import Reader, connect

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "examples" / "articles"
EXPECTED = json.loads((EXAMPLES.parent / "stories.json").read_text(encoding="utf-8"))


def _partition(db: Path) -> dict[str, int]:
    conn = connect(db, readonly=True)
    rows = conn.execute("SELECT external_id, story_id FROM articles").fetchall()
    conn.close()
    return {r[0]: r[1] for r in rows}


def _gold() -> dict[str, str]:
    return {name: story for story, names in EXPECTED["stories"].items() for name in names}


def test_unrelated_events_never_share_a_story(examples_db: Path) -> None:
    predicted, gold = _partition(examples_db), _gold()
    assert set(predicted) == set(gold)
    for a, b in itertools.combinations(gold, 2):
        if gold[a] != gold[b]:
            assert predicted[a] != predicted[b], f"{a} and {b} cover different events but share a story"


# Regression floor, measured: 13 of 34 same-event pairs of the examples are grouped with the settings that are
# best on the labelled abp month. The examples cover each event from deliberately different angles in a corpus
# of 24 texts, where term weights carry little; raising this floor is the clustering-quality work.
SAME_EVENT_FLOOR = 0.35


def test_articles_of_one_event_share_a_story_at_least_as_often_as_measured(examples_db: Path) -> None:
    predicted, gold = _partition(examples_db), _gold()
    pairs = [(a, b) for a, b in itertools.combinations(gold, 2) if gold[a] == gold[b]]
    together = sum(predicted[a] == predicted[b] for a, b in pairs)
    assert together / len(pairs) >= SAME_EVENT_FLOOR, f"only {together} of {len(pairs)} same-event pairs grouped"


def test_reprints_are_duplicates_counted_once(examples_db: Path) -> None:
    reader = Reader(connect(examples_db, readonly=True))
    by_name = {a.external_id: a for a in reader.iter_articles()}
    for reprint, original in EXPECTED["duplicates"].items():
        assert by_name[reprint].duplicate_of == by_name[original].id
        assert by_name[reprint].duplicate_kind == "near"
        assert by_name[reprint].story_id == by_name[original].story_id
    story = reader.story(by_name[next(iter(EXPECTED["duplicates"].values()))].story_id or 0)
    assert story is not None
    assert story.report_count == story.article_count - len(EXPECTED["duplicates"])


def test_stories_have_headline_bullets_and_counts(examples_db: Path) -> None:
    reader = Reader(connect(examples_db, readonly=True))
    for story in reader.stories(limit=100):
        assert story.headline
        assert story.bullets, f"story {story.id} has no bullets"
        members = set(story.article_ids) if story.article_ids else {a.id for a in reader.story_articles(story.id)}
        for bullet in story.bullets:
            assert set(bullet.article_ids) <= members
        if story.report_count >= 3:
            assert 3 <= len(story.bullets) <= 5


def test_undated_articles_stay_undated(examples_db: Path) -> None:
    reader = Reader(connect(examples_db, readonly=True))
    undated = [a for a in reader.iter_articles() if a.published is None]
    assert len(undated) >= 2


def test_reingest_adds_nothing(examples_db: Path, tmp_path: Path, pipeline_factory) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "again.db"
    shutil.copy(examples_db, copy)
    before = _partition(copy)
    with Store(copy) as store:
        report = pipeline_factory(store).ingest([str(EXAMPLES)])
        counts = store.reader.counts()
    assert (report.added, report.already_stored) == (0, report.read)
    assert counts["articles"] == len(before)
    assert _partition(copy) == before


def test_file_order_does_not_change_stories(examples_db: Path, tmp_path: Path, pipeline_factory) -> None:  # type: ignore[no-untyped-def]
    files = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    with Store(tmp_path / "reversed.db") as store:
        report = pipeline_factory(store).ingest(list(reversed(files)))
        live = store.conn.execute("SELECT COUNT(*) FROM stories WHERE article_count > 0").fetchone()[0]
    # into an empty database, every story left was created (and touched) by this run: merges and splits counted
    assert report.stories_created == report.stories_touched == live

    def groups(db: Path) -> set[frozenset[str]]:
        by_story: dict[int, set[str]] = {}
        for name, story in _partition(db).items():
            by_story.setdefault(story, set()).add(name)
        return {frozenset(g) for g in by_story.values()}

    assert groups(tmp_path / "reversed.db") == groups(examples_db)


def test_seeds_form_one_story(seeds_db: Path) -> None:
    reader = Reader(connect(seeds_db, readonly=True))
    stories = reader.stories(limit=10)
    assert len(stories) == 1, [s.headline for s in stories]
    story = stories[0]
    assert story.article_count == 5
    assert len(story.bullets) >= 3
    assert any("NATO" in b.text for b in story.bullets)
    names = {a.external_id for a in reader.story_articles(story.id)}
    assert any(n.startswith("004_") for n in names)


@pytest.mark.parametrize("label", ["GPE", "PERSON", "ORG"])
def test_seed_story_entities(seeds_db: Path, label: str) -> None:
    reader = Reader(connect(seeds_db, readonly=True))
    story = reader.stories(limit=1)[0]
    names = {e.name for e in story_entities(reader, story.id, limit=100) if e.label == label}
    expected = {"GPE": "Brussels", "PERSON": "Rutte", "ORG": "NATO"}[label]
    assert any(expected in n for n in names), names


def test_stored_story_entities_are_those_counted_from_every_mention(examples_db: Path) -> None:
    conn = connect(examples_db, readonly=True)
    try:
        reader = Reader(conn)
        ids = [r[0] for r in conn.execute("SELECT id FROM stories WHERE article_count > 0")]
        stored = conn.execute("SELECT COUNT(*) FROM stories WHERE article_count > 0 AND entities IS NULL").fetchone()
        assert ids and stored[0] == 0, "every story summarised keeps its entities"
        for story_id in ids:
            assert story_entities(reader, story_id, limit=40) == count_story_entities(reader, story_id, limit=40)
        assert any(story_entities(reader, story_id) for story_id in ids)
    finally:
        conn.close()


def test_stories_without_stored_entities_count_them(examples_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "before-6.db"
    shutil.copy(examples_db, db)
    conn = connect(db)
    conn.execute("UPDATE stories SET entities = NULL")
    conn.commit()
    reader = Reader(conn)
    story_id = conn.execute("SELECT id FROM stories ORDER BY article_count DESC LIMIT 1").fetchone()[0]
    assert story_entities(reader, story_id, limit=40) == count_story_entities(reader, story_id, limit=40) != []
    conn.close()


def _summaries(db: Path) -> dict[tuple[str, ...], tuple[object, ...]]:
    """Each story's summary and counts, keyed by its members (story ids differ between databases)."""
    conn = connect(db, readonly=True)
    members: dict[int, list[str]] = {}
    for external_id, story_id in conn.execute("SELECT external_id, story_id FROM articles"):
        members.setdefault(story_id, []).append(external_id)
    rows = conn.execute("SELECT id, headline, bullets, why, entities, article_count, outlet_count FROM stories")
    found = {tuple(sorted(members[row[0]])): row[1:] for row in rows if row[0] in members}
    conn.close()
    return found


def test_stories_later_chunks_add_to_are_summarised_when_the_ingest_settles_as_in_one_chunk(
    examples_db: Path, tmp_path: Path, pipeline_factory, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # Three articles at a time: a story a later chunk adds to is only recounted then, and summarised when the
    # ingest settles, ending with the same summaries as an ingest that reads the examples in one chunk.
    recounted: list[int] = []
    with Store(tmp_path / "deferred.db") as store:
        pipeline = pipeline_factory(store, Settings(ingest_chunk=3))
        recount = store.recount_story
        monkeypatch.setattr(store, "recount_story", lambda story_id: (recounted.append(story_id), recount(story_id)))
        pipeline.ingest([str(EXAMPLES)])
    assert recounted, "no story was added to by a later chunk"
    assert _summaries(tmp_path / "deferred.db") == _summaries(examples_db)


def test_recluster_of_the_examples_ends_where_their_ingest_ended_summaries_included(
    examples_db: Path, tmp_path: Path, pipeline_factory
) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "rebuilt.db"
    shutil.copy(examples_db, copy)
    with Store(copy) as store:
        pipeline_factory(store).recluster()
    assert _summaries(copy) == _summaries(examples_db)


def test_a_story_state_reloads_from_the_store_as_it_was_saved(tmp_path: Path) -> None:
    # A recluster saves the rebuilt stories' states, then settles them in a second transaction from the reloaded
    # index; a story's report count is what its second look asks ("started by a single report?").
    with Store(tmp_path / "state.db") as store:
        story_id = store.create_story()
        store.save_story_state(
            StoryState(story_id, np.ones(4, dtype=np.float32), {7: 0.5}, "2018-09-01", "2018-09-03", 3)
        )
        (loaded,) = store.story_states()
    assert (loaded.id, dict(loaded.terms), loaded.first_seen, loaded.last_seen, loaded.reports) == (
        story_id,
        {7: 0.5},
        "2018-09-01",
        "2018-09-03",
        3,
    )
    assert loaded.centroid.tolist() == [1.0, 1.0, 1.0, 1.0]
