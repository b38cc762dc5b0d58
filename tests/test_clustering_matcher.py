"""The learned story matcher: its signals, its model file, and the split it drives."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from crosscheck import Settings
from crosscheck.clustering import ArticleFeatures
from crosscheck.clustering.lexical import WORD_FEATURES
from crosscheck.clustering.matcher import FEATURES, SHIPPED, PairModel, load_matcher, pair_signals
from crosscheck.clustering.segment import day_distance, developments, pair_similarity


def _pool(count: int, seed: int) -> list[ArticleFeatures]:
    """Reports with random embeddings, overlapping terms and entities, over a few days (one undated)."""
    rng = np.random.default_rng(seed)
    members = []
    for i in range(count):
        terms = {int(f): float(w) for f, w in zip(rng.choice(12, 4, replace=False), rng.random(4), strict=True)}
        terms[WORD_FEATURES + int(rng.integers(3))] = 0.5
        day = None if i == count - 1 else f"2018-09-{1 + int(rng.integers(6)):02d}"
        members.append(ArticleFeatures(i, day, rng.normal(size=8).astype(np.float32), terms))
    return members


def _hand_set_model(path: Path) -> Path:
    """A model file whose link is the hand-set one: 0.5 × both cosines − 0.04 × news days, cut at 0.25."""
    weights = {"embedding_cosine": 0.5, "term_cosine": 0.5, "news_days": -0.04}
    n = len(FEATURES)
    PairModel(list(FEATURES), [0.0] * n, [1.0] * n, [weights.get(f, 0.0) for f in FEATURES], 0.0, 0.25, False).save(
        path
    )
    return path


def test_the_signals_are_what_their_names_say() -> None:
    members = _pool(7, seed=1)
    signals = dict(zip(FEATURES, pair_signals(members, day_distance(members)), strict=True))
    mixed = 0.5 * signals["embedding_cosine"] + 0.5 * signals["term_cosine"]
    assert np.allclose(mixed, pair_similarity(members, 0.5))
    assert np.allclose(signals["news_days"], day_distance(members))
    assert signals["undated"][0, 6] == 1.0 and signals["undated"][0, 1] == 0.0
    first, second = members[0], members[1]
    names = [{f for f in m.terms if f >= WORD_FEATURES} for m in (first, second)]
    assert signals["entity_jaccard"][0, 1] == pytest.approx(len(names[0] & names[1]) / len(names[0] | names[1]))
    ranks = np.expm1(signals["rank_near"])
    assert np.all(ranks >= 0) and np.allclose(ranks, ranks.T)
    assert np.all(np.expm1(signals["rank_far"]) >= ranks)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_model_with_the_hand_set_weights_splits_as_the_hand_set_link_does(tmp_path: Path, seed: int) -> None:
    members = _pool(20, seed)
    learned = replace(Settings(), story_matcher="learned", matcher_path=str(_hand_set_model(tmp_path / "m.json")))
    for threshold in (0.1, 0.25):
        hand = replace(Settings(), development_threshold=threshold)
        expected = developments(members, hand)
        model = PairModel.load(Path(learned.matcher_path))
        replace(model, cut=threshold).save(tmp_path / "m.json")
        load_matcher.cache_clear()
        assert developments(members, learned) == expected


def test_a_bad_model_file_is_an_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match=r"broken\.json"):
        PairModel.load(broken)
    other = tmp_path / "other.json"
    n = len(FEATURES)
    PairModel(["something else"] * n, [0.0] * n, [1.0] * n, [0.0] * n, 0.0, 0.5).save(other)
    with pytest.raises(ValueError, match=r"other\.json"):
        PairModel.load(other)
    with pytest.raises(ValueError, match="story_matcher"):
        Settings(story_matcher="magic")


def test_the_shipped_model_loads_offline_and_is_small() -> None:
    model = PairModel.load(SHIPPED)
    assert model.features == list(FEATURES)
    assert SHIPPED.stat().st_size < 5_000_000
    assert model.trained_on["months"]
