"""Clustering scores, checked against hand-computed values."""

from __future__ import annotations

import pytest

from crosscheck.clustering.evaluation import score_clustering

GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 3}


def test_perfect_clustering() -> None:
    scores = score_clustering({k: f"x{v}" for k, v in GOLD.items()}, GOLD)
    assert scores.bcubed_f1 == pytest.approx(1.0)
    assert scores.pairwise_f1 == pytest.approx(1.0)
    assert scores.ami == pytest.approx(1.0)


def test_singletons() -> None:
    scores = score_clustering({k: k for k in GOLD}, GOLD)
    assert scores.bcubed_precision == pytest.approx(1.0)
    # recall: a, b, c each 1/3; d, e 1 → (1 + 2) / 5
    assert scores.bcubed_recall == pytest.approx(3 / 5)
    assert scores.pairwise_recall == 0.0


def test_one_big_cluster() -> None:
    scores = score_clustering(dict.fromkeys(GOLD, 0), GOLD)
    # precision: a, b, c 3/5 each; d, e 1/5 each → 11/25
    assert scores.bcubed_precision == pytest.approx(11 / 25)
    assert scores.bcubed_recall == pytest.approx(1.0)
    # 3 true pairs out of 10 predicted
    assert scores.pairwise_precision == pytest.approx(0.3)


def test_items_outside_the_gold_are_ignored_and_empty_overlap_fails() -> None:
    assert score_clustering({**GOLD, "zzz": 9}, GOLD).items == 5
    with pytest.raises(ValueError, match="no item"):
        score_clustering({"q": 1}, GOLD)
