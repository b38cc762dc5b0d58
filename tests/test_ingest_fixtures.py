"""Fixture-driven ingest tests: every ``tests/fixtures/ingest/NAME`` has a ``NAME.expect.json`` sidecar that says
what the fixture tests and which items (articles or failures, in order) reading it must yield.

Each fixture is read twice: as is, and gzip-compressed (the same expectations must hold, since formats are
detected by content and the external id of a file ignores a ``.gz`` suffix).

Sidecar items: ``failure`` (a substring of the failure reason) or ParsedArticle field values compared exactly;
``location_suffix`` (appended to the path, e.g. ``:3`` or ``#entry-2``); ``text_startswith``, ``text_contains``
and ``text_excludes`` for the text.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from crosscheck.ingest import read_inputs
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SIDECAR = ".expect.json"
TEXT_CHECKS = {"failure", "location_suffix", "text_startswith", "text_contains", "text_excludes"}


def _fixtures() -> list[Path]:
    return sorted(path for path in FIXTURES.iterdir() if path.name.endswith(SIDECAR))


def _check_item(item: ParsedArticle | IngestFailure, expected: dict[str, Any], path: Path) -> None:
    location = str(path) + expected.get("location_suffix", "")
    assert item.location == location
    if "failure" in expected:
        assert isinstance(item, IngestFailure), f"expected a failure, got an article: {item}"
        assert expected["failure"] in item.reason
        return
    assert isinstance(item, ParsedArticle), f"expected an article, got failure: {item}"
    for key, value in expected.items():
        if key not in TEXT_CHECKS:
            assert getattr(item, key) == value, f"{key}: {getattr(item, key)!r} != {value!r}"
    assert item.text.startswith(expected.get("text_startswith", "")), item.text[:200]
    for fragment in expected.get("text_contains", []):
        assert fragment in item.text, f"{fragment!r} not in text {item.text!r}"
    for fragment in expected.get("text_excludes", []):
        assert fragment not in item.text, f"{fragment!r} found in text {item.text!r}"


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("sidecar", _fixtures(), ids=lambda path: path.name.removesuffix(SIDECAR))
def test_fixture(sidecar: Path, compressed: bool, tmp_path: Path) -> None:
    spec = json.loads(sidecar.read_text(encoding="utf-8"))
    assert spec.get("about"), "each sidecar says what its fixture tests"
    fixture = sidecar.with_name(sidecar.name.removesuffix(SIDECAR))
    path = tmp_path / fixture.name
    if compressed:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(fixture.read_bytes()))
    else:
        shutil.copyfile(fixture, path)
    items = list(read_inputs([str(path)], Settings()))
    assert len(items) == len(spec["items"]), [str(item)[:120] for item in items]
    for item, expected in zip(items, spec["items"], strict=True):
        _check_item(item, expected, path)


def test_every_fixture_has_a_sidecar() -> None:
    for path in FIXTURES.iterdir():
        if not path.name.endswith(SIDECAR):
            assert path.with_name(path.name + SIDECAR).exists(), f"{path.name} has no {SIDECAR} sidecar"
