"""Property tests (Hypothesis) of every parser and normaliser on the ingest path: plain-text headers, dates,
decoding, line splitting and gzip streaming, text cleanup, URLs, registered domains and duplicate fingerprints;
and of the figures ledger's number parsing and figure formatting (``crosscheck.claims``).

Hypothesis runs derandomized (the same examples on every run, so CI cannot flake) with a moderate number of
examples and no per-example deadline; a failure prints the shrunk example to paste into a unit test.
``CROSSCHECK_HYPOTHESIS=explore`` runs a long randomized search instead (by hand, not in CI).
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import os
import string
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crosscheck.claims import numbers, units
from crosscheck.dedup import fingerprint
from crosscheck.domains import registered_domain
from crosscheck.errors import InputError
from crosscheck.ingest.cleanup import clean_line, clean_text, printable
from crosscheck.ingest.dates import normalise_date
from crosscheck.ingest.decode import decode_bytes, decode_head, looks_binary
from crosscheck.ingest.detect import sniff_format
from crosscheck.ingest.html import html_to_text
from crosscheck.ingest.jsonl import parse_jsonl
from crosscheck.ingest.meta import clean_url, split_authors
from crosscheck.ingest.stream import LongLine, gunzip_chunks, iter_lines
from crosscheck.ingest.text import parse_plain_text, split_header
from crosscheck.models import IngestFailure, ParsedArticle

settings.register_profile(
    "crosscheck",
    derandomize=True,
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("CROSSCHECK_HYPOTHESIS", "crosscheck"))  # "explore": a long random search

UNSAFE = ("Cc", "Cs", "Zl", "Zp")  # controls, lone surrogates, line and paragraph separators
LINE_CHARS = st.characters(blacklist_categories=UNSAFE)  # what one line of a header may hold


def _chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(cut % (len(data) + 1) for cut in cuts)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


# --- plain text ------------------------------------------------------------------------------------------------

header_value = st.text(LINE_CHARS, min_size=1, max_size=40).filter(lambda s: s == s.strip() and bool(s.split()))
header_date = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat)
header_url = st.from_regex(r"https://[a-z]{1,12}\.(org|com|co\.uk)(/[a-z0-9-]{1,10}){0,3}", fullmatch=True)


@given(st.text())
def test_plain_text_parsing_never_raises(text: str) -> None:
    article = parse_plain_text(text, external_id="x", location="x.txt")
    assert "\n" not in article.title
    assert article.text == clean_text(article.text)


@given(header_date, header_value, header_url, st.text())
def test_text_header_fields_round_trip(day: str, source: str, url: str, body: str) -> None:
    header = split_header(f"date {day}\nsource {source}\nurl {url}\n\n{body}")
    assert (header.date, header.source, header.url) == (day, source, url)
    assert header.body == "\n" + body


@given(header_date, header_value)
def test_seed_style_date_line_round_trips(day: str, rest: str) -> None:
    header = split_header(f" date {day} {rest}\nmore text")
    assert header.date == day
    assert header.body == f"{rest}\nmore text"


# --- dates -----------------------------------------------------------------------------------------------------

plausible = st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2024, 12, 31))
zones = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


@given(st.one_of(st.text(), st.text(string.digits + "-:TZ+ ", max_size=30)))
@example("2024-02-30")
@example("99999-01-01")
def test_date_normalisation_never_raises_and_is_idempotent(value: str) -> None:
    found = normalise_date(value)
    if found is not None:
        assert normalise_date(found) == found
        parsed = datetime.fromisoformat(found)
        aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        assert aware <= datetime.now(UTC) + timedelta(days=2, hours=14)  # never in the future, whatever the zone


@given(plausible, zones)
def test_iso_and_rfc2822_dates_keep_their_instant(moment: datetime, zone: timezone) -> None:
    aware = moment.replace(microsecond=0, tzinfo=zone)
    for written in (aware.isoformat(), format_datetime(aware)):
        found = normalise_date(written)
        assert found is not None and datetime.fromisoformat(found) == aware, written
    assert normalise_date(aware.date().isoformat()) == aware.date().isoformat()


# --- decoding and format detection -----------------------------------------------------------------------------


@given(st.binary(max_size=2000))
def test_decoding_arbitrary_bytes_gives_text_or_input_error(data: bytes) -> None:
    looks_binary(data)
    decode_head(data)
    sniff_format(decode_head(data), "x.bin", "")
    with contextlib.suppress(InputError):
        assert isinstance(decode_bytes(data), str)


@given(st.text(st.characters(blacklist_categories=("Cs",))).filter(lambda s: not s.startswith("\ufeff")))
def test_utf8_round_trips(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == text


WESTERN = st.lists(st.sampled_from(["Café", "crème", "Zürich", "Müller", "señora", "año", "garçon", "über", "été"]))


@given(WESTERN, st.lists(st.sampled_from(["the", "council", "met", "on", "Tuesday", "budget", "and"]), min_size=8))
def test_latin1_text_keeps_its_accents(accented: list[str], words: list[str]) -> None:
    text = " ".join(words[:4] + accented + words[4:]) + "."
    assert decode_bytes(text.encode("cp1252")) == text


# --- streams -----------------------------------------------------------------------------------------------------


@given(st.binary(max_size=3000), st.lists(st.integers(0, 3000), max_size=8), st.integers(1, 200))
def test_line_splitting_matches_split_whatever_the_chunks(data: bytes, cuts: list[int], cap: int) -> None:
    expected = data.split(b"\n")
    if expected[-1] == b"":
        expected.pop()
    got = list(iter_lines(_chunked(data, cuts), cap))
    assert len(got) == len(expected)
    for line, want in zip(got, expected, strict=True):
        assert line == (LongLine(len(want), cap) if len(want) > cap else want)


@given(st.binary(max_size=5000), st.lists(st.integers(0, 6000), max_size=6))
def test_gzip_streaming_round_trips(data: bytes, cuts: list[int]) -> None:
    compressed = gzip.compress(data)
    assert b"".join(gunzip_chunks(_chunked(compressed, cuts), cap=len(data))) == data
    if data:
        with pytest.raises(InputError, match="max_decompressed_bytes"):
            b"".join(gunzip_chunks([compressed], cap=len(data) - 1))


@given(st.lists(st.binary(max_size=300), max_size=8))
def test_json_lines_parsing_never_raises(lines: list[bytes]) -> None:
    for item in parse_jsonl(lines, name="x.jsonl", location="x.jsonl"):
        assert isinstance(item, ParsedArticle | IngestFailure)


# --- cleanup -----------------------------------------------------------------------------------------------------


@given(st.text())
def test_cleanup_is_idempotent_and_leaves_no_controls(text: str) -> None:
    cleaned, line = clean_text(text), clean_line(text)
    assert clean_text(cleaned) == cleaned and clean_line(line) == line
    assert "\n" not in line and not any(ord(char) < 32 and char != "\n" for char in cleaned)
    shown = printable(text, 80)
    assert len(shown) <= 80
    assert not any(unicodedata.category(char) in UNSAFE or "\u202a" <= char <= "\u202e" for char in shown)


@given(st.text(max_size=500))
@example("<p>a\x01b</p>")  # found by the fuzzer: one control character failed a whole feed
@example("<p>&#1;x</p><br>&#xfffe;")
def test_html_snippets_become_text_without_raising(fragment: str) -> None:
    text = html_to_text(fragment)
    assert text == clean_text(text)


@given(st.one_of(st.text(), st.lists(st.text(), max_size=5), st.integers()))
def test_authors_are_clean_distinct_names(value: object) -> None:
    names = split_authors(value)
    assert len(names) == len(set(names)) <= 20
    assert all(name and "\n" not in name for name in names)


# --- URLs and outlets ------------------------------------------------------------------------------------------

url_like = st.one_of(st.text(), st.text(string.printable).map(lambda s: "http://" + s))


@given(url_like)
@example("http://[abc/x")
@example("http://a:99999/")
def test_a_stored_url_always_has_a_registered_domain_or_none(value: str) -> None:
    url = clean_url(value)
    if url is not None:
        domain = registered_domain(url)
        assert domain is None or registered_domain(domain) == domain


@given(st.from_regex(r"(https?://)?([a-z0-9-]{1,10}\.){1,4}[a-z]{2,6}(:[0-9]{1,4})?(/\S*)?", fullmatch=True))
def test_registered_domain_is_idempotent_on_its_output(url: str) -> None:
    domain = registered_domain(url)
    assert domain is None or (registered_domain(domain) == domain and domain == domain.lower())


@given(url_like)
@example("http://[abc/x")
def test_registered_domain_never_raises_on_any_text(value: str) -> None:
    registered_domain(value)


def test_a_host_with_a_space_has_no_registered_domain() -> None:
    assert registered_domain("A:// .A") is None


# --- duplicate fingerprints --------------------------------------------------------------------------------------


@given(st.text())
def test_normalised_text_is_a_fixed_point_and_hashes_the_same(text: str) -> None:
    normal = fingerprint.normalize_text(text)
    assert fingerprint.normalize_text(normal) == normal
    assert fingerprint.text_hash(normal) == fingerprint.text_hash(text)
    assert len(fingerprint.text_hash(text)) == 64


@given(st.lists(st.text(string.ascii_letters + string.digits, min_size=1), min_size=1), st.sampled_from(" \n\t,.;!"))
def test_fingerprint_ignores_case_spacing_and_punctuation(words: list[str], separator: str) -> None:
    plain = " ".join(words)
    noisy = separator.join(word.upper() for word in words) + "!"
    assert fingerprint.text_hash(noisy) == fingerprint.text_hash(plain)


# --- figures ledger: numbers and units (crosscheck.claims) ------------------------------------------------------


@given(st.text(max_size=40))
@example("1,2,3")
@example("−")
def test_number_parsing_never_raises(text: str) -> None:
    value = numbers.parse_number(text)
    assert value is None or isinstance(value, float)


@given(st.integers(-(10**12), 10**12))
def test_integers_round_trip_with_and_without_thousands_separators(value: int) -> None:
    assert numbers.parse_number(str(value)) == value
    assert numbers.parse_number(f"{value:,}") == value
    assert numbers.parse_number(f"{value}".replace("-", "\u2212")) == value  # a typographic minus sign


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimals_round_trip(value: Decimal) -> None:
    assert numbers.parse_number(f"{value:,.2f}") == float(round(value, 2))


@given(st.text(max_size=12), st.text(max_size=12))
@example("two", "thirds")
@example("three", "quarters")
def test_fractions_are_proper_or_none(numerator: str, denominator: str) -> None:
    value = numbers.fraction_value(numerator, denominator)
    assert value is None or 0 < value < 1


@given(
    st.floats(min_value=0, max_value=1e15, allow_nan=False),
    st.one_of(st.none(), st.floats(min_value=0, max_value=1e15, allow_nan=False)),
    st.sampled_from(units.UNITS),
)
def test_every_figure_formats(value: float, value_high: float | None, unit: str) -> None:
    written = units.format_figure(value, value_high, unit)
    assert written and "\n" not in written
