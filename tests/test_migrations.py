"""Schema migrations: every earlier version, with data in it, upgrades to the current one without loss."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crosscheck import Store
from crosscheck.entities.canonical import story_entities
from crosscheck.errors import UnusableDatabaseError
from crosscheck.storage.schema import MIGRATIONS, SCHEMA_VERSION, migrate

# Rows written with the first schema's columns, which later migrations must keep readable.
V1_ROWS = """
INSERT INTO outlets (id, domain, name) VALUES (1, 'harborledger.example', 'Harbor Ledger');
INSERT INTO stories (id, headline, bullets, first_seen, last_seen, article_count, report_count, outlet_count,
                     created_at, updated_at)
    VALUES (1, 'Ferry strike ends', '[{"text": "Crews return.", "article_ids": [1]}]', '2024-05-01',
            '2024-05-01', 1, 1, 1, '2024-05-01T00:00:00+00:00', '2024-05-01T00:00:00+00:00');
INSERT INTO articles (id, key, external_id, url, outlet_id, title, text, published, published_day, format,
                      location, ingested_at, text_hash, story_id)
    VALUES (1, 'k1', 'ferry.txt', 'https://harborledger.example/ferry', 1, 'Ferry strike ends',
            'The island ferry strike ended on Wednesday with a pay deal.', '2024-05-01', '2024-05-01', 'text',
            'ferry.txt', '2024-05-01T00:00:00+00:00', 'h1', 1);
INSERT INTO entities (id, name, label) VALUES (1, 'Harbor Island', 'GPE');
INSERT INTO article_entities (article_id, entity_id, mentions) VALUES (1, 1, 2);
"""


def _database_at(path: Path, version: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for number in range(version):
        conn.executescript(f"BEGIN;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;")
    if version >= 1:
        conn.executescript(f"BEGIN;\n{V1_ROWS}\nCOMMIT;")
    conn.close()


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_upgrade_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    db = tmp_path / f"v{version}.db"
    _database_at(db, version)
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if version >= 1:
            story = store.reader.story(1)
            assert story is not None and story.headline == "Ferry strike ends"
            assert [b.text for b in story.bullets] == ["Crews return."]
            assert [hit.article.id for hit in store.reader.search("ferry pay deal")] == [1]
            assert story_entities(store.reader, 1)[0].name == "Harbor Island"


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "twice.db"
    Store(db).close()
    conn = sqlite3.connect(db, isolation_level=None)
    assert migrate(conn) == SCHEMA_VERSION
    conn.close()


def test_a_newer_database_is_refused_clearly(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(UnusableDatabaseError, match="newer than this crosscheck"):
        Store(db)
