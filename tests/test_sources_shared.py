"""The outlet registry on the shared research data: every rater file imports, the month 2018-09 of the abp corpus
is rated, and the seeds' unrated articles are explained. Articles are stored directly (no models)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosscheck import Settings, Store
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.sources import outlet_for
from crosscheck.sources.assess import Assessor
from crosscheck.sources.registry import ImportReport, import_shared
from crosscheck.storage import ratings as db
from crosscheck.web.app import create_app

MONTH = "2018-09"


def _store(store: Store, article: ParsedArticle, key: str) -> int:
    outlet = outlet_for(article.url, article.source_name)
    return store.insert_article(article, key=key, outlet_id=store.outlet_id(outlet.domain, outlet.name),
                                text_hash=key, duplicate_of=None, duplicate_kind=None)  # fmt: skip


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> tuple[Path, list[ImportReport]]:
    """The month's articles (one story per gold story) and the seeds (one story), with every rater file."""
    path = tmp_path_factory.mktemp("shared") / "shared.db"
    corpus = shared_dir / "data" / "corpora" / "abp" / "articles.jsonl.gz"
    labels = (shared_dir / "gold" / f"stories-{MONTH}.jsonl").read_text(encoding="utf-8").splitlines()
    gold = {r["id"]: r["story"] for r in map(json.loads, labels)}
    with Store(path) as store:
        with store.transaction(), gzip.open(corpus, "rt", encoding="utf-8") as fh:
            stories: dict[str, int] = {}
            for line in fh:
                if f'"date": "{MONTH}' not in line:
                    continue
                row = json.loads(line)
                article = ParsedArticle(external_id=row["ID"], text=row["content_original"] or "-", title=row["title"],
                                        url=row["url"], source_name=row["source"], published=row["date"],
                                        format="jsonl")  # fmt: skip
                story = stories.setdefault(gold[row["ID"]], store.create_story())
                store.set_story(_store(store, article, row["ID"]), story)
            seeds = store.create_story()
            for n, article in enumerate(read_inputs([str(shared_dir / "seeds")], Settings())):
                assert isinstance(article, ParsedArticle)
                store.set_story(_store(store, article, f"seed-{n}"), seeds)
            for story in [*stories.values(), seeds]:
                store.update_story_summary(story, headline=f"story {story}", bullets=[], why=[])
        reports = import_shared(store, shared_dir)
    return path, reports


def test_every_shared_rater_file_imports(shared_db: tuple[Path, list[ImportReport]]) -> None:
    reports = {r.source_id: r for r in shared_db[1]}
    assert set(reports) == {"ratings/mbfc-2025-12.json", "ratings/allsides-2019-10.csv", "ratings/allsides-recent.csv",
                            "baly-emnlp18/corpus.tsv", "baly-acl2020/corpus.tsv",
                            "local-news-2018/local_news_dataset_2018.csv", "ratings/owners-2025.csv"}  # fmt: skip
    assert reports["ratings/mbfc-2025-12.json"].entries > 8900
    assert reports["baly-emnlp18/corpus.tsv"].rated_on == "2018"
    with Store(shared_db[0]) as store:
        files = {s.id: s for s in db.sources(store.conn)}
    allsides = files["ratings/allsides-2019-10.csv"]  # names only: most are matched to a domain by name
    assert allsides.resolved / allsides.entries > 0.7


def test_the_months_ownership_is_known_with_its_source(shared_db: tuple[Path, list[ImportReport]]) -> None:
    with Store(shared_db[0]) as store:
        assessor = Assessor(store.conn)
        rows = [r for r in store.reader.iter_articles() if r.format == "jsonl"]
        month = [assessor.assess(r.outlet_domain, r.outlet, r.url).ownership for r in rows]
    owned = [o for o in month if o is not None]
    assert len(month) == 375 and len(owned) / len(month) >= 0.9
    assert all(o.sources and o.owner_type for o in owned)


def test_the_month_is_rated(shared_db: tuple[Path, list[ImportReport]]) -> None:
    with Store(shared_db[0]) as store:
        rows = [r for r in store.reader.article_export_rows() if r["format"] == "jsonl"]
        stories = list(store.reader.story_export_rows())
    assert len(rows) == 375
    assert sum(r["bias"] is not None for r in rows) / len(rows) >= 0.9
    assert sum(r["factuality"] is not None for r in rows) / len(rows) >= 0.9
    assert all("bias_by_report" in s["coverage"] for s in stories)


def test_the_seeds_page_says_which_articles_are_unrated_and_why(shared_db: tuple[Path, list[ImportReport]]) -> None:
    with Store(shared_db[0]) as store:
        seeds = max(s.id for s in store.reader.stories(limit=1000))
    with TestClient(create_app(shared_db[0])) as client:
        html = client.get(f"/stories/{seeds}").text
    unrated = html[html.index('id="unrated-h"') :]
    assert unrated.count("no bias or factuality: no outlet named in the input") == 5
    assert "Bias distribution" in html and '<th scope="row">unrated</th><td>5 ' in html
