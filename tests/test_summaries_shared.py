"""Headlines and bullets of real coverage carry no page furniture: the month 2018-09 of the abp corpus grouped
by its gold stories, and the NATO 2025 articles with the seeds, summarised as stories are (no models needed).
The patterns here are written apart from the summariser's own."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from crosscheck import Settings
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.summaries.story import Member, StorySummary, summarize

MONTH = "2018-09"
HEADLINE = re.compile(
    r"^\s*opinion\s*[:|]|\|.*\||\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+\d{1,2}\.\d{1,2}\.\d{4}|"
    r"^\s*read\s+the\s+full\s+text|^[^a-z]{12,}$",
    re.IGNORECASE,
)
BULLET = re.compile(
    r"^#{1,6}\s|\*\*|^\s*\[[^\]]*\]|\((?:photo|image)s?:|/AP Photo|Getty Images|^\s*\||^\s*(?:CLOSE\b|More:)|"
    r"opinions expressed|do not represent the views",
)


@pytest.fixture(scope="module")
def summaries(shared_dir: Path) -> list[StorySummary]:
    labels = (shared_dir / "gold" / f"stories-{MONTH}.jsonl").read_text(encoding="utf-8").splitlines()
    gold = {r["id"]: r["story"] for r in map(json.loads, labels)}
    stories: dict[str, list[Member]] = {}
    with gzip.open(shared_dir / "data" / "corpora" / "abp" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if f'"date": "{MONTH}' in line and (row := json.loads(line))["ID"] in gold:
                member = Member(number, row["title"], False, row["content_original"] or "", False, row["date"][:10])
                stories.setdefault(gold[row["ID"]], []).append(member)
    folders = [str(shared_dir / "seeds"), str(shared_dir / "data" / "corpora" / "nato-2025")]
    nato = [a for a in read_inputs(folders, Settings()) if isinstance(a, ParsedArticle)]
    stories["nato"] = [Member(n, a.title, a.title_derived, a.text, False, (a.published or "")[:10] or None)
                       for n, a in enumerate(nato)]  # fmt: skip
    return [summarize(members, [], Settings()) for members in stories.values()]


def test_no_headline_is_a_label_a_programme_or_a_full_text(summaries: list[StorySummary]) -> None:
    assert len(summaries) == 164
    assert [s.headline for s in summaries if HEADLINE.search(s.headline)] == []


def test_no_bullet_is_markup_a_caption_a_credit_or_a_disclaimer(summaries: list[StorySummary]) -> None:
    bullets = [b.text for s in summaries for b in s.bullets]
    assert len(bullets) > 500
    assert [b for b in bullets if BULLET.search(b)] == []
