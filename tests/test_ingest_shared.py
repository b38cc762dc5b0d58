"""Reading the project's own inputs from ``../shared``: the five seed texts and the nato-2025 corpus.

Skipped with a clear reason when ``../shared`` is absent (``$CROSSCHECK_SHARED`` overrides its location).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings


def _shared() -> Path:
    override = os.environ.get("CROSSCHECK_SHARED")
    return Path(override) if override else Path(__file__).resolve().parents[1].parent / "shared"


def _articles(folder: str) -> dict[str, ParsedArticle]:
    path = _shared() / folder
    if not path.is_dir():
        pytest.skip(f"../shared not found: {path} is missing (set CROSSCHECK_SHARED to its location)")
    items = list(read_inputs([str(path)], Settings()))
    assert all(isinstance(item, ParsedArticle) for item in items), [str(i) for i in items]
    return {Path(item.location).name: item for item in items if isinstance(item, ParsedArticle)}


def test_seeds() -> None:
    seeds = _articles("seeds")
    assert len(seeds) == 5
    by_prefix = {name[:3]: article for name, article in seeds.items()}
    first = by_prefix["000"]
    assert first.published == "2025-04-04"
    assert first.text.startswith("Brussels, Apr 4 (AP) European NATO allies")
    assert first.title_derived and first.title.endswith("…") and len(first.title.split()) == 15
    assert by_prefix["001"].published == "2025-05-15"
    assert by_prefix["002"].published is None and by_prefix["003"].published is None
    aggregator = by_prefix["004"]
    assert aggregator.title == "US pressures NATO to seal deal on ramping up defence spending"
    assert aggregator.title_derived and not aggregator.text.startswith("US pressures")
    for name, article in seeds.items():
        assert article.format == "text" and article.external_id == name
        assert article.source_name is None and article.url is None


def test_nato_corpus_headers() -> None:
    corpus = _articles("data/corpora/nato-2025")
    assert len(corpus) == 13
    for name, article in corpus.items():
        assert article.published == re.search(r"_(\d{4}-\d{2}-\d{2})_", name).group(1)  # type: ignore[union-attr]
        assert article.source_name and article.url and article.url.startswith("https://")
        assert article.title and article.title_derived
        assert not article.text.startswith(("date ", "source ", "url "))
    white_house = next(a for n, a in corpus.items() if n.startswith("whitehouse_2025-06-25_one-big"))
    assert white_house.title == "Analysis: One Big Beautiful Bill Will Boost Wages, Lower Deficits"
    assert white_house.source_name.startswith("The White House")  # type: ignore[union-attr]
