"""Entity surface forms folded for display."""

from __future__ import annotations

from crosscheck.entities import normalize_entity
from crosscheck.entities.canonical import entity_key, fold_entities, fold_mentions


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


def test_forms_of_one_full_name_and_its_surname_fold_into_one_person() -> None:
    rows = [("Christine Blasey Ford", "PERSON", 1, 3), ("Christine Ford", "PERSON", 2, 1), ("Blasey Ford", "ORG", 3, 1),
            ("Ford", "ORG", 4, 9), ("Ford", "PERSON", 5, 2), ("Brett M. Kavanaugh", "PERSON", 1, 1),
            ("Brett Kavanaugh", "PERSON", 2, 4), ("Kavanaugh", "GPE", 3, 1), ("Kavanaugh", "PERSON", 4, 5)]  # fmt: skip
    folded = [(e.name, e.label, e.articles) for e in fold_entities(rows, limit=10)]
    assert folded == [("Christine Blasey Ford", "PERSON", 5), ("Brett Kavanaugh", "PERSON", 4)]


def test_spelling_variants_fold_and_the_label_is_the_majority_of_mentions() -> None:
    rows = [("U.S.", "GPE", 1, 2), ("US", "GPE", 2, 1), ("US", "ORG", 3, 1), ("Hyde-Smith", "PERSON", 1, 1),
            ("Hyde Smith", "ORG", 2, 2), ("Hyde-Smith", "PERSON", 4, 2), ("Zelenskyy", "PERSON", 1, 1),
            ("ZELENSKYY", "PERSON", 2, 1)]  # fmt: skip
    folded = {e.name: (e.label, e.articles) for e in fold_entities(rows, limit=10)}
    assert folded == {"U.S.": ("GPE", 3), "Hyde-Smith": ("PERSON", 3), "Zelenskyy": ("PERSON", 2)}
    assert entity_key("NATO") == entity_key("Nato") == "nato" and entity_key("Zelenskyj") != entity_key("Zelenskyy")


def test_an_articles_entities_fold_variants_and_take_the_databases_majority_label() -> None:
    rows = [("NATO", "ORG", 3), ("Nato", "ORG", 1), ("Kavanaugh", "GPE", 1)]
    totals = [("NATO", "ORG", 108), ("Nato", "ORG", 51), ("Kavanaugh", "GPE", 1), ("Kavanaugh", "PERSON", 392)]
    folded = [(e.name, e.label, e.articles) for e in fold_mentions(rows, totals)]
    assert folded == [("NATO", "ORG", 4), ("Kavanaugh", "PERSON", 1)]


def test_a_surname_of_two_words_folds_into_its_only_person() -> None:
    rows = [("Cindy Hyde-Smith", "PERSON", 1, 2), ("Hyde-Smith", "ORG", 2, 3), ("Lucien Smith", "PERSON", 3, 1)]
    folded = {(e.name, e.label, e.articles) for e in fold_entities(rows, limit=10)}
    assert folded == {("Cindy Hyde-Smith", "PERSON", 2), ("Lucien Smith", "PERSON", 1)}
