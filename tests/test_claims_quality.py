"""Quality floors of figure extraction on both labelled sets: the seeds and 24 abp articles of July 2019.

The floors sit just under what ``bench/claims.py`` measures (docs/claims.md gives the figures), so that a change
that loses figures, units, subjects or kinds fails here.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from crosscheck.claims import ClaimExtractor
from crosscheck.claims.evaluate import Score, load_gold, score_claims
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings

pytestmark = pytest.mark.slow

_ID = re.compile(r'"ID":\s*"([^"]+)"')


@pytest.fixture(scope="module")
def extractor() -> ClaimExtractor:
    return ClaimExtractor()


def _abp_articles(shared: Path, ids: list[str]) -> list[tuple[str, str | None]]:
    wanted, rows = set(ids), {}
    with gzip.open(shared / "data" / "corpora" / "abp" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            found = _ID.search(line)
            if found and found.group(1) in wanted:
                row = json.loads(line)
                rows[row["ID"]] = (row.get("content_original") or "", (row.get("date") or "")[:10] or None)
                if len(rows) == len(wanted):
                    break
    return [rows[i] for i in ids]


def _check(score: Score, *, f1: float, subject: float, kind: float, exact: float = 0.0) -> None:
    assert score.f1 >= f1, (round(score.f1, 3), score.errors)
    assert score.subject_accuracy >= subject, (round(score.subject_accuracy, 3), score.errors)
    assert score.subject_exact >= exact, (round(score.subject_exact, 3), score.errors)
    assert score.kind_accuracy >= kind, (round(score.kind_accuracy, 3), score.errors)


def test_seed_quality_floor(extractor: ClaimExtractor, shared_dir: Path) -> None:
    seeds = [a for a in read_inputs([str(shared_dir / "seeds")], Settings()) if isinstance(a, ParsedArticle)]
    found = extractor.extract_many([(a.text, a.published) for a in seeds])
    score = score_claims(
        {a.external_id: f.claims for a, f in zip(seeds, found, strict=True)},
        load_gold(shared_dir / "gold" / "seed-claims.jsonl"),
    )
    _check(score, f1=0.95, subject=0.95, exact=0.95, kind=0.95)


def test_mixed_news_quality_floor(extractor: ClaimExtractor, shared_dir: Path) -> None:
    gold = shared_dir / "gold" / "claims-abp-2019-07.jsonl"
    ids = (shared_dir / "gold" / "claims-abp-2019-07.articles.txt").read_text(encoding="utf-8").split()
    found = extractor.extract_many(_abp_articles(shared_dir, ids))
    score = score_claims({i: f.claims for i, f in zip(ids, found, strict=True)}, load_gold(gold))
    _check(score, f1=0.94, subject=0.35, exact=0.24, kind=0.89)
    by_unit = {unit: s.f1 for unit, s in score.by_unit.items()}
    assert by_unit["count"] >= 0.90 and by_unit["percent"] >= 0.95 and by_unit["currency_usd"] >= 0.95, by_unit
