"""Splitting a story into its developments: the grouping itself, the index update, and the ingest hook."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from crosscheck import Settings, Store
from crosscheck.claims import ClaimExtractor
from crosscheck.clustering import ArticleFeatures, Clusterer, StoryIndex
from crosscheck.clustering.evaluation import score_clustering
from crosscheck.clustering.segment import day_distance, developments, split_stories
from crosscheck.models import ParsedArticle, StoryState
from crosscheck.pipeline import Pipeline
from crosscheck.storage import connect

SAME = np.eye(8, dtype=np.float32)[0]
TERMS = {1: 0.6, 2: 0.6, 3: 0.529}
# A later development of the same saga: embedding cosine 0.5 and term cosine 0.12 with the first one.
LATER = np.array([0.5, 0.75**0.5, 0, 0, 0, 0, 0, 0], dtype=np.float32)
LATER_TERMS = {1: 0.2, 4: 0.7, 5: 0.685}


def _report(
    article_id: int, day: int | None, embedding: np.ndarray = SAME, terms: dict[int, float] = TERMS
) -> ArticleFeatures:
    return ArticleFeatures(article_id, None if day is None else f"2018-09-{day:02d}", embedding, dict(terms))


def _saga() -> list[ArticleFeatures]:
    """Two developments covered day after day: three reports on days 1–3, then three on days 4–6."""
    first = [_report(day, day) for day in (1, 2, 3)]
    return first + [_report(day, day, LATER, LATER_TERMS) for day in (4, 5, 6)]


def test_developments_are_told_apart_by_content_and_news_days_together() -> None:
    assert developments(_saga(), Settings()) == [[0, 1, 2], [3, 4, 5]]
    # Alike enough to stay one story were they reported the same day.
    assert developments(_saga(), replace(Settings(), development_day_penalty=0.0)) == [list(range(6))]


def test_a_follow_up_weeks_later_is_one_news_day_on() -> None:
    assert developments([_report(1, 1), _report(2, 2), _report(3, 30)], Settings()) == [[0, 1, 2]]


def test_a_story_covered_every_day_alike_stays_whole() -> None:
    members = [_report(i, i) for i in range(1, 11)]
    assert developments(members, Settings()) == [list(range(10))]


def test_unrelated_reports_of_one_day_are_split_and_the_step_can_be_turned_off() -> None:
    other = ArticleFeatures(3, "2018-09-01", np.eye(8, dtype=np.float32)[1], {7: 1.0})
    members = [_report(1, 1), _report(2, 1), other]
    assert developments(members, Settings()) == [[0, 1], [2]]
    assert developments(members, replace(Settings(), development_threshold=0.0)) == [[0, 1, 2]]


def test_news_days_skip_days_without_reports_and_undated_reports_are_no_days_away() -> None:
    gaps = day_distance([_report(1, 1), _report(2, None), _report(3, 9), _report(4, 20)])
    assert gaps.tolist() == [[0, 0, 1, 2], [0, 0, 0, 0], [1, 0, 0, 1], [2, 0, 1, 0]]


def _clusterer(first_new_id: int) -> Clusterer:
    ids = itertools.count(first_new_id)
    return Clusterer(Settings(), StoryIndex(), lambda: next(ids))


def test_splitting_one_story_cuts_it_and_the_largest_development_keeps_the_id() -> None:
    clusterer = _clusterer(101)  # story 100 exists already
    members = [*_saga(), _report(7, 6, LATER, LATER_TERMS)]
    clusterer.index.put(clusterer.rebuild(100, members))  # one story, whatever placement would say
    result = split_stories(clusterer, {100: members})
    assert [(state.id, [m.article_id for m in part]) for state, part in result.parts] == [
        (101, [1, 2, 3]),
        (100, [4, 5, 6, 7]),
    ]
    assert result.emptied == {}
    early, late = clusterer.index.states[101], clusterer.index.states[100]
    assert (early.reports, early.first_seen, early.last_seen) == (3, "2018-09-01", "2018-09-03")
    assert (late.reports, late.first_seen, late.last_seen) == (4, "2018-09-04", "2018-09-06")
    unchanged = split_stories(clusterer, {100: members[3:]})
    assert unchanged.parts == [] and unchanged.emptied == {}


def test_stories_of_a_saga_that_are_one_development_rejoin_and_the_emptied_one_is_named() -> None:
    clusterer = _clusterer(300)
    small, large = [_report(1, 1)], [_report(2, 1), _report(3, 2)]
    for story_id, members in ((200, small), (201, large)):
        clusterer.index.put(clusterer.rebuild(story_id, members))
    result = split_stories(clusterer, {200: small, 201: large})
    assert [(state.id, [m.article_id for m in part]) for state, part in result.parts] == [(201, [1, 2, 3])]
    assert result.emptied == {200: 201}
    assert 200 not in clusterer.index.states and clusterer.index.states[201].reports == 3


def test_reports_move_between_stories_of_a_saga_to_their_development() -> None:
    clusterer = _clusterer(300)
    # Story 200 holds the first development and a stray report of the second; story 201 the rest of the second.
    first = [_report(1, 1), _report(2, 2), _report(3, 3), _report(4, 4, LATER, LATER_TERMS)]
    second = [_report(5, 5, LATER, LATER_TERMS), _report(6, 6, LATER, LATER_TERMS)]
    for story_id, members in ((200, first), (201, second)):
        clusterer.index.put(clusterer.rebuild(story_id, members))
    result = split_stories(clusterer, {200: first, 201: second})
    assert [(state.id, [m.article_id for m in part]) for state, part in result.parts] == [
        (200, [1, 2, 3]),
        (201, [4, 5, 6]),
    ]
    assert result.emptied == {}


class _OneTopic:
    """Embeds every text alike: all articles are about one saga, so only dates can tell its developments apart."""

    dim = 8

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.tile(SAME, (len(texts), 1))


class _NoEntities:
    def recognize(self, texts: list[str]) -> list[list[tuple[str, str, int]]]:
        return [[] for _ in texts]


def _articles() -> list[ParsedArticle]:
    days = {"a": "2018-09-01", "b": "2018-09-01", "c": "2018-09-01", "d": "2018-09-03", "e": "2018-09-03"}
    articles = [
        ParsedArticle(
            external_id=name,
            title="Senate panel weighs Judge Harrow nomination",
            text=f"Report {name}: the Senate panel weighs the Harrow nomination. " + f"Detail {name} " * 20,
            url=f"https://example.org/{name}",
            published=day,
        )
        for name, day in days.items()
    ]
    copy = replace(articles[-1], external_id="e-copy", url="https://example.net/e")
    return [*articles, copy]


def _stories(db: Path) -> dict[str, int]:
    conn = connect(db, readonly=True)
    rows = conn.execute("SELECT external_id, story_id FROM articles").fetchall()
    conn.close()
    return {name: story for name, story in rows}


def _pipeline(store: Store, settings: Settings) -> Pipeline:
    return Pipeline(store, settings, embedder=_OneTopic(), recognizer=_NoEntities(), figures=ClaimExtractor())


@pytest.mark.parametrize("threshold", [0.25, 0.0])
def test_ingest_splits_a_saga_and_recluster_ends_alike(tmp_path: Path, threshold: float) -> None:
    # A steep day penalty: near-identical reports on two news days are two developments; the hook is under test.
    settings = replace(Settings(), figure_chars=0, development_threshold=threshold, development_day_penalty=0.9)
    db = tmp_path / "saga.db"
    with Store(db) as store:
        report = _pipeline(store, settings).ingest_items(_articles())
    ingested = _stories(db)
    groups = {frozenset(n for n in ingested if ingested[n] == s) for s in ingested.values()}
    if threshold:
        assert groups == {frozenset("abc"), frozenset({"d", "e", "e-copy"})}
    else:
        assert groups == {frozenset({"a", "b", "c", "d", "e", "e-copy"})}
    assert report.stories_created == report.stories_touched == len(groups)  # the split's new story counted
    with Store(db) as store:
        _pipeline(store, settings).recluster()
    again = _stories(db)
    assert {frozenset(n for n in again if again[n] == s) for s in again.values()} == groups


def test_scores_of_some_items_count_their_whole_clusters() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    scores = score_clustering(dict.fromkeys(gold, 0), gold, items={"c", "d"})
    assert scores.items == 2
    assert scores.bcubed_precision == pytest.approx((3 / 4 + 1 / 4) / 2)
    assert scores.bcubed_recall == pytest.approx(1.0)
    # pairs touching c or d: ac, bc, cd, ad, bd; of them ac and bc are true
    assert scores.pairwise_precision == pytest.approx(2 / 5)
    assert scores.pairwise_recall == pytest.approx(1.0)


class _Marked:
    """Embeds by a word in the text: two angles of one event far apart, and a report bridging them."""

    dim = 8
    ALPHA = np.eye(8, dtype=np.float32)[0]
    BETA = (0.2 * ALPHA + 0.96**0.5 * np.eye(8, dtype=np.float32)[1]).astype(np.float32)
    BRIDGE = (ALPHA + BETA) / np.linalg.norm(ALPHA + BETA)

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.BRIDGE if "bridge" in t else self.BETA if "beta" in t else self.ALPHA for t in texts])


def _angle(name: str, angle: str, day: str) -> ParsedArticle:
    return ParsedArticle(
        external_id=name,
        title=f"Harbour strike {angle} talks",
        text=f"Report {name} on the harbour strike {angle}. " + f"Detail {name} " * 20,
        url=f"https://example.org/{name}",
        published=day,
    )


def test_a_development_cut_apart_by_an_early_ingest_rejoins_its_saga_and_its_id_redirects(tmp_path: Path) -> None:
    # Placement takes anything (threshold 0.1); the split keeps only reports alike on average (0.5), any day.
    settings = replace(
        Settings(), figure_chars=0, story_threshold=0.1, development_threshold=0.5, development_day_penalty=0.0
    )
    db = tmp_path / "saga.db"
    first = [_angle("a", "alpha", "2018-09-01"), _angle("b", "beta", "2018-09-01")]
    for batch in (first, [_angle("c", "bridge", "2018-09-02")]):
        with Store(db) as store:
            Pipeline(
                store, settings, embedder=_Marked(), recognizer=_NoEntities(), figures=ClaimExtractor()
            ).ingest_items(batch)
        if batch is first:
            apart = _stories(db)
            assert apart["a"] != apart["b"]  # two reports alike only through the third, not yet in
    together = _stories(db)
    assert together["a"] == together["b"] == together["c"]
    emptied = ({apart["a"], apart["b"]} - {together["a"]}).pop()
    conn = connect(db, readonly=True)
    try:
        redirect = conn.execute("SELECT to_id FROM story_redirects WHERE from_id = ?", (emptied,)).fetchone()
        counts = conn.execute("SELECT report_count FROM stories WHERE id = ?", (together["a"],)).fetchone()
    finally:
        conn.close()
    assert redirect[0] == together["a"] and counts[0] == 3


def test_stories_placement_kept_apart_join_when_split_with_their_neighbours(tmp_path: Path) -> None:
    # Placement takes nothing (threshold 0.99), so each report starts a story and no story is ever split: only
    # splitting a story with the stories dated near it can bring the three together.
    settings = replace(
        Settings(), figure_chars=0, story_threshold=0.99, development_threshold=0.5, development_day_penalty=0.0
    )
    db = tmp_path / "neighbours.db"
    with Store(db) as store:
        Pipeline(store, settings, embedder=_Marked(), recognizer=_NoEntities(), figures=ClaimExtractor()).ingest_items(
            [_angle("a", "alpha", "2018-09-01"), _angle("b", "beta", "2018-09-01")]
        )
    apart = _stories(db)
    assert apart["a"] != apart["b"]
    with Store(db) as store:
        assert store.saga_of(apart["a"]) is None and store.saga_of(apart["b"]) is None
        Pipeline(store, settings, embedder=_Marked(), recognizer=_NoEntities(), figures=ClaimExtractor()).ingest_items(
            [_angle("c", "bridge", "2018-09-02")]
        )
    together = _stories(db)
    assert together["a"] == together["b"] == together["c"] in {apart["a"], apart["b"]}
    # Rebuilt from scratch, each report starts a story again, and the new stories find each other by their dates.
    with Store(db) as store:
        Pipeline(store, settings, embedder=_Marked(), recognizer=_NoEntities(), figures=ClaimExtractor()).recluster()
    rebuilt = _stories(db)
    assert rebuilt["a"] == rebuilt["b"] == rebuilt["c"]


def test_story_similarity_does_not_grow_with_the_number_of_reports() -> None:
    """A story's centroid is the sum of its members' embeddings: the similarity compares its direction, so a
    story of fifty reports does not outscore a story of one (without that, every article joins the largest)."""
    clusterer = _clusterer(1)
    rng = np.random.default_rng(3)
    direction = rng.normal(size=384).astype(np.float32)
    direction /= np.linalg.norm(direction)
    article = ArticleFeatures(1, "2025-06-01", direction, {})
    one = StoryState(id=1, centroid=direction.copy(), terms={}, first_seen=None, last_seen=None, reports=1)
    fifty = StoryState(id=2, centroid=direction * 50, terms={}, first_seen=None, last_seen=None, reports=50)
    assert clusterer.similarity(article, one) == pytest.approx(clusterer.similarity(article, fifty), abs=1e-5)
    assert clusterer.similarity(article, fifty) <= 1 + Settings().entity_bonus + 1e-5
