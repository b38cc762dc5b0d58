"""Common scales, each rater's mapping onto them, the combining rule, and name/address keys."""

from __future__ import annotations

import pytest

from crosscheck.sources.names import domain_in_name, name_candidates, name_key, scope_of, split_name
from crosscheck.sources.scales import SCALES, ScaleError, combine, position, side, spread, value_at


@pytest.mark.parametrize(
    ("scale", "raw", "common"),
    [
        ("allsides-5", "left-center", "lean left"),
        ("allsides-5", "Lean Right", "lean right"),
        ("allsides-5", "Mixed", None),
        ("allsides-5", "allsides", None),
        ("mbfc-factual-6", "1", "very low"),
        ("mbfc-factual-6", "4", "mostly factual"),
        ("mbfc-factual-6", "N/A", None),
        ("mbfc-credibility-3", "3", "high"),
        ("baly-bias-7", "extreme-right", "right"),
        ("baly-bias-7", "right-center", "lean right"),
        ("baly-bias-3", "left", "left"),
        ("baly-fact-3", "mixed", "mixed"),
        ("crosscheck-bias", "-1", "lean left"),
        ("crosscheck-bias", "center_right", "lean right"),
        ("crosscheck-factuality", "6", "very high"),
        ("crosscheck-factuality", "Mostly Factual", "mostly factual"),
    ],
)
def test_rater_values_map_onto_the_common_scales(scale: str, raw: str, common: str | None) -> None:
    assert SCALES[scale].common(raw) == common


def test_an_unknown_value_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ScaleError, match="far left"):
        SCALES["allsides-5"].common("far left")


@pytest.mark.parametrize(
    ("values", "combined"),
    [
        (["left"], "left"),
        (["left", "lean left"], "lean left"),  # between two steps: toward center
        (["lean right", "right"], "lean right"),
        (["lean left", "center"], "center"),
        (["lean left", "right"], "center"),
        (["left", "center"], "lean left"),  # an exact middle step
        (["left", "left", "right"], "left"),
        ([], None),
    ],
)
def test_bias_median_rounds_toward_center(values: list[str], combined: str | None) -> None:
    assert combine("bias", values) == combined


def test_factuality_median_rounds_down_and_spread_counts_steps() -> None:
    assert combine("factuality", ["high", "very high"]) == "high"
    assert combine("factuality", ["mixed", "high"]) == "mostly factual"
    assert spread("factuality", ["mixed", "high", "very high"]) == 3
    assert spread("bias", ["center"]) == 0
    assert spread("bias", []) is None


def test_positions_and_sides() -> None:
    assert [position("bias", v) for v in ("left", "center", "right")] == [-2, 0, 2]
    assert value_at("factuality", 1) == "very low"
    assert [side(v) for v in ("lean left", "center", "lean right", None)] == ["left", "center", "right", None]


@pytest.mark.parametrize(
    ("name", "base", "section"),
    [
        ("CNN (Web News)", "CNN", "main"),
        ("CNN - Editorial", "CNN", "opinion"),
        ("New York Times (Opinion)", "New York Times", "opinion"),
        ("Fox News Opinion", "Fox News", "opinion"),
        ("The Telegraph - UK", "The Telegraph - UK", "other"),
        ("PRI (Public Radio International)", "PRI (Public Radio International)", "other"),
    ],
)
def test_section_qualifiers(name: str, base: str, section: str) -> None:
    parts = split_name(name)
    assert (parts.base, parts.section) == (base, section)


def test_name_keys_and_candidates() -> None:
    assert name_key("U.S. News & World Report") == "usnewsworldreport"
    assert name_key("Çà Média") == "camedia"
    assert name_candidates("Fox Online News")[:2] == ("foxonlinenews", "foxnews")
    assert name_candidates("The Hill") == ("thehill", "hill")
    assert "dailycaller" in name_candidates("The Daily Caller")
    assert domain_in_name("TheBlaze.com") == "theblaze.com"
    assert domain_in_name("Blaze") is None


def test_scopes_of_addresses() -> None:
    cnn = scope_of("https://edition.cnn.com/2018/09/10/opinions/x.html")
    assert cnn is not None and (cnn.domain, cnn.host, cnn.opinion) == ("cnn.com", "cnn.com", True)
    abc = scope_of("abcnews.go.com")
    assert abc is not None and (abc.domain, abc.host, abc.path) == ("go.com", "abcnews.go.com", ())
    section = scope_of("mlive.com/saginaw-bay-city")
    assert section is not None and section.path == ("saginaw-bay-city",)
    assert scope_of("not a url") is None
