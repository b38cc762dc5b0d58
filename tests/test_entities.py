"""Entity surface forms folded for display."""

from __future__ import annotations

from crosscheck.entities import normalize_entity
from crosscheck.entities.canonical import fold_entities


def test_case_variants_and_labels_fold_together() -> None:
    rows = [("NATO", "ORG", 1, 3), ("Nato", "ORG", 2, 1), ("Nato", "GPE", 3, 1), ("Brussels", "GPE", 1, 1)]
    folded = fold_entities(rows, limit=10)
    assert [(e.name, e.label, e.articles) for e in folded] == [("NATO", "ORG", 3), ("Brussels", "GPE", 1)]


def test_a_surname_folds_into_the_only_full_name_ending_with_it() -> None:
    rows = [("Mark Rutte", "PERSON", 1, 1), ("Rutte", "PERSON", 2, 2), ("Rutte", "ORG", 3, 1)]
    folded = fold_entities(rows, limit=10)
    assert [(e.name, e.label, e.articles) for e in folded] == [("Mark Rutte", "PERSON", 3)]


def test_an_ambiguous_surname_stays_apart() -> None:
    rows = [("Donald Trump", "PERSON", 1, 1), ("Melania Trump", "PERSON", 2, 1), ("Trump", "PERSON", 3, 4)]
    names = {e.name for e in fold_entities(rows, limit=10)}
    assert names == {"Donald Trump", "Melania Trump", "Trump"}


def test_limit_and_order_by_articles() -> None:
    rows = [("A", "ORG", i, 1) for i in range(3)] + [("B", "ORG", 9, 5)]
    assert [e.name for e in fold_entities(rows, limit=1)] == ["A"]


def test_normalize_entity_strips_articles_and_possessives() -> None:
    assert normalize_entity("the  United Nations’s") == "United Nations"
    assert normalize_entity("NATO's") == "NATO"
