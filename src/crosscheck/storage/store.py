"""The write side of storage: what the pipeline records about articles, features, entities and stories."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from crosscheck.models import UNKNOWN_OUTLET, ParsedArticle, StoryState, publication_order_sql
from crosscheck.storage.connection import Connection
from crosscheck.storage.database import begin_write, connect, data_version, end_write
from crosscheck.storage.reader import Reader
from crosscheck.storage.records import EntityCount

# Articles in the order an ingest places them (:data:`crosscheck.models.PUBLICATION_ORDER`).
PUBLICATION_ORDER = publication_order_sql(undated="a.published IS NULL", published="a.published", key="a.key")


def utc_now() -> str:
    """Now, as an ISO 8601 UTC timestamp with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class StoredCopy:
    """An article already stored with the same text, as seen by the duplicate detector."""

    article_id: int
    story_id: int | None
    duplicate_of: int | None

    @property
    def original_id(self) -> int:
        return self.duplicate_of or self.article_id


class Store:
    """A crosscheck database opened for writing: a SQLite file (WAL mode) or a ``postgresql://`` URL; migrated on
    open."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.conn = connect(path)
        self.reader = Reader(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def data_version(self) -> int:
        """A number that changes when another connection commits to the database (never by this one's commits)."""
        return data_version(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction. Writers are serialised: SQLite's BEGIN IMMEDIATE queues on the busy timeout,
        PostgreSQL's waits on a transaction-level advisory lock. So a writer sees every earlier commit."""
        begin_write(self.conn)
        try:
            yield self.conn
        except BaseException:
            end_write(self.conn, commit=False)
            raise
        end_write(self.conn, commit=True)

    # --- articles -----------------------------------------------------------------------------------

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` are stored already."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT key FROM articles WHERE key IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def find_text_hash(self, text_hash: str) -> StoredCopy | None:
        """The first stored article whose normalised text has this hash."""
        row = self.conn.execute(
            "SELECT id, story_id, duplicate_of FROM articles WHERE text_hash = ? ORDER BY id LIMIT 1",
            (text_hash,),
        ).fetchone()
        return StoredCopy(row[0], row[1], row[2]) if row else None

    def copy_of(self, article_id: int) -> StoredCopy:
        row = self.conn.execute(
            "SELECT id, story_id, duplicate_of FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return StoredCopy(row[0], row[1], row[2])

    def outlet_id(self, domain: str | None, name: str) -> int:
        """The outlet with this domain (or, without one, this name), created if new."""
        if domain:
            row = self.conn.execute("SELECT id FROM outlets WHERE domain = ?", (domain,)).fetchone()
        else:
            row = self.conn.execute("SELECT id FROM outlets WHERE name = ? AND domain IS NULL", (name,)).fetchone()
        if row:
            if domain and name != domain:  # a name that can be the domain's outlet replaces the bare domain
                self.conn.execute(
                    """UPDATE outlets SET name = ? WHERE id = ? AND name = ?
                       AND NOT EXISTS (SELECT 1 FROM outlets other WHERE other.name = ?)""",
                    (name, row[0], domain, name),
                )
            return int(row[0])
        unique_name = name
        if self.conn.execute("SELECT 1 FROM outlets WHERE name = ?", (name,)).fetchone():
            unique_name = f"{name} ({domain})" if domain else name
        cur = self.conn.execute("INSERT INTO outlets (domain, name) VALUES (?, ?) RETURNING id", (domain, unique_name))
        return int(cur.fetchone()[0])

    def insert_article(
        self,
        article: ParsedArticle,
        *,
        key: str,
        outlet_id: int,
        text_hash: str,
        duplicate_of: int | None,
        duplicate_kind: str | None,
        note: str | None = None,
    ) -> int:
        """Store one article; returns its id. ``note`` says where it was read from when that is not its
        publisher ("republished by …")."""
        day = article.published[:10] if article.published else None
        cur = self.conn.execute(
            """INSERT INTO articles (key, external_id, url, outlet_id, title, title_derived, text, published,
                   published_day, authors, language, partial, truncated, format, location, ingested_at,
                   text_hash, duplicate_of, duplicate_kind, note)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (
                key, article.external_id, article.url, outlet_id, article.title, article.title_derived,
                article.text, article.published, day, json.dumps(article.authors), article.language,
                article.partial, article.truncated, article.format, article.location, utc_now(),
                text_hash, duplicate_of, duplicate_kind, note,
            ),
        )  # fmt: skip
        return int(cur.fetchone()[0])

    def save_features(
        self,
        article_id: int,
        *,
        embedding: np.ndarray | None,
        minhash: np.ndarray | None,
        terms: dict[int, float],
    ) -> None:
        self.conn.execute(
            """INSERT INTO article_features (article_id, embedding, minhash, terms) VALUES (?, ?, ?, ?)
               ON CONFLICT (article_id) DO UPDATE SET embedding = excluded.embedding, minhash = excluded.minhash,
                   terms = excluded.terms""",
            (
                article_id,
                None if embedding is None else embedding.astype(np.float32).tobytes(),
                None if minhash is None else minhash.astype(np.uint32).tobytes(),
                json.dumps({str(k): round(v, 5) for k, v in terms.items()}),
            ),
        )

    def set_story(self, article_id: int, story_id: int) -> None:
        self.conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))

    def add_entities(self, article_id: int, entities: Iterable[tuple[str, str, int]]) -> None:
        """Record (name, label, mentions) for an article."""
        for name, label, mentions in entities:
            self.conn.execute(
                "INSERT INTO entities (name, label) VALUES (?, ?) ON CONFLICT (name, label) DO NOTHING", (name, label)
            )
            self.conn.execute(
                """INSERT INTO article_entities (article_id, entity_id, mentions)
                   SELECT ?, id, ? FROM entities WHERE name = ? AND label = ?
                   ON CONFLICT (article_id, entity_id) DO UPDATE SET mentions = excluded.mentions""",
                (article_id, mentions, name, label),
            )

    def replace_entities(self, article_id: int, entities: Iterable[tuple[str, str, int]]) -> None:
        """Record (name, label, mentions) for an article in place of what it had."""
        self.conn.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))
        self.add_entities(article_id, entities)

    def drop_unused_entities(self) -> None:
        """Forget entities no article mentions any more."""
        self.conn.execute("DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM article_entities)")

    def minhashes(self) -> Iterator[tuple[int, np.ndarray]]:
        """Every stored (original, not duplicate) article's MinHash signature."""
        rows = self.conn.execute(
            """SELECT f.article_id, f.minhash FROM article_features f JOIN articles a ON a.id = f.article_id
               WHERE f.minhash IS NOT NULL AND a.duplicate_of IS NULL ORDER BY f.article_id"""
        )
        for article_id, blob in rows:
            yield int(article_id), np.frombuffer(blob, dtype=np.uint32)

    # --- stories ------------------------------------------------------------------------------------

    def create_story(self) -> int:
        now = utc_now()
        cur = self.conn.execute("INSERT INTO stories (created_at, updated_at) VALUES (?, ?) RETURNING id", (now, now))
        return int(cur.fetchone()[0])

    def save_story_state(self, state: StoryState) -> None:
        """Store a story's clustering state, its report count included: the index reloaded from the store (after
        another writer's commit, or between the steps of a recluster) must be the one in memory."""
        self.conn.execute(
            "UPDATE stories SET centroid = ?, terms = ?, first_seen = ?, last_seen = ?, report_count = ? WHERE id = ?",
            (
                state.centroid.astype(np.float32).tobytes(),
                json.dumps({str(k): round(v, 5) for k, v in state.terms.items()}),
                state.first_seen,
                state.last_seen,
                state.reports,
                state.id,
            ),
        )

    def merge_story(self, from_id: int, to_id: int, reason: str) -> None:
        """Move every article of story ``from_id`` into ``to_id`` and leave a redirect for linked ids."""
        self.conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (to_id, from_id))
        self.conn.execute(
            """INSERT INTO story_redirects (from_id, to_id, reason, at) VALUES (?, ?, ?, ?)
               ON CONFLICT (from_id) DO UPDATE SET to_id = excluded.to_id, reason = excluded.reason,
                   at = excluded.at""",
            (from_id, to_id, reason, utc_now()),
        )
        self.conn.execute(
            """UPDATE stories SET centroid = NULL, terms = '{}', entities = NULL, article_count = 0,
                   report_count = 0, outlet_count = 0, updated_at = ? WHERE id = ?""",
            (utc_now(), from_id),
        )

    def saga_of(self, story_id: int) -> int | None:
        """The saga a story belongs to (the id of the story it was first split from); None if never split."""
        row = self.conn.execute("SELECT saga FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def stories_dated_near(self, first: str, last: str, days: int) -> list[tuple[int, str, str]]:
        """(id, first day, last day) of each story with reports whose dates come within ``days`` of the span
        from ``first`` to ``last`` (ISO days)."""
        low = (date.fromisoformat(first[:10]) - timedelta(days=days)).isoformat()
        high = (date.fromisoformat(last[:10]) + timedelta(days=days)).isoformat()
        rows = self.conn.execute(
            """SELECT id, first_seen, last_seen FROM stories
               WHERE centroid IS NOT NULL AND first_seen IS NOT NULL AND last_seen >= ? AND first_seen <= ?
               ORDER BY id""",
            (low, high),
        ).fetchall()
        return [(int(i), f, la) for i, f, la in rows]

    def set_saga(self, story_ids: Iterable[int], saga: int) -> None:
        """Record that these stories belong to one saga."""
        self.conn.executemany("UPDATE stories SET saga = ? WHERE id = ?", [(saga, i) for i in story_ids])

    def clustering_replay(self) -> Iterator[tuple[int, int | None, str | None, np.ndarray | None, dict[int, float]]]:
        """(id, story, published, embedding, terms) of every article, in publication order, undated last.

        Duplicates come with no embedding: they follow their original.
        """
        rows = self.conn.execute(
            f"""SELECT a.id, a.story_id, a.published, f.embedding, f.terms, a.duplicate_of FROM articles a
               LEFT JOIN article_features f ON f.article_id = a.id
               ORDER BY {PUBLICATION_ORDER}"""
        )
        for article_id, story_id, published, blob, terms, duplicate_of in rows:
            vector = None if blob is None or duplicate_of else np.frombuffer(blob, dtype=np.float32).copy()
            weights = {int(k): float(v) for k, v in json.loads(terms or "{}").items()}
            yield int(article_id), story_id, published, vector, weights

    def reading_order(self) -> list[tuple[int, bool]]:
        """(id, whether it is a copy) of every article, in the order of :meth:`clustering_replay`."""
        rows = self.conn.execute(f"SELECT a.id, a.duplicate_of FROM articles a ORDER BY {PUBLICATION_ORDER}").fetchall()
        return [(int(article_id), duplicate_of is not None) for article_id, duplicate_of in rows]

    def article_texts(self, ids: Sequence[int]) -> list[tuple[str, str, str | None]]:
        """(title, text, published) of each of these articles, in the order given."""
        found: dict[int, tuple[str, str, str | None]] = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            marks = ",".join("?" * len(part))
            query = f"SELECT id, title, text, published FROM articles WHERE id IN ({marks})"
            for article_id, title, text, published in self.conn.execute(query, part):
                found[int(article_id)] = (title or "", text, published)
        return [found[i] for i in ids]

    def story_states(self) -> Iterator[StoryState]:
        """The clustering state of every story that has one."""
        rows = self.conn.execute(
            """SELECT id, centroid, terms, first_seen, last_seen, report_count FROM stories
               WHERE centroid IS NOT NULL ORDER BY id"""
        )
        for row in rows:
            yield StoryState(
                id=row[0],
                centroid=np.frombuffer(row[1], dtype=np.float32).copy(),
                terms={int(k): float(v) for k, v in json.loads(row[2]).items()},
                first_seen=row[3],
                last_seen=row[4],
                reports=row[5],
            )

    def story_report_features(self, story_id: int) -> tuple[int, str | None, np.ndarray, dict[int, float]] | None:
        """(id, published, embedding, terms) of a story's only original article; None unless it has exactly one."""
        rows = self.conn.execute(
            """SELECT a.id, a.published, f.embedding, f.terms FROM articles a
               JOIN article_features f ON f.article_id = a.id
               WHERE a.story_id = ? AND a.duplicate_of IS NULL AND f.embedding IS NOT NULL LIMIT 2""",
            (story_id,),
        ).fetchall()
        if len(rows) != 1:
            return None
        article_id, published, blob, terms = rows[0]
        vector = np.frombuffer(blob, dtype=np.float32).copy()
        return int(article_id), published, vector, {int(k): float(v) for k, v in json.loads(terms).items()}

    def story_reports(self, story_id: int) -> list[tuple[int, str | None, np.ndarray, dict[int, float]]]:
        """(id, published, embedding, terms) of a story's original articles, in publication order."""
        rows = self.conn.execute(
            f"""SELECT a.id, a.published, f.embedding, f.terms FROM articles a
               JOIN article_features f ON f.article_id = a.id
               WHERE a.story_id = ? AND a.duplicate_of IS NULL AND f.embedding IS NOT NULL
               ORDER BY {PUBLICATION_ORDER}""",
            (story_id,),
        ).fetchall()
        return [
            (int(i), published, np.frombuffer(blob, dtype=np.float32).copy(),
             {int(k): float(v) for k, v in json.loads(terms).items()})
            for i, published, blob, terms in rows
        ]  # fmt: skip

    def story_copies(self, story_id: int) -> list[tuple[int, int]]:
        """(copy, original) of each duplicate in a story."""
        rows = self.conn.execute(
            "SELECT id, duplicate_of FROM articles WHERE story_id = ? AND duplicate_of IS NOT NULL", (story_id,)
        ).fetchall()
        return [(int(copy), int(original)) for copy, original in rows]

    def update_story_summary(
        self,
        story_id: int,
        *,
        headline: str,
        bullets: list[dict[str, object]],
        why: list[str],
        entities: list[EntityCount] | None = None,
    ) -> None:
        """Store a story's headline, bullets, "why together" and folded entities, and recount its members."""
        folded = None if entities is None else json.dumps([[e.name, e.label, e.articles] for e in entities])
        self.conn.execute(
            "UPDATE stories SET headline = ?, bullets = ?, why = ?, entities = ? WHERE id = ?",
            (headline, json.dumps(bullets), json.dumps(why), folded, story_id),
        )
        self.recount_story(story_id)

    def recount_story(self, story_id: int) -> None:
        """Recount a story's articles, reports and outlets and its first and last day (its summary unchanged).

        Articles of unknown outlets do not count as outlets: three unattributed texts are not three outlets.
        """
        self.conn.execute(
            """UPDATE stories SET updated_at = ?,
                   article_count = (SELECT COUNT(*) FROM articles WHERE story_id = stories.id),
                   report_count = (SELECT COUNT(*) FROM articles WHERE story_id = stories.id
                                   AND duplicate_of IS NULL),
                   outlet_count = (SELECT COUNT(DISTINCT a.outlet_id) FROM articles a
                                   JOIN outlets o ON o.id = a.outlet_id
                                   WHERE a.story_id = stories.id AND (o.domain IS NOT NULL OR o.name != ?)),
                   first_seen = (SELECT MIN(published_day) FROM articles WHERE story_id = stories.id),
                   last_seen = (SELECT MAX(published_day) FROM articles WHERE story_id = stories.id)
               WHERE id = ?""",
            (utc_now(), UNKNOWN_OUTLET, story_id),
        )

    # --- meta ---------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def set_meta(self, key: str, value: bytes) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def marked_stories(self, mark: str) -> set[int]:
        """The stories carrying ``mark``: ids a later step must visit, kept in the database so that a run that was
        killed, or another run writing at the same time, leaves them to the next."""
        raw = self.get_meta(mark)
        return {int(i) for i in json.loads(raw)} if raw else set()

    def mark_stories(self, mark: str, story_ids: Iterable[int]) -> None:
        """Add ``story_ids`` to the stories carrying ``mark``."""
        added = set(story_ids)
        if added:
            self.set_meta(mark, json.dumps(sorted(self.marked_stories(mark) | added)).encode())

    def clear_mark(self, mark: str) -> None:
        """No story carries ``mark`` any more (the step that visits them is done)."""
        self.set_meta(mark, b"[]")
