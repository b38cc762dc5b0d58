"""Which ratings apply to an article: sub-domains, sections, editions, derived raters, and why a value is missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crosscheck.sources.assess import NO_OUTLET, NO_RATERS, Assessor
from crosscheck.sources.outlets import UNKNOWN_OUTLET
from crosscheck.storage import connect
from sources_data import SCRIPT, RatedDB, build_rated_db


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> RatedDB:
    return build_rated_db(tmp_path_factory.mktemp("rated"))


@pytest.fixture
def assessor(rated: RatedDB) -> Iterator[Assessor]:
    conn = connect(rated.path, readonly=True)
    yield Assessor(conn)
    conn.close()


def test_combined_bias_is_the_median_of_raters_with_its_spread(assessor: Assessor) -> None:
    found = assessor.assess("harborledger.example", "Harbor Ledger", "https://www.harborledger.example/2025/x")
    assert found.bias == "lean left"  # AllSides lean left, Baly left: toward center
    assert found.spreads["bias"] == 1
    assert {(v.rater, v.common) for v in found.votes_for("bias")} == {("allsides", "lean left"), ("baly", "left")}


def test_a_derived_rater_is_shown_but_not_counted_where_its_origin_rates(assessor: Assessor) -> None:
    ledger = assessor.assess("harborledger.example", "Harbor Ledger", None)
    baly = next(v for v in ledger.votes_for("factuality") if v.rater == "baly")
    assert not baly.counted and ledger.factuality == "high"
    wire = assessor.assess("centerwire.example", "Center Wire", None)  # MBFC does not rate it: Baly counts
    assert [v.counted for v in wire.votes_for("factuality")] == [True]
    assert wire.factuality == "high"


def test_opinion_and_path_sections_get_their_own_ratings(assessor: Assessor) -> None:
    opinion = assessor.assess("harborledger.example", "Harbor Ledger", "https://harborledger.example/opinion/a")
    assert opinion.bias == "left"
    assert [v.names for v in opinion.votes_for("bias") if v.rater == "allsides"] == [("Harbor Ledger - Editorial",)]
    observer = assessor.assess("harborledger.example", "Harbor Ledger", "https://harborledger.example/observer/a")
    assert observer.factuality == "mixed" and observer.spreads["factuality"] == 2


def test_sub_domains_are_scoped(assessor: Assessor) -> None:
    abc = assessor.assess("go.com", "ABC News", "https://abcnews.go.com/Politics/story")
    assert (abc.bias, abc.factuality) == ("lean left", "very high")
    espn = assessor.assess("go.com", "ESPN", "https://espn.go.com/nfl/story")
    assert espn.bias is None
    assert "cover other sections or sub-domains" in espn.reasons["bias"]


def test_owner_comes_from_the_newest_statement(assessor: Assessor) -> None:
    ridge = assessor.assess("ridgepost.example", "Ridge Post", None)
    assert (ridge.owner, ridge.values["owner_kind"]) == ("Summit Media Group", "private equity")
    assert {v.rater for v in ridge.votes_for("owner")} == {"localnews", "user"}


def test_an_outlet_known_only_by_name_is_found_through_aliases(assessor: Assessor) -> None:
    yle = assessor.assess(None, "Yle", None)
    assert (yle.domain, yle.bias, yle.factuality, yle.values["country"]) == ("yle.fi", "center", "high", "Finland")


def test_reasons_for_missing_values(assessor: Assessor) -> None:
    assert assessor.assess(None, UNKNOWN_OUTLET, None).reasons["bias"] == NO_OUTLET
    assert "none of the imported rater files" in assessor.assess("nobody.example", "Nobody", None).reasons["bias"]
    assert "“Nowhere”" in assessor.assess(None, "Nowhere", None).reasons["bias"]
    valley = assessor.assess("valleytimes.example", "Valley Times", None)
    assert valley.bias == "center" and valley.factuality == "mostly factual"
    assert "give no owner" in valley.reasons["owner"] or "gives no owner" in valley.reasons["owner"]


def test_a_value_off_the_scale_is_reported_not_guessed(tmp_path: Path) -> None:
    from crosscheck import Store
    from crosscheck.sources.registry import import_file

    path = tmp_path / "allsides.csv"
    path.write_text("url,type,name,bias\nhttps://top.example/,News Media,Spinning Top,Mixed\n", encoding="utf-8")
    with Store(tmp_path / "db.db") as store:
        import_file(store, path)
        found = Assessor(store.conn).assess("top.example", "Spinning Top", None)
    assert found.bias is None
    assert found.reasons["bias"] == "no bias on crosscheck's scale (AllSides: “Mixed”)"


def test_nothing_imported_says_so(tmp_path: Path) -> None:
    from crosscheck import Store

    with Store(tmp_path / "empty.db") as store:
        assert Assessor(store.conn).assess("cnn.com", "CNN", None).reasons["bias"] == NO_RATERS


def test_hostile_names_stay_data(assessor: Assessor) -> None:
    evil = assessor.assess("evil.example", "Evil", None)
    assert evil.values["country"] == f"{SCRIPT}land"  # stored as given; templates escape it
