"""Unit tests of the ingest helpers: titles, plain-text headers, dates, decoding, cleanup, format detection."""

from __future__ import annotations

import codecs
from datetime import date

import pytest

from crosscheck.errors import InputError
from crosscheck.ingest.cleanup import clean_text, truncate
from crosscheck.ingest.dates import normalise_date
from crosscheck.ingest.decode import decode_bytes, looks_binary
from crosscheck.ingest.detect import sniff_format
from crosscheck.ingest.html import extract_html, html_to_text
from crosscheck.ingest.meta import normalise_language, split_authors
from crosscheck.ingest.text import split_header
from crosscheck.ingest.titles import derive_title, lead_title

BODY = "The committee met for six hours on Tuesday and agreed on a draft budget for the coming year."


# --- titles ----------------------------------------------------------------------------------------------------


def test_headline_line_becomes_title_and_leaves_body() -> None:
    title, body = derive_title(f"Budget talks end in agreement\n{BODY}")
    assert (title, body) == ("Budget talks end in agreement", BODY)


def test_question_headline_and_markdown_heading_are_headlines() -> None:
    assert derive_title(f"Will the budget pass?\n{BODY}")[0] == "Will the budget pass?"
    assert derive_title(f"# Radio | Weekly news\n\n{BODY}")[0] == "Radio | Weekly news"


@pytest.mark.parametrize(
    "first_line",
    [
        "The committee met on Tuesday.",  # a sentence: final period
        "- a bullet point of a list",  # list item
        "Notes",  # a single word
        "Budget talks end in agreement after a long night of talks in the old town hall by the river banks today",
    ],
)
def test_lines_that_are_not_headlines_stay_in_the_body(first_line: str) -> None:
    title, body = derive_title(f"{first_line}\n{BODY}")
    assert body.startswith(first_line)
    assert len(title.split()) <= 15


def test_headline_needs_body_text_after_it() -> None:
    title, body = derive_title("Budget talks end in agreement\nMore soon.")
    assert body.startswith("Budget talks")
    assert title == "Budget talks end in agreement"  # lead sentence: the whole short first line


def test_lead_title_is_cut_to_fifteen_words_with_ellipsis() -> None:
    text = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen, sixteen."
    assert (
        lead_title(text) == "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen…"
    )
    assert lead_title("Short lead sentence here. Second sentence follows.") == "Short lead sentence here"


@pytest.mark.parametrize(
    ("lead", "title"),
    [
        (
            "Brussels, Apr 4 (AP) European allies said they would spend more.",
            "European allies said they would spend more",
        ),
        (
            "LONDON (Reuters) - The Bank of England held rates on Thursday.",
            "The Bank of England held rates on Thursday",
        ),
        ("WASHINGTON — The Senate voted on Tuesday to pass the bill.", "The Senate voted on Tuesday to pass the bill"),
        (
            "NATO allies agreed - after long talks - to spend more.",
            "NATO allies agreed - after long talks - to spend more",
        ),
        ("AP sources say the deal is close.", "AP sources say the deal is close"),
    ],
)
def test_lead_title_drops_a_wire_dateline(lead: str, title: str) -> None:
    assert lead_title(lead) == title


def test_lead_sentence_skips_abbreviations_and_closes_quotes() -> None:
    assert lead_title("Mr. Smith met U.S. officials. Then he left.") == "Mr. Smith met U.S. officials"
    quoted = '"We need to do much more on defence spending this year, next year and the year after," he said.'
    assert lead_title(quoted) == '"We need to do much more on defence spending this year, next year and the…"'
    balanced = '"We need more," the minister told reporters at the end of a long day of talks in Brussels.'
    assert lead_title(balanced) == '"We need more," the minister told reporters at the end of a long day of…'


# --- plain-text headers ------------------------------------------------------------------------------------------


