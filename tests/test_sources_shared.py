"""The outlet registry on the shared research data: every rater file imports, the month 2018-09 of the abp corpus
is rated, and the seeds' unrated articles are explained. Articles are stored directly (no models)."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crosscheck import Settings, Store
from crosscheck.exports import export_rows
from crosscheck.ingest import read_inputs
from crosscheck.models import ParsedArticle
from crosscheck.sources import outlet_for
from crosscheck.sources.assess import Assessor
from crosscheck.sources.datelines import AGENCIES
from crosscheck.sources.naming import registry_names
from crosscheck.sources.publisher import display_name
from crosscheck.sources.registry import ImportReport, import_shared
from crosscheck.storage import ratings as db
from crosscheck.storage.records import ArticleRecord
from crosscheck.web.app import create_app

MONTH = "2018-09"


def _store(store: Store, article: ParsedArticle, key: str) -> int:
    outlet = outlet_for(article.url, article.source_name, article.text)  # as the pipeline does
    return store.insert_article(article, key=key, outlet_id=store.outlet_id(outlet.domain, outlet.name),
                                text_hash=key, duplicate_of=None, duplicate_kind=None, note=outlet.note)  # fmt: skip


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
            nato = store.create_story()
            for n, article in enumerate(read_inputs([str(shared_dir / "data" / "corpora" / "nato-2025")], Settings())):
                assert isinstance(article, ParsedArticle)
                store.set_story(_store(store, article, f"nato-{n}"), nato)
            seeds = store.create_story()
            for n, article in enumerate(read_inputs([str(shared_dir / "seeds")], Settings())):
                assert isinstance(article, ParsedArticle)
                store.set_story(_store(store, article, f"seed-{n}"), seeds)
            for story in [*stories.values(), nato, seeds]:
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
        rows = _month_rows(store)
        month = [assessor.assess(r.outlet_domain, r.outlet, r.url).ownership for r in rows]
    owned = [o for o in month if o is not None]
    assert len(month) == 375 and len(owned) / len(month) >= 0.9
    assert all(o.sources and o.owner_type for o in owned)


def _month_rows(store: Store) -> list[ArticleRecord]:
    return [r for r in store.reader.iter_articles() if r.format == "jsonl"]


def test_no_articles_outlet_is_a_person(shared_dir: Path, shared_db: tuple[Path, list[ImportReport]]) -> None:
    with (shared_dir / "data" / "ratings" / "allsides-2019-10.csv").open(encoding="utf-8") as fh:
        authors = {r["news_source"] for r in csv.DictReader(fh) if r["type"].lower() == "author"} - {"AP"}
    people = authors | {"Hillary Clinton"}  # the abp corpus's source field names columnists and politicians
    with Store(shared_db[0]) as store:
        rows = _month_rows(store)
    assert len(rows) == 375
    assert not [(r.outlet, r.url) for r in rows if r.outlet in people or r.outlet.split(" (")[0] in people]
    assert not [r.outlet for r in rows if r.outlet in ("CNN (Web News)", "Fox Online News", "New York Times - News")]


def test_every_rated_domain_shows_its_raters_name(shared_db: tuple[Path, list[ImportReport]]) -> None:
    with Store(shared_db[0]) as store:
        given: dict[str, set[str]] = {}
        for domain, name in store.conn.execute(
            "SELECT domain, name FROM rating_entries WHERE name IS NOT NULL AND host = domain AND path = ''"
        ):
            given.setdefault(domain, set()).add(display_name(name))
        rows = _month_rows(store)
    named = [r for r in rows if r.outlet_domain in given]
    assert len(named) / len(rows) >= 0.95
    assert not [(r.outlet, r.outlet_domain) for r in named if r.outlet.split(" (")[0] not in given[r.outlet_domain]]
    by_domain = {r.outlet_domain: r.outlet for r in named}
    assert by_domain["nationalreview.com"] == "National Review" and by_domain["theatlantic.com"] == "The Atlantic"
    assert (by_domain["cnn.com"], by_domain["foxnews.com"]) == ("CNN", "Fox News")


def test_republished_bbc_texts_are_credited_to_the_bbc(shared_db: tuple[Path, list[ImportReport]]) -> None:
    with Store(shared_db[0]) as store:
        bbc = [r for r in store.reader.iter_articles() if "thebadely" in (r.url or "")]
        assessor = Assessor(store.conn)
        rated = [assessor.assess(r.outlet_domain, r.outlet, r.url).bias for r in bbc]
    assert len(bbc) == 7
    assert {r.outlet_domain for r in bbc} <= {"bbc.com", "bbc.co.uk"} and {r.outlet for r in bbc} == {"BBC News"}
    assert {r.note for r in bbc} == {"republished by thebadely.github.io"}
    assert None not in rated
    with TestClient(create_app(shared_db[0])) as client:
        html = client.get(f"/articles/{bbc[0].id}").text
    assert "BBC News, republished by thebadely.github.io" in html


def test_the_month_is_rated(shared_db: tuple[Path, list[ImportReport]]) -> None:
    with Store(shared_db[0]) as store:
        rows = [r for r in export_rows(store.reader, "articles") if r["format"] == "jsonl"]
        stories = list(export_rows(store.reader, "stories"))
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
    assert unrated.count("no bias or factuality: no outlet named in the input") == 4  # the fifth names AP
    assert "Bias distribution" in html and '<th scope="row">unrated</th><td>4 ' in html


def test_the_seed_whose_dateline_names_ap_is_rated_as_ap(shared_db: tuple[Path, list[ImportReport]]) -> None:
    with Store(shared_db[0]) as store:
        seeds = [r for r in store.reader.iter_articles() if Path(r.location).parent.name == "seeds"]
        credited = [r for r in seeds if r.note == "credited in the dateline"]
        assert len(seeds) == 5 and [r.external_id[:4] for r in credited] == ["000_"]
        found = Assessor(store.conn).assess(credited[0].outlet_domain, credited[0].outlet, credited[0].url)
        stated = [r for r in _month_rows(store) if r.note is not None]
    assert (credited[0].outlet, credited[0].outlet_domain) == ("Associated Press", "apnews.com")
    assert found.bias == "center" and found.factuality is not None
    assert found.ownership is not None and found.ownership.owner_type == "cooperative"
    assert stated == []  # the month's articles state their outlet: no dateline credits any of them


def test_every_agency_a_dateline_credits_has_the_name_and_domain_the_rater_files_use(
    shared_db: tuple[Path, list[ImportReport]],
) -> None:
    agencies = sorted(set(AGENCIES.values()), key=lambda a: a.domain)
    with Store(shared_db[0]) as store:
        names = registry_names(store.conn)
        assessor = Assessor(store.conn)
        found = {a.domain: assessor.assess(a.domain, a.name) for a in agencies}
    assert [(a.name, names[a.domain]) for a in agencies if a.domain in names and names[a.domain] != a.name] == []
    unrated = [d for d, f in found.items() if f.bias is None and f.factuality is None and f.ownership is None]
    assert unrated == ["kyodonews.net", "yna.co.kr"]  # MBFC rates only their English editions' sub-domains
    assert found["apnews.com"].ownership is not None and found["reuters.com"].bias == "center"
