"""The web's pure helpers: escaping and highlighting, URL checks, paragraphs, excerpts, entity groups."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from crosscheck.claims.ledger import build_ledger
from crosscheck.figures import Claim, StoredClaim
from crosscheck.storage import ArticleRecord, EntityCount, SearchHit, Store
from crosscheck.storage.records import MATCH_END, MATCH_START
from crosscheck.story_view import excerpt
from crosscheck.web.db import DatabaseUnavailable, open_reader
from crosscheck.web.render import TEMPLATES, count_noun, day, highlight, http_url, inline_code, paragraphs
from crosscheck.web.views import group_entities


def _hit(marked: str) -> SearchHit:
    article = ArticleRecord(1, "x", None, "Outlet", None, "Title", False, None, [], 1, None, None, False, False,
                            "text", "/in/x", "")  # fmt: skip
    return SearchHit.from_marked(article, marked.replace("{", MATCH_START).replace("}", MATCH_END))


def test_highlight_escapes_first_then_marks() -> None:
    result = highlight(_hit("<b>x</b> {NATO} & {<i>y</i>}"))
    assert isinstance(result, Markup)
    assert str(result) == "&lt;b&gt;x&lt;/b&gt; <mark>NATO</mark> &amp; <mark>&lt;i&gt;y&lt;/i&gt;</mark>"


def test_match_markers_are_offsets_and_written_markers_are_text() -> None:
    hit = _hit("a [[b {and}]] c ]] d [[ } {")
    assert hit.snippet == "a [[b and]] c ]] d [[  " and hit.matches == [(6, 9)]
    assert str(highlight(hit)) == "a [[b <mark>and</mark>]] c ]] d [[  "


def test_inline_code_escapes() -> None:
    assert str(inline_code("use `<q>` & more")) == "use <code>&lt;q&gt;</code> &amp; more"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("HTTP://example.com", "HTTP://example.com"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//example.com/x", None),
        ("/relative", None),
        ("https://", None),
        ("", None),
        (None, None),
    ],
)
def test_http_url_allows_only_absolute_http(url: str | None, expected: str | None) -> None:
    assert http_url(url) == expected


def test_paragraphs() -> None:
    assert paragraphs("One\nline.\n\n  Two.  \n\n\n") == ["One line.", "Two."]
    assert paragraphs("A.\nB.\n") == ["A.", "B."]
    assert paragraphs("   ") == []


def test_small_formatters() -> None:
    assert count_noun(1, "article") == "1 article"
    assert count_noun(1204, "outlet") == "1,204 outlets"
    assert count_noun(2, "independent report") == "2 independent reports"
    assert day("2025-06-05T10:00:00+00:00") == "2025-06-05"
    assert day(None) == "undated"


def test_excerpt_cuts_at_a_word() -> None:
    assert excerpt("short  text\n") == "short text"
    cut = excerpt("word " * 100, 23)
    assert cut == "word word word word …"


def test_entities_grouped_by_heading() -> None:
    groups = group_entities(
        [EntityCount("NATO", "ORG", 3), EntityCount("Spain", "GPE", 2), EntityCount("Rutte", "PERSON", 2),
         EntityCount("Alps", "LOC", 1), EntityCount("Thing", "WORK_OF_ART", 1), EntityCount("Ankara", "NAME", 1)]
    )  # fmt: skip
    assert [(g.heading, [e.name for e in g.entities]) for g in groups] == [
        ("People", ["Rutte"]),
        ("Organisations", ["NATO"]),
        ("Places", ["Spain", "Alps"]),
        ("Names", ["Ankara"]),  # untyped, from the names recognizer
        ("WORK_OF_ART", ["Thing"]),
    ]


def test_reader_connection_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    Store(path).close()
    with open_reader(path) as reader:
        assert reader.counts()["articles"] == 0
        with pytest.raises(sqlite3.OperationalError):
            reader.conn.execute("INSERT INTO outlets (domain, name) VALUES ('x', 'y')")


def test_open_reader_refuses_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable), open_reader(tmp_path / "missing.db"):
        pass
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all, just some bytes" * 200)
    with pytest.raises(DatabaseUnavailable), open_reader(garbage):
        pass


def test_long_entity_groups_fold_the_rest() -> None:
    (group,) = group_entities([EntityCount(f"Person {n}", "PERSON", 1) for n in range(11)])
    assert [e.name for e in group.shown] == [f"Person {n}" for n in range(8)]
    assert [e.name for e in group.more] == ["Person 8", "Person 9", "Person 10"]


def test_ledger_names_what_outlets_disagree_on() -> None:
    def stored(n: int, period: int) -> StoredClaim:
        claim = Claim(3, "percent_gdp", "United Kingdom", "target", f"evidence {n}", 0, 10, 0, 2, period=period)
        return StoredClaim(n, n, f"a{n}", 1, f"Outlet {n}", None, "2025-06-01", "t", None, claim)

    ledger = build_ledger([stored(1, 2029), stored(2, 2034)])
    html = TEMPLATES.env.get_template("_ledger.html").render(
        ledger=ledger, page=SimpleNamespace(ledger_first=ledger, ledger_rest=[]), path_for=lambda *a, **k: "/x"
    )
    assert "United Kingdom (3% of GDP by 2029 vs 2034)" in " ".join(html.split())  # the deadlines, not 3% twice
    assert "Disagree</strong> on the deadline" in html
