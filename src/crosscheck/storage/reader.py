"""The read side of storage: the queries behind the CLI, the web UI and exports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from crosscheck.models import UNKNOWN_OUTLET
from crosscheck.storage.connection import Connection, Row
from crosscheck.storage.database import is_postgres, schema_version
from crosscheck.storage.records import (
    MATCH_END,
    MATCH_START,
    ArticleRecord,
    Bullet,
    EntityCount,
    SearchHit,
    StoryRecord,
)

_ARTICLE_COLUMNS = """a.id, a.external_id, a.url, o.name AS outlet, o.domain AS outlet_domain, a.title,
    a.title_derived, a.published, a.authors, a.story_id, a.duplicate_of, a.duplicate_kind, a.partial,
    a.truncated, a.format, a.location, a.ingested_at"""

_STORY_COLUMNS = """s.id, s.headline, s.bullets, s.why, s.first_seen, s.last_seen, s.article_count,
    s.report_count, s.outlet_count, s.updated_at"""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
STORED_STORY_ENTITIES = 40  # entities kept with each story (the story page shows 40, the API and CLI fewer)
STORED_ENTITIES_SINCE = 6  # the migration that added stories.entities
SAGAS_SINCE = 7  # the migration that added stories.saga
NOTES_SINCE = 8  # the migration that added articles.note

STORY_ORDERS = {
    # newest first; among stories of the same last day, the most covered first
    "recent": "s.last_seen IS NULL, s.last_seen DESC, s.report_count DESC, s.id DESC",
    "coverage": "s.report_count DESC, s.outlet_count DESC, s.last_seen DESC, s.id DESC",
}


def _article(row: Row) -> ArticleRecord:
    return ArticleRecord(
        id=row["id"],
        external_id=row["external_id"],
        url=row["url"],
        outlet=row["outlet"],
        outlet_domain=row["outlet_domain"],
        title=row["title"],
        title_derived=bool(row["title_derived"]),
        published=row["published"],
        authors=json.loads(row["authors"]),
        story_id=row["story_id"],
        duplicate_of=row["duplicate_of"],
        duplicate_kind=row["duplicate_kind"],
        partial=bool(row["partial"]),
        truncated=bool(row["truncated"]),
        format=row["format"],
        location=row["location"],
        ingested_at=row["ingested_at"],
        note=row["note"] if "note" in row.keys() else None,  # noqa: SIM118 (a Row's `in` reads values)
    )


def _story(row: Row, article_ids: list[int]) -> StoryRecord:
    return StoryRecord(
        id=row["id"],
        headline=row["headline"],
        bullets=[Bullet(b["text"], list(b["article_ids"]), b.get("day")) for b in json.loads(row["bullets"])],
        why=list(json.loads(row["why"])),
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
        article_count=row["article_count"],
        report_count=row["report_count"],
        outlet_count=row["outlet_count"],
        updated_at=row["updated_at"],
        article_ids=article_ids,
    )


def _search_words(query: str) -> list[str]:
    """The plain words of a search query (quotes and control characters are spaces: a NUL would end the FTS5
    string early)."""
    return _CONTROL.sub(" ", query.replace('"', " ")).split()


def _fts_match(words: list[str]) -> str:
    return " ".join(f'"{w}"' for w in words)


def _hit(row: Row) -> SearchHit:
    return SearchHit.from_marked(_article(row), row["snippet"])


class Reader:
    """Read-only queries over a crosscheck database connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._schema: int | None = None

    def schema_version(self) -> int:
        """The migrations the database has had (the web reads databases it may not migrate)."""
        if self._schema is None:
            self._schema = schema_version(self.conn)
        return self._schema

    @property
    def _article_columns(self) -> str:
        return f"{_ARTICLE_COLUMNS}, a.note" if self.schema_version() >= NOTES_SINCE else _ARTICLE_COLUMNS

    def counts(self) -> dict[str, int]:
        """Totals: articles, independent reports, duplicates, stories, known outlets."""
        row = self.conn.execute(
            """SELECT (SELECT COUNT(*) FROM articles),
                      (SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL),
                      (SELECT COUNT(*) FROM stories WHERE article_count > 0),
                      (SELECT COUNT(*) FROM outlets WHERE domain IS NOT NULL OR name != ?)""",
            (UNKNOWN_OUTLET,),
        ).fetchone()
        return {
            "articles": row[0],
            "reports": row[1],
            "duplicates": row[0] - row[1],
            "stories": row[2],
            "outlets": row[3],
        }

    def resolve_story_id(self, story_id: int) -> int:
        """Follow merge redirects to the story that now holds ``story_id``'s articles."""
        seen = {story_id}
        while True:
            row = self.conn.execute("SELECT to_id FROM story_redirects WHERE from_id = ?", (story_id,)).fetchone()
            if row is None or row[0] in seen:
                return story_id
            story_id = int(row[0])
            seen.add(story_id)

    def stories(self, *, limit: int = 50, offset: int = 0, order: str = "recent") -> list[StoryRecord]:
        """Stories with at least one article, in ``order`` ("recent" or "coverage")."""
        if order not in STORY_ORDERS:
            raise ValueError(f"unknown story order {order!r}; choose from {sorted(STORY_ORDERS)}")
        rows = self.conn.execute(
            f"""SELECT {_STORY_COLUMNS} FROM stories s WHERE s.article_count > 0
                ORDER BY {STORY_ORDERS[order]} LIMIT ? OFFSET ?""",
            (limit, offset),
        ).fetchall()
        return [_story(r, []) for r in rows]

    def story(self, story_id: int) -> StoryRecord | None:
        """One story with its member ids, or None. Does not follow redirects (see resolve_story_id)."""
        row = self.conn.execute(f"SELECT {_STORY_COLUMNS} FROM stories s WHERE s.id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        ids = [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE story_id = ? ORDER BY published_day IS NULL, published_day, id",
            (story_id,),
        )]  # fmt: skip
        return _story(row, ids)

    def story_developments(self, story_id: int) -> list[StoryRecord]:
        """The other stories of a story's saga (the developments it was split into), oldest first."""
        if self.schema_version() < SAGAS_SINCE:
            return []
        rows = self.conn.execute(
            f"""SELECT {_STORY_COLUMNS} FROM stories s
                WHERE s.saga = (SELECT saga FROM stories WHERE id = ?) AND s.id != ? AND s.article_count > 0
                ORDER BY s.first_seen IS NULL, s.first_seen, s.id""",
            (story_id, story_id),
        ).fetchall()
        return [_story(r, []) for r in rows]

    def story_articles(self, story_id: int) -> list[ArticleRecord]:
        """A story's articles, oldest first, undated last."""
        rows = self.conn.execute(
            f"""SELECT {self._article_columns} FROM articles a JOIN outlets o ON o.id = a.outlet_id
                WHERE a.story_id = ? ORDER BY a.published_day IS NULL, a.published_day, a.id""",
            (story_id,),
        )
        return [_article(r) for r in rows]

    def stored_story_entities(self, story_id: int, *, limit: int = 30) -> list[EntityCount] | None:
        """The entities stored with the story when it was last summarised (folded, most widely mentioned first),
        up to ``limit``; None when none are stored or more than :data:`STORED_STORY_ENTITIES` are asked for."""
        if limit > STORED_STORY_ENTITIES or self.schema_version() < STORED_ENTITIES_SINCE:
            return None
        row = self.conn.execute("SELECT entities FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        return [EntityCount(name, label, articles) for name, label, articles in json.loads(row[0])[:limit]]

    def story_entity_mentions(self, story_id: int) -> list[tuple[str, str, int, int]]:
        """(name, label, article id, mentions) of every entity every article of the story mentions."""
        rows = self.conn.execute(
            """SELECT e.name, e.label, ae.article_id, ae.mentions
               FROM article_entities ae JOIN entities e ON e.id = ae.entity_id
               JOIN articles a ON a.id = ae.article_id WHERE a.story_id = ? ORDER BY a.id, ae.entity_id""",
            (story_id,),
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def story_openings(self, story_id: int, *, chars: int) -> dict[int, str]:
        """The first ``chars`` characters of the text of each of a story's articles, by article id."""
        rows = self.conn.execute("SELECT id, substr(text, 1, ?) FROM articles WHERE story_id = ?", (chars, story_id))
        return {int(r[0]): str(r[1]) for r in rows}

    def story_members(self, story_id: int) -> list[tuple[int, str, bool, str, bool, str | None]]:
        """(id, title, title derived, text, is duplicate, day published) of a story's articles, oldest first."""
        rows = self.conn.execute(
            """SELECT id, title, title_derived, text, duplicate_of IS NOT NULL, published_day FROM articles
               WHERE story_id = ? ORDER BY published_day IS NULL, published_day, id""",
            (story_id,),
        )
        return [(r[0], r[1], bool(r[2]), r[3], bool(r[4]), r[5]) for r in rows]

    def article(self, article_id: int) -> ArticleRecord | None:
        row = self.conn.execute(
            f"SELECT {self._article_columns} FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return None if row is None else _article(row)

    def article_text(self, article_id: int) -> str | None:
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def article_entity_mentions(self, article_id: int) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
        """An article's (name, label, mentions) rows, and the same names' (name, label, mentions) over every article
        of the database (for the label most mentions of a name have)."""
        rows = [(str(r[0]), str(r[1]), int(r[2])) for r in self.conn.execute(
            """SELECT e.name, e.label, ae.mentions FROM article_entities ae JOIN entities e ON e.id = ae.entity_id
               WHERE ae.article_id = ?""",
            (article_id,),
        )]  # fmt: skip
        names = sorted({name for name, _, _ in rows})
        totals = self.conn.execute(
            f"""SELECT e.name, e.label, SUM(ae.mentions) FROM entities e JOIN article_entities ae ON ae.entity_id = e.id
                WHERE e.name IN ({",".join("?" * len(names))}) GROUP BY e.name, e.label""",
            names,
        ).fetchall() if names else []  # fmt: skip
        return rows, [(str(n), str(lab), int(m)) for n, lab, m in totals]

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search over titles and texts, best match first, skipping the first ``offset`` matches: FTS5 on
        SQLite, tsvector on PostgreSQL.

        The query is treated as plain words, never as query syntax, so user input cannot raise a syntax error.
        """
        words = _search_words(query)
        if not words:
            return []
        if is_postgres(self.conn):
            from crosscheck.storage.postgres import search_sql

            rows = self.conn.execute(search_sql(self._article_columns), (" ".join(words), limit, offset))
            return [_hit(r) for r in rows]
        match = _fts_match(words)
        # The best ids are ranked first and snippets made for those alone: a snippet costs far more than a rank,
        # and a common name matches thousands of articles.
        rows = self.conn.execute(
            f"""SELECT {self._article_columns}, snippet(articles_fts, 1, '{MATCH_START}', '{MATCH_END}', ' … ', 24)
                AS snippet
                FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                JOIN outlets o ON o.id = a.outlet_id
                WHERE articles_fts MATCH ? AND articles_fts.rowid IN (
                    SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?
                    ORDER BY bm25(articles_fts, 5.0, 1.0), rowid LIMIT ? OFFSET ?)
                ORDER BY bm25(articles_fts, 5.0, 1.0), a.id""",
            (match, match, limit, offset),
        )
        return [_hit(r) for r in rows]

    def search_total(self, query: str) -> int:
        """How many articles :meth:`search` finds for ``query`` in all."""
        words = _search_words(query)
        if not words:
            return 0
        if is_postgres(self.conn):
            from crosscheck.storage.postgres import SEARCH_COUNT_SQL

            return int(self.conn.execute(SEARCH_COUNT_SQL, (" ".join(words),)).fetchone()[0])
        row = self.conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (_fts_match(words),))
        return int(row.fetchone()[0])

    def iter_articles(self) -> Iterator[ArticleRecord]:
        rows = self.conn.execute(
            f"SELECT {self._article_columns} FROM articles a JOIN outlets o ON o.id = a.outlet_id ORDER BY a.id"
        )
        for row in rows:
            yield _article(row)

    def iter_stories(self) -> Iterator[StoryRecord]:
        members: dict[int, list[int]] = {}
        for article_id, story_id in self.conn.execute(
            "SELECT id, story_id FROM articles WHERE story_id IS NOT NULL ORDER BY published_day IS NULL, "
            "published_day, id"
        ):
            members.setdefault(story_id, []).append(article_id)
        for row in self.conn.execute(f"SELECT {_STORY_COLUMNS} FROM stories s WHERE article_count > 0 ORDER BY id"):
            yield _story(row, members.get(row["id"], []))
