"""Figures: the parts that need no language model — numbers, periods, sentences, names, references, ledger."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from crosscheck.claims.chart import build_chart
from crosscheck.claims.gazetteer import EUROPE, NATO, canonical_place
from crosscheck.claims.ledger import build_ledger, same_value
from crosscheck.claims.numbers import fraction_value, parse_number, parse_words
from crosscheck.claims.periods import relative_year
from crosscheck.claims.reference import (
    DIFFERS,
    MATCHES,
    NO_REFERENCE,
    ReferenceFigure,
    check,
    edition_date,
    read_reference_csv,
)
from crosscheck.claims.subject_names import fold_subjects
from crosscheck.claims.units import format_figure
from crosscheck.claims.windows import sentence_spans, wanted
from crosscheck.figures import Claim, StoredClaim


@pytest.mark.parametrize(
    ("text", "value"),
    [("3.38", 3.38), ("1,200", 1200.0), ("ten", 10.0), ("thirty-two", 32.0), ("Five", 5.0), ("third", None)],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_number_words_and_fractions() -> None:
    assert parse_words(["thirty", "-", "two"]) == 32.0
    assert fraction_value("two", "thirds") == 0.6667
    assert fraction_value("a", "third") == 0.3333
    assert fraction_value("four", "thirds") is None  # not a fraction of a whole


@pytest.mark.parametrize(
    ("phrase", "published", "year"),
    [
        ("last year", "2025-04-04", 2024),
        ("this year", "2025-06-24", 2025),
        ("the year after next", "2025-06-24", 2027),
        ("over the next seven years", "2025-05-15", 2032),
        ("within seven years", "2025-05-15", 2032),
        ("by April 2027", None, 2027),
        ("last year", None, None),  # an undated article gets no relative period, never a guess
        ("three years ago", "2025-04-04", None),
    ],
)
def test_relative_years(phrase: str, published: str | None, year: int | None) -> None:
    assert relative_year(phrase, published) == year


def test_sentences_keep_abbreviations_and_offsets() -> None:
    text = "U.S. Secretary of State Marco Rubio spoke. Allies agreed to 5%.\nA new line"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "U.S. Secretary of State Marco Rubio spoke.",
        "Allies agreed to 5%.",
        "A new line",
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("NATO's target of 2 per cent of GDP.", True),
        ("So far, 22 of the 32 member countries have done so.", True),
        ("Europe spent $1.2 billion.", True),
        ("The summit is on June 24-25.", False),
        ("Ministers met on Thursday.", False),
    ],
)
def test_only_sentences_with_quantities_are_parsed(sentence: str, expected: bool) -> None:
    assert wanted(sentence, quotes=False) is expected


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("U.S.", "United States"), ("Britain", "United Kingdom"), ("Nato", NATO), ("@NATO", NATO),
     ("European", EUROPE), ("Türkiye", "Turkey"), ("Spain's", "Spain"), ("Atlantis", None)],
)  # fmt: skip
def test_canonical_places(name: str, canonical: str | None) -> None:
    assert canonical_place(name) == canonical


@pytest.mark.parametrize(
    ("value", "high", "unit", "text"),
    [(3.5, None, "percent_gdp", "3.5% of GDP"), (3, 3.5, "percent_gdp", "3–3.5% of GDP"),
     (935e9, None, "currency_usd", "$935bn"), (183.4e6, None, "currency_eur", "€183.4m"),
     (3, 5, "years", "3–5 years"), (0.6667, None, "fraction", "two-thirds"), (22, None, "count", "22")],
)  # fmt: skip
def test_format_figure(value: float, high: float | None, unit: str, text: str) -> None:
    assert format_figure(value, high, unit) == text


# --- reference figures -------------------------------------------------------------------------------

REFERENCE_CSV = """country,iso3,year,share_gdp_pct,source,note
United States,USA,2024,3.38,nato-2024,"NATO 'Defence Expenditure', 17 June 2024 edition; ESTIMATE"
United States,USA,2024,3.42,sipri,"SIPRI military expenditure as share of GDP; outturn"
United States,USA,2024,3.19,nato-2025,"NATO Annual Report 2024 (published ~24-26 Apr 2025), 2024 estimate"
Croatia,HRV,2024,,nato-2025,"left blank by the source"
"""


@pytest.fixture
def reference(tmp_path: Path) -> list[object]:
    """Three editions of the US 2024 share of GDP (NATO June 2024, SIPRI, NATO April 2025) and a blank row."""
    path = tmp_path / "reference.csv"
    path.write_text(REFERENCE_CSV, encoding="utf-8")
    return list(read_reference_csv(path))


def test_reference_csv_editions(reference: list[object]) -> None:
    assert len(reference) == 3  # the blank row is skipped
    assert {f.publisher for f in reference} == {"NATO", "SIPRI"}  # type: ignore[attr-defined]
    assert edition_date("17 June 2024 edition") == "2024-06-17"
    assert edition_date("published ~24-26 Apr 2025") == "2025-04-26"


def test_reference_check_finds_the_edition_and_its_revision(reference: list[object]) -> None:
    result = check(3.38, reference)  # type: ignore[arg-type]
    assert result.status == MATCHES
    assert result.compared is not None and result.compared.edition_date == "2024-06-17"
    assert result.revised is not None and result.revised.value == 3.19
    assert "Later revised to 3.19" in result.text
    rounded = check(3.2, reference)  # type: ignore[arg-type]
    assert rounded.status == MATCHES and rounded.compared is not None and rounded.compared.value == 3.19
    differs = check(2.9, reference)  # type: ignore[arg-type]
    assert differs.status == DIFFERS and differs.difference == pytest.approx(-0.29)
    assert check(3.0, []).status == NO_REFERENCE


# --- ledger --------------------------------------------------------------------------------------------


def _stored(n: int, value: float, *, kind: str = "reported", period: int | None = 2024, outlet: str = "A",
            subject: str = "United States", duplicate_of: int | None = None,
            superseded_by: int | None = None) -> StoredClaim:  # fmt: skip
    claim = Claim(value, "percent_gdp", subject, kind, f"evidence {n}", 0, 10, 0, 3, period=period)
    return StoredClaim(n, n, f"a{n}", 1, outlet, None, "2025-06-0" + str(n % 9 + 1), "t", duplicate_of, claim,
                       superseded_by)  # fmt: skip


def test_ledger_keeps_figures_of_replaced_revisions_as_history() -> None:
    # outlet A first said 2.0%, then corrected its page to 2.1% (article 2 is the newer revision of article 1)
    claims = [_stored(1, 2.0, subject="Germany", superseded_by=2), _stored(2, 2.1, subject="Germany"),
              _stored(3, 2.1, subject="Germany", outlet="B"),
              _stored(4, 1.5, subject="Italy", superseded_by=2)]  # fmt: skip
    rows = build_ledger(claims)
    germany, italy = rows
    assert [v.value for v in germany.variants] == [2.1] and germany.disagreement is None  # the old value is no vote
    assert germany.reports == 2 and [c.id for c in germany.earlier] == [1]
    assert germany.to_dict()["earlier"][0]["label"] == "2% of GDP"
    # a figure that only a replaced revision stated: a withdrawn row, listed last
    assert italy.withdrawn and [c.id for c in italy.claims] == [4] and italy.earlier == []


def test_ledger_compares_figures_of_one_subject_named_two_ways() -> None:
    # one outlet names the person in full, the other by surname: one row, and their values disagree
    rows = build_ledger([_stored(1, 3.38, subject="Donald Trump"), _stored(2, 3.2, subject="Trump", outlet="B"),
                         _stored(3, 2.0, subject="House"), _stored(4, 2.5, subject="House Republicans")])  # fmt: skip
    by_subject = {r.subject: r for r in rows}
    assert sorted(by_subject) == ["Donald Trump", "House", "House Republicans"]  # another head: another thing
    assert by_subject["Donald Trump"].disagreement == "value" and by_subject["Donald Trump"].reports == 2


def test_one_report_stating_two_values_is_no_disagreement() -> None:
    # article 1 gives two values of one measure (two things the grouping could not tell apart)
    first, second = _stored(1, 3.38), replace(_stored(1, 2.5), id=11)
    one_report = build_ledger([first, second])
    assert [len(r.variants) for r in one_report] == [2] and one_report[0].disagreement is None
    agreeing = build_ledger([first, second, _stored(2, 2.5, outlet="B")])
    assert agreeing[0].disagreement is None  # report 2 states one of report 1's values
    disputed = build_ledger([first, second, _stored(2, 1.8, outlet="B")])
    assert disputed[0].disagreement == "value"


def test_a_surname_two_people_share_is_folded_into_neither() -> None:
    names = fold_subjects(["Trump", "Donald Trump", "Lara Trump", "U.S.", "United States", "United States"])
    assert names["Trump"] == "Trump" and names["U.S."] == "United States"


def test_ledger_flags_disagreeing_values_but_not_rounding() -> None:
    rows = build_ledger([_stored(1, 3.38), _stored(2, 3.4, outlet="B"), _stored(3, 3.2, outlet="C")])
    assert len(rows) == 1
    row = rows[0]
    assert row.disagreement == "value"
    assert [v.value for v in row.variants] == [3.38, 3.2]  # 3.4 is 3.38 rounded: it agrees
    assert row.variants[0].outlets == ["A", "B"]
    assert same_value(3.38, 3.4) and not same_value(3.38, 3.2)


def test_ledger_flags_target_deadlines_and_single_sources() -> None:
    rows = build_ledger(
        [_stored(1, 5, kind="target", period=2032, subject=NATO), _stored(2, 5, kind="target", period=2035,
         subject=NATO, outlet="B"), _stored(3, 5, kind="target", period=None, subject=NATO, duplicate_of=2)]
    )  # fmt: skip
    assert len(rows) == 1 and rows[0].disagreement == "period"
    assert [v.period for v in rows[0].variants] == [2032, 2035]
    copy_only = build_ledger([_stored(4, 2.06, subject="France"), _stored(5, 2.06, subject="France", duplicate_of=4)])
    assert copy_only[0].single_source  # a copy of a report is not a second source


def _said(n: int, sentence: str, figure: str, unit: str, value: float, *, subject: str = "Equifax",
          outlet: str = "A") -> StoredClaim:  # fmt: skip
    at = sentence.index(figure)
    claim = Claim(value, unit, subject, "reported", sentence, 100, 100 + len(sentence), 100 + at,
                  100 + at + len(figure))  # fmt: skip
    return StoredClaim(n, n, f"a{n}", 1, outlet, None, "2025-06-01", "t", None, claim)


def test_ledger_compares_any_figure_that_measures_the_same_thing() -> None:
    rows = build_ledger([
        _said(1, "Police said 12 people were killed in the blast.", "12", "count", 12, subject="Kabul"),
        _said(2, "At least 15 people were killed in the attack.", "15", "count", 15, subject="Kabul", outlet="B"),
        _said(3, "Another 40 people were injured.", "40", "count", 40, subject="Kabul", outlet="B"),
        _said(4, "Equifax will pay up to $700 million to settle.", "$700 million", "currency_usd", 7e8),
        _said(5, "Equifax agreed to pay $650 million.", "$650 million", "currency_usd", 6.5e8, outlet="B"),
        _said(6, "It adds a $100 million civil money penalty.", "$100 million", "currency_usd", 1e8, outlet="B"),
        _said(7, "Trump is one of 32 leaders coming, with more than 12 partner countries.", "12", "count", 12,
              subject="NATO"),
        _said(8, "The alliance now has 32 member countries.", "32", "count", 32, subject="NATO", outlet="B"),
    ])  # fmt: skip
    disagreeing = [(r.subject, sorted(v.value for v in r.variants)) for r in rows if r.disagreement]
    assert disagreeing == [("Equifax", [6.5e8, 7e8]), ("Kabul", [12, 15])]
    assert rows[0].disagreement and rows[1].disagreement  # disagreements come first
    assert len(rows) == 6  # the injured, the penalty, partners and members measure other things: rows of their own


def test_a_row_says_what_its_figure_counts() -> None:
    rows = build_ledger([
        _said(1, "Trump came, with more than 12 partner countries.", "12", "count", 12, subject="NATO"),
        _said(2, "At The Hague, 32 member countries including the UK agreed.", "32", "count", 32, subject="NATO"),
        _said(3, "Nine members spent 2% of GDP.", "Nine", "count", 9, subject="NATO"),
        _said(4, "Spain spent 1.3% of GDP.", "1.3%", "percent_gdp", 1.3, subject="Spain"),
        _said(5, "There are 20,000 battle-ready troops stationed across Europe.", "20,000", "count", 2e4, subject="US"),
        _said(6, "Some 100 newly arrived migrants waited.", "100", "count", 100, subject="Italy"),
        _said(7, "There are 25 states where Republicans won.", "25", "count", 25, subject="US"),
        _said(8, "A report says ten of its 32 members don't meet it.", "ten", "count", 10, subject="NATO"),
        _said(9, "It has 90,000 troops, 30,000 of them in Poland.", "30,000", "count", 3e4, subject="Poland"),
    ])  # fmt: skip
    assert {r.variants[0].value: r.what for r in rows} == {
        12: "partner countries",
        32: "member countries",
        9: "members",
        1.3: None,
        2e4: "battle-ready troops",
        100: "newly arrived migrants",
        25: "states",
        10: "of its 32 members",  # a part of a whole: not "32 members"
        3e4: None,  # "of them": the whole is named before
    }
    assert rows[0].to_dict()["what"] == rows[0].what


def test_a_shorter_phrase_measures_what_the_fuller_one_does() -> None:
    rows = build_ledger([
        _said(1, "Equifax reached a $575 million settlement.", "$575 million", "currency_usd", 5.75e8),
        _said(2, "Equifax agreed to a $700 million data breach settlement.", "$700 million", "currency_usd", 7e8,
              outlet="B"),
    ])  # fmt: skip
    assert [(r.subject, r.disagreement) for r in rows] == [("Equifax", "value")]


def test_reference_line_is_drawn_for_a_single_year() -> None:
    reference = [
        ReferenceFigure("United States", 2024, "percent_gdp", 3.19, "April 2025", "2025-04-01", "NATO", "", "")
    ]
    chart = build_chart([_stored(1, 3.38)], reference, "percent_gdp")
    assert chart is not None and len(chart.reference_points.split()) == 2  # a polyline needs two points to show