def test_inline_date_header_keeps_text_on_the_same_line() -> None:
    header = split_header(" date 2025-04-04 Brussels, Apr 4 (AP) Allies met.\n\nMore text.")
    assert header.date == "2025-04-04"
    assert header.body.startswith("Brussels, Apr 4 (AP) Allies met.")


def test_header_block() -> None:
    header = split_header("date 2025-06-24\nsource Example News\nurl https://example.org/a\n\nText here.")
    assert (header.date, header.source, header.url) == ("2025-06-24", "Example News", "https://example.org/a")
    assert header.body.strip() == "Text here."


@pytest.mark.parametrize(
    "text",
    [
        "Source code of the app was published on Monday.",  # capitalised prose, not a header key
        "date night ideas for the summer are listed below.",  # 'date' not followed by a date
        "url not-a-url is not an address",
    ],
)
def test_prose_is_not_a_header(text: str) -> None:
    header = split_header(text)
    assert header.body == text
    assert (header.date, header.source, header.url) == (None, None, None)


# --- dates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-04-04", "2025-04-04"),
        ("2025-06-24T10:00:00Z", "2025-06-24T10:00:00+00:00"),
        ("Tue, 24 Jun 2025 10:00:00 +0200", "2025-06-24T10:00:00+02:00"),
        ("Mon, 02 Jun 2025 14:05:00 EST", "2025-06-02T14:05:00-05:00"),
        ("June 3, 2019", "2019-06-03"),
        ("3 June 2019", "2019-06-03"),
        ("2019-02-30", None),  # no such day
        ("June 2019", None),  # no day: it would have to be invented
        ("March 4", None),  # no year
        ("yesterday", None),
        ("sometime in spring", None),
        ("", None),
        (None, None),
        (20250404, None),
        ("2999-01-01", None),  # in the future
        ("Mon, 02 Jun 2025 14:05:00 -6434", None),  # an offset of days: no real time (found by fuzzing)
    ],
)
def test_normalise_date(raw: object, expected: str | None) -> None:
    assert normalise_date(raw) == expected


def test_incomplete_dates_never_become_today() -> None:
    today = date.today()
    for raw in (today.strftime("%B"), today.strftime("%d %B"), "10:30", "Monday"):
        result = normalise_date(raw)
        assert result is None or not result.startswith(today.isoformat())


# --- decoding ----------------------------------------------------------------------------------------------------

FRENCH = "Le député de Genève a présenté à la presse un budget où la défense pèse déjà lourd."


@pytest.mark.parametrize("codec", ["utf-8", "cp1252", "latin-1"])
def test_western_text_keeps_its_accents(codec: str) -> None:
    assert decode_bytes(FRENCH.encode(codec)) == FRENCH


def test_bom_and_declarations() -> None:
    assert decode_bytes(codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le")) == FRENCH
    page = '<html><head><meta charset="iso-8859-1"></head><body>“Zürich” – 5 €</body></html>'
    assert "“Zürich” – 5 €" in decode_bytes(page.encode("cp1252"))  # label read as Windows-1252
    assert decode_bytes("Zürich".encode("cp1252"), declared="windows-1252") == "Zürich"


def test_utf8_wins_over_a_wrong_single_byte_label() -> None:
    page = '<meta charset="iso-8859-1"><p>Zürich and Genève</p>'
    assert "Zürich and Genève" in decode_bytes(page.encode("utf-8"))


def test_mostly_utf8_with_stray_latin1_bytes() -> None:
    data = "Grüße aus Köln und München. ".encode() * 3 + "schön".encode("latin-1")
    assert decode_bytes(data).endswith("schön")


def test_polish_legacy_text_is_not_forced_to_cp1252() -> None:
    text = "Zażółć gęślą jaźń. Władze miasta ogłosiły w środę nowy plan budżetu na przyszły rok."
    decoded = decode_bytes(text.encode("cp1250"))
    assert "³" not in decoded and "¿" not in decoded


@pytest.mark.parametrize(
    "head", [b"\x89PNG\r\n\x1a\n\x00\x00", b"%PDF-1.7\n", b"PK\x03\x04rest", b"text with a \x00 NUL"]
)
def test_binary_signatures(head: bytes) -> None:
    assert looks_binary(head)


def test_text_is_not_binary() -> None:
    assert not looks_binary(FRENCH.encode())
    assert not looks_binary(codecs.BOM_UTF16_LE + "plain".encode("utf-16-le"))


def test_undecodable_bytes_are_refused_as_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(128, 256)) * 4 + bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 40)


