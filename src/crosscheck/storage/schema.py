"""The SQLite schema, as an ordered list of migrations.

The database's ``PRAGMA user_version`` records how many migrations have run. A migration is never edited once
released: schema changes append a new one, so every earlier database upgrades in place.
"""

from __future__ import annotations

import sqlite3

from crosscheck.errors import UnusableDatabaseError

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
    # 2: the outlet registry: imported rater files, their entries and values, and outlet name aliases
    """
    CREATE TABLE rating_sources (
        id TEXT PRIMARY KEY,                 -- "<folder>/<file name>": re-importing the file updates it in place
        path TEXT NOT NULL,                  -- where it was last imported from
        format TEXT NOT NULL,
        rated_on TEXT,                       -- date of its ratings (YYYY, YYYY-MM or YYYY-MM-DD); NULL if unknown
        imported_at TEXT NOT NULL
    );
    CREATE TABLE rating_entries (
        id INTEGER PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES rating_sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,                   -- the entry's identity within its file
        rater TEXT NOT NULL,
        name TEXT,                           -- the rater's name for the outlet
        name_key TEXT,                       -- normalised name, for matching
        domain TEXT,                         -- registered domain; NULL while only a name is known
        host TEXT,                           -- host covered (with its sub-domains)
        path TEXT NOT NULL DEFAULT '',       -- path prefix covered, segments joined by '/'; '' = all
        section TEXT NOT NULL DEFAULT 'main',  -- 'main' or 'opinion'
        resolved_by TEXT,                    -- how the domain was found
        rated_on TEXT,
        detail TEXT NOT NULL DEFAULT '{}',   -- JSON: the rater's other fields
        UNIQUE (source_id, key)
    );
    CREATE INDEX rating_entries_domain ON rating_entries(domain);
    CREATE INDEX rating_entries_name ON rating_entries(name_key);
    CREATE TABLE rating_values (
        entry_id INTEGER NOT NULL REFERENCES rating_entries(id) ON DELETE CASCADE,
        dimension TEXT NOT NULL,             -- bias, factuality, credibility, owner, owner_kind, country
        value TEXT NOT NULL,                 -- as the rater gives it
        scale TEXT NOT NULL,                 -- the rater's scale, or 'text'
        common TEXT,                         -- on crosscheck's common scale; NULL when not a point on it
        PRIMARY KEY (entry_id, dimension)
    );
    CREATE TABLE outlet_aliases (
        key TEXT NOT NULL,                   -- normalised name
        name TEXT NOT NULL,                  -- the name as written
        domain TEXT NOT NULL,
        host TEXT NOT NULL,                  -- the host the named entry covers (abcnews.go.com for ABC News)
        kind TEXT NOT NULL,                  -- 'name' (a rater's), 'alias' (hand-written) or 'slug' (MBFC page)
        rater TEXT NOT NULL,
        source_id TEXT NOT NULL REFERENCES rating_sources(id) ON DELETE CASCADE,
        PRIMARY KEY (key, domain, host, source_id)
    );
    CREATE INDEX outlet_aliases_domain ON outlet_aliases(domain);
    """,
    # 3: figures (numeric claims) and quotes of each article, and official reference figures
    """
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        value REAL NOT NULL,
        value_high REAL,                     -- upper end of a range ("3 to 3.5 per cent")
        unit TEXT NOT NULL,                  -- percent_gdp, percent, currency_usd/eur/gbp, count, years, fraction
        subject TEXT NOT NULL,               -- canonical country, NATO, Europe, or a person or organisation
        kind TEXT NOT NULL,                  -- reported, target, forecast
        period INTEGER,                      -- the year meant, or a target's deadline
        speaker TEXT,
        evidence TEXT NOT NULL,              -- the sentence stating it
        start_offset INTEGER NOT NULL,       -- character offsets of the evidence in the article text
        end_offset INTEGER NOT NULL,
        figure_start INTEGER NOT NULL,       -- character offsets of the figure itself
        figure_end INTEGER NOT NULL
    );
    CREATE INDEX claims_article ON claims(article_id);
    CREATE INDEX claims_subject ON claims(subject, unit);
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        text TEXT NOT NULL,
        speaker TEXT,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE TABLE reference_figures (
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        year INTEGER NOT NULL,
        unit TEXT NOT NULL,
        value REAL NOT NULL,
        edition TEXT NOT NULL,               -- which edition of the source ("NATO … 17 June 2024 edition")
        edition_date TEXT,                   -- ISO date of the edition when known
        publisher TEXT NOT NULL,
        source TEXT NOT NULL,
        note TEXT NOT NULL,
        UNIQUE (subject, year, unit, edition, value)
    );
    CREATE INDEX reference_lookup ON reference_figures(subject, unit, year);
    """,
    # 4: followed feeds (crosscheck feeds / watch), the pages they list and the revisions of those pages
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,                          -- from OPML, else the feed's own title
        site_url TEXT,                       -- the outlet's site (OPML htmlUrl)
        category TEXT,                       -- OPML folder
        interval_s REAL,                     -- seconds between polls; NULL: the watch default
        added_at TEXT NOT NULL,
        etag TEXT,                           -- validators of the last 200 answer, sent back as If-None-Match
        last_modified TEXT,                  -- and If-Modified-Since (conditional GET)
        last_fetch_at TEXT,                  -- last poll attempt
        last_status TEXT,                    -- 'ok', 'not modified', 'error', 'robots'
        last_error TEXT,
        failures INTEGER NOT NULL DEFAULT 0, -- consecutive failed polls: the back-off exponent
        errors INTEGER NOT NULL DEFAULT 0,   -- failed polls in all
        polls INTEGER NOT NULL DEFAULT 0,
        next_due_at TEXT                     -- NULL: due now
    );
    CREATE TABLE feed_pages (
        url TEXT PRIMARY KEY,                -- canonical URL of a page some feed listed
        article_url TEXT,                    -- canonical URL of the article it gave (a declared canonical link)
        entry_hash TEXT,                     -- hash of the feed entry's title and text: a change means an edit
        etag TEXT,                           -- validators of the last page answer
        last_modified TEXT,
        fetched_at TEXT,                     -- last page fetch; NULL while the feed's own text served
        failures INTEGER NOT NULL DEFAULT 0, -- consecutive failed page fetches
        last_error TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL              -- last listed by a feed
    );
    CREATE TABLE feed_entries (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        url TEXT NOT NULL REFERENCES feed_pages(url),
        PRIMARY KEY (feed_id, url)
    );
    CREATE INDEX feed_entries_url ON feed_entries(url);
    CREATE TABLE page_revisions (
        url TEXT NOT NULL,                   -- canonical article URL
        revision INTEGER NOT NULL,           -- 1, 2, … in the order the changes were seen
        text_hash TEXT NOT NULL,             -- normalised text hash, as articles.text_hash
        article_id INTEGER NOT NULL REFERENCES articles(id),
        previous_id INTEGER REFERENCES articles(id),  -- the article of the revision before
        fetched_at TEXT NOT NULL,
        warc_file TEXT,                      -- where the raw response is archived (file name, record id)
        warc_record TEXT,
        PRIMARY KEY (url, revision)
    );
    CREATE INDEX page_revisions_article ON page_revisions(article_id);
    """,
    """
    -- 5: indexes for the web's story listings and its change check (what changed since the last answer)
    CREATE INDEX stories_updated ON stories(updated_at);
    CREATE INDEX stories_listing ON stories(article_count, last_seen, first_seen, report_count, outlet_count);
    """,
    """
    -- 6: each story's entities, folded and counted when the story is summarised, so that a story page need not
    -- read every mention of every article: JSON [[name, label, articles], ...], most shared first. NULL until the
    -- story is next summarised (pages then count them from article_entities).
    ALTER TABLE stories ADD COLUMN entities TEXT;
    """,
    """
    -- 7: the saga a story belongs to: the id of the story it was first split from (NULL: never split). A saga's
    -- stories are regrouped together, so that developments cut apart early can rejoin.
    ALTER TABLE stories ADD COLUMN saga INTEGER;
    CREATE INDEX stories_saga ON stories(saga);
    """,
    """
    -- 8: a note on where an article was read from when that is not its publisher ("republished by …")
    ALTER TABLE articles ADD COLUMN note TEXT;
    """,
    """
    -- 9: editors' corrections of the stories (merge, move, split), obeyed by every later clustering. Articles are
    -- named by what survives a recluster or a new database: their key and text hash, with URL and title to read.
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        digest TEXT NOT NULL UNIQUE,         -- hash of the record: importing it twice adds it once
        kind TEXT NOT NULL,                  -- 'merge', 'move' or 'split'
        reason TEXT NOT NULL,
        made_at TEXT NOT NULL,
        stories TEXT NOT NULL DEFAULT '{}'   -- JSON: the story ids it was made on, for reading only
    );
    CREATE TABLE correction_articles (
        correction_id INTEGER NOT NULL REFERENCES corrections(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL,                  -- 'together' (share one story) or 'apart' (not with those)
        key TEXT NOT NULL,                   -- articles.key
        text_hash TEXT NOT NULL,
        url TEXT,
        title TEXT NOT NULL,
        PRIMARY KEY (correction_id, position)
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to :data:`SCHEMA_VERSION`; return the version it started at."""
    start = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if start > SCHEMA_VERSION:
        raise UnusableDatabaseError(
            f"database schema version {start} is newer than this crosscheck ({SCHEMA_VERSION}); upgrade crosscheck"
        )
    for version in range(start, SCHEMA_VERSION):
        # executescript commits first, so each migration runs in its own explicit transaction.
        conn.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
    return start
