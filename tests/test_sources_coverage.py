"""Coverage details of a story, the blindspot rule, and the rating fields of the exports."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosscheck import Settings
from crosscheck.exports import export_rows
from crosscheck.sources.assess import Assessment
from crosscheck.sources.blindspot import BaseRates, base_rates, binomial_at_most, blindspots, detect
from crosscheck.sources.coverage import Coverage, RatedArticle, build_coverage, story_coverage
from crosscheck.storage import connect
from crosscheck.storage.ratings import ArticleRow
from crosscheck.storage.reader import Reader
from sources_data import RatedDB, build_rated_db


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> RatedDB:
    return build_rated_db(tmp_path_factory.mktemp("coverage"))


@pytest.fixture
def reader(rated: RatedDB) -> Iterator[Reader]:
    conn = connect(rated.path, readonly=True)
    yield Reader(conn)
    conn.close()


def test_distributions_count_the_unrated_by_article_and_by_report(rated: RatedDB, reader: Reader) -> None:
    coverage = story_coverage(reader.conn, rated.story)
    d = coverage.distributions
    assert d["bias_by_article"].counts == {"left": 1, "lean left": 2, "center": 2, "lean right": 0, "right": 3,
                                           "unrated": 2}  # fmt: skip
    assert d["bias_by_report"].counts["unrated"] == 1  # the unrated copy counts once as an article only
    assert d["bias_by_report"].total == 9
    assert d["factuality_by_report"].counts["low"] == 3
    assert d["owners_by_report"].counts["Summit Media Group"] == 2
    assert d["owner_kinds_by_report"].counts["public broadcaster"] == 1
    assert d["countries_by_report"].counts == {"USA": 5, "<script>alert(1)</script>land": 1, "Finland": 1,
                                               "unknown": 2}  # fmt: skip
    assert [row[0] for row in d["bias_by_article"].rows()][-1] == "unrated"


def test_unrated_articles_say_why(rated: RatedDB, reader: Reader) -> None:
    coverage = story_coverage(reader.conn, rated.story)
    unrated = {item.number: why for item, why in coverage.unrated()}
    assert unrated == {
        7: "no bias or factuality: unrated.example is in none of the imported rater files",
        9: "no bias or factuality: no outlet named in the input",
    }


def test_side_by_side_uses_independent_reports(rated: RatedDB, reader: Reader) -> None:
    sides = story_coverage(reader.conn, rated.story).sides()
    titles = {side: [item.article.title for item in items] for side, items in sides.items()}
    assert titles["center"] == ["Ferry deal agreed", "Finnish view of the ferry strike"]
    assert all("Ferry deal agreed (copy)" not in t for t in titles.values())
    assert len(titles["left"]) == 3 and len(titles["right"]) == 3


def test_outlets_with_differently_rated_sections_are_listed_per_rating(rated: RatedDB, reader: Reader) -> None:
    rows = story_coverage(reader.conn, rated.story).outlets()
    ledger = [(o.numbers, o.assessment.bias, o.assessment.factuality) for o in rows if o.name == "Harbor Ledger"]
    assert ledger == [([1], "lean left", "high"), ([2], "left", "high"), ([3], "lean left", "mixed")]


def test_coverage_export_numbers(rated: RatedDB, reader: Reader) -> None:
    data = story_coverage(reader.conn, rated.story).to_dict()
    assert (data["articles"], data["reports"], data["ratings_imported"]) == (10, 9, True)
    assert data["unrated_articles"] == {"bias": 2, "factuality": 2}
    story = next(export_rows(reader, "stories"))
    assert story["coverage"]["bias_by_report"] == data["bias_by_report"]
    assert story["coverage"]["blindspot"] is None


def test_article_export_gains_bias_factuality_owner(rated: RatedDB, reader: Reader) -> None:
    rows = {r["external_id"]: r for r in export_rows(reader, "articles")}
    assert (rows["ridge"]["bias"], rows["ridge"]["factuality"], rows["ridge"]["owner"]) == (
        "right", "low", "Summit Media Group")  # fmt: skip
    assert (rows["anon"]["bias"], rows["anon"]["factuality"], rows["anon"]["owner"]) == (None, None, None)


def test_without_ratings_the_coverage_says_so(tmp_path: Path) -> None:
    built = build_rated_db(tmp_path, ratings=False)
    with connect(built.path, readonly=True) as conn:
        coverage = story_coverage(conn, built.story)
    assert coverage.registry_empty
    assert coverage.to_dict()["ratings_imported"] is False
    assert coverage.distributions["bias_by_article"].counts["unrated"] == 10


# --- the blindspot rule on synthetic stories -----------------------------------------------------------------


def _story(story_id: int, biases: list[str | None], factuality: str = "high") -> Coverage:
    items = []
    for n, bias in enumerate(biases, 1):
        row = ArticleRow(n, story_id, None, f"o{n}", f"o{n}.example", None, f"t{n}", None)
        values: dict[str, str | None] = {"bias": bias, "factuality": factuality}
        items.append(RatedArticle(n, row, Assessment(f"o{n}.example", (), values, {}, {})))
    return build_coverage(story_id, items, False)


BASE = BaseRates(left=0.3, right=0.4, reports=1000)
SETTINGS = Settings()


def test_binomial_tail() -> None:
    assert binomial_at_most(0, 5, 0.4) == pytest.approx(0.6**5)
    assert binomial_at_most(5, 5, 0.4) == pytest.approx(1.0)


def test_a_story_the_right_missed() -> None:
    found = detect(_story(1, ["left"] * 4 + ["center"] * 2), BASE, SETTINGS)  # P(0 right of 6) = 0.6^6 ≈ 0.047
    assert found is not None and (found.missing, found.covered_by) == ("right", "left")
    assert found.probability == pytest.approx(0.6**6)
    assert not found.low_factuality


def test_too_few_rated_reports_or_not_rare_enough_is_no_blindspot() -> None:
    assert detect(_story(1, ["left"] * 4 + [None] * 5), BASE, SETTINGS) is None  # 4 rated < 5
    assert detect(_story(1, ["left"] * 3 + ["right", "center"]), BASE, SETTINGS) is None  # P(≤ 1 of 5) ≈ 0.34
    assert detect(_story(1, ["left"] * 3 + ["center"] * 2), BASE, SETTINGS) is not None  # 0.6^5 ≈ 0.078 …
    strict = dataclasses.replace(SETTINGS, blindspot_max_probability=0.05)
    assert detect(_story(1, ["left"] * 3 + ["center"] * 2), BASE, strict) is None  # … over 0.05


def test_a_center_only_story_is_nobodys_blindspot() -> None:
    assert detect(_story(1, ["center"] * 12), BASE, SETTINGS) is None


def test_low_factuality_blindspots_are_marked() -> None:
    found = detect(_story(1, ["right"] * 8, factuality="mixed"), BASE, SETTINGS)
    assert found is not None and found.missing == "left"
    assert found.low_factuality and found.low_factuality_share == 1.0


def test_base_rates_and_the_list() -> None:
    stories = {1: _story(1, ["left"] * 6), 2: _story(2, ["right"] * 2 + ["center"] * 2), 3: _story(3, [None])}
    base = base_rates(stories)
    assert (base.left, base.right, base.reports) == (0.6, 0.2, 10)
    _, found = blindspots(stories, SETTINGS)
    assert found == []  # with these base rates no story is one-sided enough
    _, found = blindspots({**stories, 4: _story(4, ["right"] * 6), 5: _story(5, ["left"] * 12)}, SETTINGS)
    assert [(b.story_id, b.missing) for b in found] == [(4, "left"), (5, "right")]  # most certain first
