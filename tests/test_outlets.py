"""Outlet identification from URLs and stated names."""

from __future__ import annotations

import pytest

from crosscheck.sources import UNKNOWN_OUTLET, outlet_for, registered_domain


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.bbc.co.uk/news/world-123", "bbc.co.uk"),
        ("http://www.nytimes.com/2016/09/20/nyregion/x.html?hp", "nytimes.com"),
        ("https://edition.cnn.com/2018/09/01/politics/", "cnn.com"),
        ("www.foxnews.com", "foxnews.com"),
        ("https://news.harborledger.example/a", "harborledger.example"),
        ("http://127.0.0.1:8000/x", None),
        ("not a url", None),
        ("http://[x", None),
        ("A:// .A", None),
        ("https://münchen.de/x", "münchen.de"),
    ],
)
def test_registered_domain(url: str, domain: str | None) -> None:
    assert registered_domain(url) == domain


def test_url_wins_over_source_name_for_identity() -> None:
    outlet = outlet_for("https://www.reuters.com/world/x", "Reuters World News")
    assert outlet.domain == "reuters.com"
    assert outlet.name == "Reuters World News"


def test_source_name_without_url() -> None:
    outlet = outlet_for(None, " Yle News ")
    assert (outlet.domain, outlet.name, outlet.known) == (None, "Yle News", True)


def test_unknown_outlet() -> None:
    outlet = outlet_for(None, None)
    assert outlet.name == UNKNOWN_OUTLET
    assert not outlet.known