# --- cleanup -----------------------------------------------------------------------------------------------------


def test_clean_text_normalises_whitespace_and_strips_controls() -> None:
    raw = "  First\tline \u200bhere\r\nsecond\u00a0line\x07\n\n\n\nNew   paragraph\u2028next\u202e line  "
    assert clean_text(raw) == "First line here\nsecond line\n\nNew paragraph\nnext line"


def test_truncate_prefers_a_word_boundary() -> None:
    assert truncate("alpha beta gamma delta", 16) == "alpha beta gamma"
    assert truncate("alpha beta gamma delta", 18) == "alpha beta gamma"
    assert truncate("abcdefghijklmnop", 5) == "abcde"
    assert truncate("short", 10) == "short"


# --- detection ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", "a.txt", "html"),
        ('<?xml version="1.0"?>\n<!-- note -->\n<rss version="2.0"><channel>', "a.txt", "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom">', "", "feed"),
        ('{"id": 1, "text": "x"}\n{"id": 2}', "data.txt", "jsonl"),
        ("Plain words about <b>bold</b> plans.", "notes.html", "html"),
        ("Plain words about the budget.", "notes.txt", "text"),
        ("Plain words about the budget.", "", "text"),
        ('{"id": 1, "text": "x"', "cut.jsonl", "jsonl"),
    ],
)
def test_sniff_format(head: str, name: str, expected: str) -> None:
    assert sniff_format(head, name) == expected


def test_content_type_breaks_ties() -> None:
    assert sniff_format("Just words.", "", "application/json") == "jsonl"
    assert sniff_format("Just words.", "", "text/plain") == "text"


# --- small fields ------------------------------------------------------------------------------------------------


def test_split_authors() -> None:
    assert split_authors("By Jane Roe and John Doe") == ["Jane Roe", "John Doe"]
    assert split_authors("Ann Lee; Bo Chan, Ann Lee") == ["Ann Lee", "Bo Chan"]
    assert split_authors("Martin Luther King, Jr.") == ["Martin Luther King Jr."]
    assert split_authors(["A. Writer", 7, ""]) == ["A. Writer"]
    assert split_authors(None) == []


def test_normalise_language() -> None:
    assert normalise_language("en-GB") == "en"
    assert normalise_language("pt_BR") == "pt"
    assert normalise_language("") is None
    assert normalise_language(None) is None


# --- HTML --------------------------------------------------------------------------------------------------------


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    fragment = "<p>One <b>bold</b> line.<br>Next line.</p><script>x()</script><ul><li>Item</li></ul>"
    assert html_to_text(fragment) == "One bold line.\nNext line.\n\nItem"
    assert html_to_text("plain &amp; simple") == "plain & simple"
    assert html_to_text("") == ""


def test_extract_html_without_main_text_raises() -> None:
    with pytest.raises(InputError, match="no main text"):
        extract_html(b"<html><head><title>Empty</title></head><body><!-- nothing --></body></html>")


def test_extract_html_accepts_str_and_url() -> None:
    paragraphs = "".join(f"<p>{BODY} Paragraph {n} adds more detail about the plan.</p>" for n in range(4))
    page = f"<html><head><title>Budget agreed</title></head><body><article>{paragraphs}</article></body></html>"
    article = extract_html(page, url="https://news.example.org/budget", location="somewhere")
    assert article.format == "html"
    assert article.url == "https://news.example.org/budget"
    assert article.title == "Budget agreed"
    assert article.text.count("\n\n") == 3
    assert "<p>" not in article.text
