"""Outlet identification from URLs and stated names."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck import Store
from crosscheck.models import ParsedArticle
from crosscheck.sources import UNKNOWN_OUTLET, Outlet, outlet_for, registered_domain
from crosscheck.sources.publisher import StatedSource, display_name, names_domain, stated_source
from crosscheck.sources.registry import import_file


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


@pytest.mark.parametrize(
    ("name", "domain", "fits"),
    [
        ("New York Times - News", "nytimes.com", True),
        ("Wall Street Journal", "wsj.com", True),
        ("Associated Press", "apnews.com", True),
        ("New York Magazine", "nymag.com", True),
        ("Christian Science Monitor", "csmonitor.com", True),
        ("PBS NewsHour", "pbs.org", True),
        ("The White House (whitehouse.gov, Articles)", "whitehouse.gov", True),
        ("John Fund", "nationalreview.com", False),
        ("Andrew Sullivan", "nymag.com", False),
        ("Hillary Clinton", "theatlantic.com", False),
        ("Guest Writer - Left", "usatoday.com", False),
        ("News", "news.com", True),
    ],
)
def test_a_stated_name_fits_a_domain_only_when_it_can_spell_it(name: str, domain: str, fits: bool) -> None:
    assert names_domain(name, domain) is fits


@pytest.mark.parametrize(
    ("name", "shown"),
    [("CNN (Web News)", "CNN"), ("New York Times - News", "New York Times"), ("Fox Online News", "Fox News"),
     ("CNN - Editorial", "CNN"), ("BBC News (BBC Verify)", "BBC News"), ("Reuters", "Reuters")],
)  # fmt: skip
def test_display_names_drop_feed_qualifiers(name: str, shown: str) -> None:
    assert display_name(name) == shown


def test_a_columnist_named_as_source_does_not_become_the_outlet() -> None:
    assert outlet_for("https://www.nationalreview.com/2018/09/x/", "John Fund") == Outlet(
        "nationalreview.com", "nationalreview.com"
    )
    assert outlet_for("https://www.nytimes.com/x", "New York Times - News").name == "New York Times"


def test_a_text_republished_on_a_hosting_platform_is_credited_to_its_stated_outlet() -> None:
    line = "BBC News (InDepth) - text as republished, lightly rewritten, by thebadely.github.io"
    assert stated_source(line) == StatedSource("BBC News (InDepth)", "thebadely.github.io", True)
    outlet = outlet_for("https://github.com/thebadely/thebadely.github.io/blob/x/_posts/a.md", line)
    assert outlet == Outlet(None, "BBC News", "republished by thebadely.github.io")
    plain = outlet_for("https://github.com/someone/archive/blob/x/a.md", "Yle News (in plain Finnish)")
    assert plain == Outlet(None, "Yle News", "republished by github.com")
    assert outlet_for("https://github.com/someone/x", None) == Outlet("github.com", "github.com")
    assert outlet_for("https://www.bbc.co.uk/news/x", line).domain == "bbc.co.uk"  # the domain is trusted first


def test_outlets_take_the_rater_files_names_and_name_only_outlets_find_their_domain(tmp_path: Path) -> None:
    rater = tmp_path / "own.csv"
    rater.write_text(
        "domain,name,aliases,bias\nharborledger.example,The Harbor Ledger,Harbor News,center\n"
        "yle.example,Yle,,center\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "x.db") as store:
        with store.transaction():
            story = store.create_story()
            for key, url, source in [
                ("a", "https://www.harborledger.example/a", "Jane Columnist"),
                ("b", None, "Harbor News"),
                ("c", "https://www.harborledger.example/c", "Harbor Ledger"),
                ("d", "https://github.com/someone/archive/blob/x/d.md", "Yle Selkouutiset (News in plain Finnish)"),
            ]:
                outlet = outlet_for(url, source)
                parsed = ParsedArticle(external_id=key, text="Text.", title=key, url=url)
                article = store.insert_article(parsed, key=key, outlet_id=store.outlet_id(outlet.domain, outlet.name),
                                               text_hash=key, duplicate_of=None, duplicate_kind=None)  # fmt: skip
                store.set_story(article, story)
            store.recount_story(story)
        names = {r[0] for r in store.conn.execute("SELECT name FROM outlets")}
        assert names == {"Harbor Ledger", "Harbor News", "Yle Selkouutiset"}  # the columnist's name never became one
        import_file(store, rater)
        outlets = store.conn.execute("SELECT name, domain FROM outlets ORDER BY id").fetchall()
        assert [tuple(o) for o in outlets] == [("The Harbor Ledger", "harborledger.example"), ("Yle", "yle.example")]
        assert store.reader.story(story).outlet_count == 2  # three outlets before: Harbor News joined its own
