"""A story's "why together" names the evidence the split weighed: how alike its reports are, the names they share,
how close in time they are and, with the learned matcher, its strongest signals; an editor's correction first."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from crosscheck import Settings, Store
from crosscheck.clustering import ArticleFeatures
from crosscheck.clustering.evidence import story_evidence
from crosscheck.clustering.lexical import WORD_FEATURES
from crosscheck.clustering.matcher import FEATURES, PairModel, load_matcher
from crosscheck.storage.records import EntityCount
from crosscheck.summaries.story import MAX_WHY, why_together


def _reports() -> list[ArticleFeatures]:
    """Three reports over three days: the first two with one embedding, the third at right angles to them."""
    same, other = np.array([1.0, 0.0, 0.0], np.float32), np.array([0.0, 1.0, 0.0], np.float32)
    terms = {1: 1.0, WORD_FEATURES + 1: 1.0}
    return [
        ArticleFeatures(1, "2024-10-08", same, terms),
        ArticleFeatures(2, "2024-10-09", same, terms),
        ArticleFeatures(3, "2024-10-10", other, {2: 1.0, WORD_FEATURES + 1: 1.0}),
    ]


ENTITIES = [EntityCount("Hurricane Milton", "EVENT", 3), EntityCount("Tampa", "GPE", 2), EntityCount("Ohio", "GPE", 1)]


def test_the_lines_name_the_signals_of_the_hand_set_link() -> None:
    evidence = story_evidence(_reports(), Settings())
    assert evidence.embedding == pytest.approx(1 / 3) and evidence.terms == pytest.approx(2 / 3)
    assert evidence.days == 2 and evidence.reasons == []  # the hand-set link has no learned weights to name
    assert why_together(ENTITIES, 3, evidence) == [
        "reports 0.33 alike on average (embedding of title and lead), 0.67 in words and names",
        "names in common: Hurricane Milton (3), Tampa (2)",
        "published within 2 days",
    ]


def test_the_learned_matcher_names_its_strongest_signals(tmp_path: Path) -> None:
    weights = {"embedding_cosine": 0.6, "term_cosine": 0.3, "news_days": -0.05}
    n = len(FEATURES)
    path = tmp_path / "matcher.json"
    PairModel(list(FEATURES), [0.0] * n, [1.0] * n, [weights.get(f, 0.0) for f in FEATURES], 0.0, 0.25, False).save(
        path
    )
    load_matcher.cache_clear()
    evidence = story_evidence(_reports(), replace(Settings(), story_matcher="learned", matcher_path=str(path)))
    # weight × the signal's average over the pairs: 0.6 × 1/3, 0.3 × 2/3, −0.05 × 4/3 news days
    assert [(name, round(value, 3)) for name, value in evidence.reasons] == [
        ("embedding_cosine", 0.2),
        ("term_cosine", 0.2),
        ("news_days", -0.067),
    ]
    lines = why_together(ENTITIES, 3, evidence)
    assert len(lines) == MAX_WHY
    assert lines[-1] == (
        "the matcher's strongest reasons: similar title and lead (+0.20), shared words and names (+0.20); "
        "against: news days apart (-0.07)"
    )


def test_a_story_of_one_report_names_its_names_and_nothing_alike() -> None:
    one = _reports()[:1]
    assert why_together(ENTITIES, 1, story_evidence(one, Settings())) == [
        "names: Hurricane Milton (3), Tampa (2), Ohio (1)"
    ]


def test_the_examples_stories_say_why_in_the_matchers_terms(examples_db: Path) -> None:
    with Store(examples_db) as store:
        story_id = int(store.conn.execute("SELECT story_id FROM articles WHERE external_id LIKE '016_%'").fetchone()[0])
        story = store.reader.story(story_id)
    assert story is not None and 1 <= len(story.why) <= MAX_WHY
    assert story.why[0].startswith("reports ") and "alike on average (embedding of title and lead)" in story.why[0]
    assert any(line.startswith("names in common: ") and "Jerome Powell" in line for line in story.why)
    assert any(line.startswith("published ") for line in story.why)
