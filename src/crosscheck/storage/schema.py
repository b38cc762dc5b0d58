"""The SQLite schema, as an ordered list of migrations.

The database's ``PRAGMA user_version`` records how many migrations have run. A migration is never edited once
released: schema changes append a new one, so every earlier database upgrades in place.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: articles, outlets, stories, entities, full-text index
    """
    CREATE TABLE outlets (
        id INTEGER PRIMARY KEY,
        domain TEXT UNIQUE,              -- registered domain; NULL when the outlet is known only by name
        name TEXT NOT NULL UNIQUE
    );
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        headline TEXT NOT NULL DEFAULT '',
        bullets TEXT NOT NULL DEFAULT '[]',  -- JSON list of {"text", "article_ids"}
        why TEXT NOT NULL DEFAULT '[]',      -- JSON list of shared entities/terms
        first_seen TEXT,                     -- earliest member date (ISO day); NULL if all undated
        last_seen TEXT,
        article_count INTEGER NOT NULL DEFAULT 0,
        report_count INTEGER NOT NULL DEFAULT 0,
        outlet_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        centroid BLOB,                       -- float32 sum of member embeddings (normalised on use)
        terms TEXT NOT NULL DEFAULT '{}'     -- JSON {feature: weight}, the story's strongest lexical terms
    );
    CREATE INDEX stories_last_seen ON stories(last_seen);
    CREATE TABLE story_redirects (
        from_id INTEGER PRIMARY KEY,
        to_id INTEGER NOT NULL REFERENCES stories(id),
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,            -- identity of the input item; re-ingesting it adds nothing
        external_id TEXT NOT NULL,
        url TEXT,
        outlet_id INTEGER NOT NULL REFERENCES outlets(id),
        title TEXT NOT NULL,
        title_derived INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL,
        published TEXT,                      -- ISO date or date-time as given; NULL when undated
        published_day TEXT,                  -- YYYY-MM-DD of published
        authors TEXT NOT NULL DEFAULT '[]',
        language TEXT,
        partial INTEGER NOT NULL DEFAULT 0,
        truncated INTEGER NOT NULL DEFAULT 0,
        format TEXT NOT NULL,
        location TEXT NOT NULL,              -- path or URL the article was read from
        ingested_at TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        duplicate_of INTEGER REFERENCES articles(id),
        duplicate_kind TEXT,                 -- 'exact' or 'near'
        story_id INTEGER REFERENCES stories(id)
    );
    CREATE INDEX articles_text_hash ON articles(text_hash);
    CREATE INDEX articles_story ON articles(story_id);
    CREATE INDEX articles_day ON articles(published_day);
    CREATE INDEX articles_outlet ON articles(outlet_id);
    CREATE TABLE article_features (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        embedding BLOB,                      -- float32, unit length
        minhash BLOB,                        -- uint32 MinHash signature
        terms TEXT NOT NULL DEFAULT '{}'     -- JSON {feature: tf-idf weight}
    );
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        UNIQUE (name, label)
    );
    CREATE TABLE article_entities (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        mentions INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    );
    CREATE INDEX article_entities_entity ON article_entities(entity_id);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to :data:`SCHEMA_VERSION`; return the version it started at."""
    start = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if start > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {start} is newer than this crosscheck ({SCHEMA_VERSION}); upgrade crosscheck"
        )
    for version in range(start, SCHEMA_VERSION):
        # executescript commits first, so each migration runs in its own explicit transaction.
        conn.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
    return start
