"""Shared fixtures: the shared data folder, and databases built once per session by the real pipeline."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from browser_support import browser, sync_api  # noqa: F401  (the browser tests' fixtures)
from crosscheck import Settings, Store
from crosscheck.models import ParsedArticle
from crosscheck.sources import UNKNOWN_OUTLET
from crosscheck.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "crosscheck" / "examples" / "articles"


def _shared() -> Path:
    return Path(os.environ.get("CROSSCHECK_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared, or skip: the tests that need the shared research data say so."""
    path = _shared()
    if not (path / "seeds").is_dir():
        pytest.skip(f"../shared not found at {path} (set CROSSCHECK_SHARED): test needs the shared data")
    return path


@pytest.fixture(scope="session")
def pipeline_factory() -> Iterator[object]:
    """Builds pipelines that share one loaded embedding model, entity recogniser and figure extractor."""
    from crosscheck.claims import ClaimExtractor
    from crosscheck.clustering import MiniLMEmbedder
    from crosscheck.entities import SpacyRecognizer
    from crosscheck.pipeline import Pipeline

    embedder, recognizer, figures = MiniLMEmbedder(), SpacyRecognizer(), ClaimExtractor()

    def make(store: Store, settings: Settings | None = None) -> Pipeline:
        return Pipeline(store, settings, embedder=embedder, recognizer=recognizer, figures=figures)

    yield make


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory, pipeline_factory) -> Path:  # type: ignore[no-untyped-def]
    """A database holding the bundled example corpus."""
    path = tmp_path_factory.mktemp("examples") / "examples.db"
    with Store(path) as store:
        pipeline_factory(store).ingest([str(EXAMPLES)])
    return path


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory, pipeline_factory, shared_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    """A database holding the five seed texts."""
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Store(path) as store:
        pipeline_factory(store).ingest([str(shared_dir / "seeds")])
    return path


@pytest.fixture(scope="session")
def showcase_db(tmp_path_factory: pytest.TempPathFactory, pipeline_factory, shared_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    """The pages a reader meets first: the seeds, the NATO 2025 story and the largest saga story of the abp
    month 2018-09 (its gold-labelled articles), with the shared rater and owner files imported."""
    from crosscheck.demo import showcase_inputs
    from crosscheck.sources.registry import import_shared

    folder = tmp_path_factory.mktemp("showcase")
    path = folder / "showcase.db"
    with Store(path) as store:
        pipeline_factory(store).ingest(showcase_inputs(shared_dir, folder))
        import_shared(store, shared_dir)
    return path


# --- web UI (tests/test_web*.py): a small database written through Store directly, no ML pipeline --------

WEB_SCRIPT = "<script>alert(1)</script>"
WEB_IMG = "<img src=x onerror=alert(1)>"
WEB_HOSTILE_TITLE = f"{WEB_SCRIPT} Defence ministers meet {WEB_IMG}"
WEB_HOSTILE_TEXT = (
    f"Ministers gathered in Brussels. {WEB_SCRIPT} The alliance agreed on spending. {WEB_IMG}\n\n"
    "A second paragraph about NATO defence spending targets and the summit in The Hague."
)
WEB_FILLER_STORIES = 31  # with the two real stories: 33 stories (37 articles), so the home page has two pages


def _web_article(store: Store, outlet: int, ext: str, *, dup: int | None = None, kind: str | None = None,
             **fields: object) -> int:  # fmt: skip
    parsed = ParsedArticle(external_id=ext, location=f"/inputs/{ext}.txt", **fields)  # type: ignore[arg-type]
    return store.insert_article(
        parsed, key=f"key-{ext}", outlet_id=outlet, text_hash=f"hash-{ext}", duplicate_of=dup, duplicate_kind=kind
    )


def _web_bullets(*items: tuple[str, list[int]]) -> list[dict[str, object]]:
    return [{"text": text, "article_ids": ids} for text, ids in items]


class WebDB:
    """The web tests' database: its path and the ids it was built with (by short name)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.articles: dict[str, int] = {}
        self.stories: dict[str, int] = {}


def build_web_database(path: Path) -> WebDB:
    """Two real stories (one with a hostile article), a merged story id and filler stories for paging."""
    ids = WebDB(path)
    a = ids.articles
    with Store(path) as store, store.transaction():
        reuters = store.outlet_id("reuters.com", "Reuters")
        bbc = store.outlet_id("bbc.co.uk", "BBC News")
        blog = store.outlet_id(None, "A local blog")
        evil = store.outlet_id("evil.example", f"Evil {WEB_SCRIPT} Outlet")
        a["reuters"] = _web_article(
            store,
            reuters,
            "r1",
            title="NATO allies agree to raise defence spending",
            text="NATO allies agreed on Thursday to raise defence spending to 5% of GDP.\n\n"
            "Spain asked for an exemption.",
            url="https://www.reuters.com/world/nato-1",
            published="2025-06-05T10:00:00+00:00",
            authors=["Jane Roe", "John Doe"],
        )
        a["bbc"] = _web_article(
            store,
            bbc,
            "b1",
            title="Hague summit: what NATO's new target means",
            text="The Hague summit set a new target for NATO members' defence budgets.",
            url="https://www.bbc.co.uk/news/nato-2",
            published="2025-06-04",
        )
        a["copy"] = _web_article(
            store,
            blog,
            "c1",
            dup=a["reuters"],
            kind="exact",
            title="NATO allies agree to raise defence spending (copy)",
            text="NATO allies agreed on Thursday to raise defence spending to 5% of GDP.",
            published="2025-06-06",
            title_derived=True,
            partial=True,
            truncated=True,
        )
        a["undated"] = _web_article(
            store,
            blog,
            "u1",
            title="Undated note on NATO spending",
            text="A note on NATO spending without a date.",
            url="javascript:alert(1)",
        )
        a["hostile"] = _web_article(
            store,
            evil,
            "h1",
            title=WEB_HOSTILE_TITLE,
            text=WEB_HOSTILE_TEXT,
            url="https://evil.example/a?x=<script>",
            published="2025-06-10",
        )
        nato = ids.stories["nato"] = store.create_story()
        for name in ("reuters", "bbc", "copy", "undated"):
            store.set_story(a[name], nato)
        store.add_entities(a["reuters"], [("NATO", "ORG", 3), ("Spain", "GPE", 1), ("Mark Rutte", "PERSON", 1)])
        store.add_entities(a["bbc"], [("NATO", "ORG", 2), ("The Hague", "GPE", 1)])
        store.add_entities(a["copy"], [("NATO", "ORG", 1)])
        store.update_story_summary(
            nato,
            headline="NATO allies agree to raise defence spending",
            why=[
                "reports 0.81 alike on average (embedding of title and lead), 0.42 in words and names",
                "names in common: NATO (3)",
            ],
            bullets=_web_bullets(
                ("Allies agreed on a 5% target.", [a["reuters"], a["bbc"]]),
                ("Spain asked for an exemption.", [a["reuters"]]),
            ),
        )
        unknown = store.outlet_id(None, UNKNOWN_OUTLET)
        a["anon"] = _web_article(store, unknown, "n1", title="Ministers meet", text="Ministers met in Brussels today.")
        hostile = ids.stories["hostile"] = store.create_story()
        store.set_story(a["hostile"], hostile)
        store.set_story(a["anon"], hostile)
        store.add_entities(a["hostile"], [(f"{WEB_IMG} Person", "PERSON", 2), ("Brussels", "GPE", 1)])
        store.update_story_summary(
            hostile,
            headline=WEB_HOSTILE_TITLE,
            why=[f"names: {WEB_SCRIPT} (1)"],
            bullets=_web_bullets((f"Ministers met. {WEB_SCRIPT} {WEB_IMG}", [a["hostile"]])),
        )
        store.set_saga([nato, hostile], nato)  # two developments of one saga, each listing the other
        merged = ids.stories["merged"] = store.create_story()
        store.conn.execute(
            "INSERT INTO story_redirects (from_id, to_id, reason, at) VALUES (?, ?, 'merged', '2025-06-07')",
            (merged, nato),
        )
        for n in range(WEB_FILLER_STORIES):
            article = _web_article(
                store,
                bbc,
                f"f{n}",
                title=f"Filler story {n:02d}",
                text=f"Filler text {n}.",
                published=f"2024-01-{n + 1:02d}",
            )
            story = store.create_story()
            store.set_story(article, story)
            store.update_story_summary(story, headline=f"Filler story {n:02d}", bullets=[], why=[])
    return ids


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> WebDB:
    """Two real stories (one carrying hostile HTML), a merged story id and 31 filler stories."""
    return build_web_database(tmp_path_factory.mktemp("web") / "crosscheck.db")


@pytest.fixture(scope="module")
def ids(web_db: WebDB) -> WebDB:
    """The ids of what the web database holds."""
    return web_db


@pytest.fixture(scope="module")
def client(web_db: WebDB) -> Iterator[TestClient]:
    """A test client of the web app over the web database."""
    with TestClient(create_app(web_db.path)) as test_client:
        yield test_client
