"""Read queries for browsing: filtered story lists, entity pages, and the stored embeddings as one matrix.

Plain SQL with ``?`` placeholders and no SQLite-only functions, over any DB-API connection (like
:class:`~crosscheck.storage.reader.Reader`). Filters that need the outlet registry (lean, blindspots) are
applied by the caller to the ids these queries return.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crosscheck.storage.connection import Connection
from crosscheck.storage.entity_keys import ENTITY_KEY_SQL, entity_key
from crosscheck.storage.reader import _ARTICLE_COLUMNS, _STORY_COLUMNS, STORY_ORDERS, _article, _story
from crosscheck.storage.records import ArticleRecord, EntityCount, StoryRecord

_CHUNK = 500  # ids per IN (...) list: well under every engine's parameter limit


@dataclass(frozen=True)
class StoryFilters:
    """Filters of the story list that SQL answers; empty fields do not filter.

    ``date_from``/``date_to`` (ISO days) keep the stories whose articles span overlaps the range; ``outlet``
    (a domain or an outlet's name) and ``entity`` (an entity's exact name) keep the stories with an article
    from that outlet or mentioning that entity.
    """

    date_from: str = ""
    date_to: str = ""
    outlet: str = ""
    entity: str = ""

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.outlet or self.entity)


@dataclass(frozen=True)
class EntityStory:
    """A story that mentions an entity, with how many of its articles do."""

    story: StoryRecord
    mentioning: int


def _where(filters: StoryFilters) -> tuple[str, list[object]]:
    clauses = ["s.article_count > 0"]
    params: list[object] = []
    if filters.date_from:
        clauses.append("s.last_seen >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append("s.first_seen <= ?")
        params.append(filters.date_to)
    if filters.outlet:
        clauses.append("""s.id IN (SELECT a.story_id FROM articles a JOIN outlets o ON o.id = a.outlet_id
                                   WHERE o.domain = ? OR o.name = ?)""")
        params += [filters.outlet, filters.outlet]
    if filters.entity:
        clauses.append(f"""s.id IN (SELECT a.story_id FROM articles a
                                   JOIN article_entities ae ON ae.article_id = a.id
                                   JOIN entities e ON e.id = ae.entity_id WHERE e.name = ? OR {ENTITY_KEY_SQL} = ?)""")
        params += [filters.entity, entity_key(filters.entity)]
    return " AND ".join(clauses), params


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


class Browser:
    """Read-only browsing queries over a crosscheck database connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- stories ------------------------------------------------------------------------------------

    def count_stories(self, filters: StoryFilters) -> int:
        """How many stories pass ``filters``."""
        where, params = _where(filters)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM stories s WHERE {where}", params).fetchone()[0])

    def stories(self, filters: StoryFilters, *, order: str, limit: int, offset: int) -> list[StoryRecord]:
        """A page of the stories passing ``filters`` in ``order`` (a key of ``STORY_ORDERS``).

        Ids first, then their rows: the sort then reads only the ordering columns (an index can cover them),
        not every story's stored centroid and summary.
        """
        where, params = _where(filters)
        rows = self.conn.execute(
            f"SELECT s.id FROM stories s WHERE {where} ORDER BY {STORY_ORDERS[order]} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return self.stories_by_ids([int(r[0]) for r in rows])

    def story_ids(self, filters: StoryFilters, *, order: str) -> list[int]:
        """The ids of every story passing ``filters``, in ``order`` (for filters applied afterwards)."""
        where, params = _where(filters)
        rows = self.conn.execute(f"SELECT s.id FROM stories s WHERE {where} ORDER BY {STORY_ORDERS[order]}", params)
        return [int(r[0]) for r in rows]

    def stories_by_ids(self, ids: Sequence[int]) -> list[StoryRecord]:
        """These stories (without member ids), in the order given; unknown ids are left out."""
        found: dict[int, StoryRecord] = {}
        for chunk in _chunks(ids):
            rows = self.conn.execute(f"SELECT {_STORY_COLUMNS} FROM stories s WHERE s.id IN ({_marks(len(chunk))})",
                                     list(chunk))  # fmt: skip
            found.update((int(r["id"]), _story(r, [])) for r in rows)
        return [found[i] for i in ids if i in found]

    def articles_by_ids(self, ids: Sequence[int]) -> list[ArticleRecord]:
        """These articles, in the order given; unknown ids are left out."""
        found: dict[int, ArticleRecord] = {}
        for chunk in _chunks(ids):
            rows = self.conn.execute(
                f"""SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN outlets o ON o.id = a.outlet_id
                    WHERE a.id IN ({_marks(len(chunk))})""",
                list(chunk),
            )
            found.update((int(r["id"]), _article(r)) for r in rows)
        return [found[i] for i in ids if i in found]

    # --- entities -----------------------------------------------------------------------------------

    def entity_ids(self, name: str) -> list[tuple[int, str]]:
        """(id, label) of the entities recorded under this name or a variant of it ("Nato" for "NATO", "US" for
        "U.S."), the label most of their mentions have first."""
        rows = self.conn.execute(
            f"""SELECT e.id, e.label, COALESCE(SUM(ae.mentions), 0) FROM entities e
                LEFT JOIN article_entities ae ON ae.entity_id = e.id
                WHERE e.name = ? OR {ENTITY_KEY_SQL} = ? GROUP BY e.id, e.label""",
            (name, entity_key(name)),
        ).fetchall()
        by_label: Counter[str] = Counter()
        for _, label, mentions in rows:
            by_label[str(label)] += int(mentions)
        rows.sort(key=lambda r: (-by_label[str(r[1])], str(r[1]), -int(r[2]), int(r[0])))
        return [(int(r[0]), str(r[1])) for r in rows]

    def entity_article_count(self, entity_ids: Sequence[int]) -> int:
        """How many articles mention any of these entities."""
        if not entity_ids:
            return 0
        row = self.conn.execute(
            f"SELECT COUNT(DISTINCT article_id) FROM article_entities WHERE entity_id IN ({_marks(len(entity_ids))})",
            list(entity_ids),
        ).fetchone()
        return int(row[0])

    def entity_articles(self, entity_ids: Sequence[int], *, limit: int) -> list[tuple[ArticleRecord, int]]:
        """The newest articles mentioning any of these entities, each with its number of mentions."""
        if not entity_ids:
            return []
        rows = self.conn.execute(
            f"""SELECT {_ARTICLE_COLUMNS}, m.mentions FROM articles a JOIN outlets o ON o.id = a.outlet_id
                JOIN (SELECT article_id, SUM(mentions) AS mentions FROM article_entities
                      WHERE entity_id IN ({_marks(len(entity_ids))}) GROUP BY article_id) m ON m.article_id = a.id
                ORDER BY a.published_day IS NULL, a.published_day DESC, a.id DESC LIMIT ?""",
            [*entity_ids, limit],
        )
        return [(_article(r), int(r["mentions"])) for r in rows]

    def entity_stories(self, entity_ids: Sequence[int], *, limit: int) -> list[EntityStory]:
        """The stories whose articles mention these entities, most mentioning articles first, then newest."""
        if not entity_ids:
            return []
        rows = self.conn.execute(
            f"""SELECT {_STORY_COLUMNS}, m.n FROM stories s
                JOIN (SELECT a.story_id, COUNT(DISTINCT a.id) AS n FROM articles a
                      JOIN article_entities ae ON ae.article_id = a.id
                      WHERE ae.entity_id IN ({_marks(len(entity_ids))}) AND a.story_id IS NOT NULL
                      GROUP BY a.story_id) m ON m.story_id = s.id
                WHERE s.article_count > 0
                ORDER BY m.n DESC, s.last_seen IS NULL, s.last_seen DESC, s.id DESC LIMIT ?""",
            [*entity_ids, limit],
        )
        return [EntityStory(_story(r, []), int(r["n"])) for r in rows]

    def cooccurring(self, entity_ids: Sequence[int], *, limit: int) -> list[EntityCount]:
        """Other entities mentioned in the same articles, by number of shared articles."""
        if not entity_ids:
            return []
        marks = _marks(len(entity_ids))
        rows = self.conn.execute(
            f"""SELECT e.name, e.label, COUNT(DISTINCT other.article_id) AS n
                FROM article_entities mine JOIN article_entities other ON other.article_id = mine.article_id
                JOIN entities e ON e.id = other.entity_id
                WHERE mine.entity_id IN ({marks}) AND other.entity_id NOT IN ({marks})
                GROUP BY e.name, e.label ORDER BY n DESC, e.name LIMIT ?""",
            [*entity_ids, *entity_ids, limit],
        )
        return [EntityCount(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    # --- embeddings ---------------------------------------------------------------------------------

    def articles_state(self) -> tuple[int, int]:
        """(article count, highest article id): changes whenever articles are added or removed."""
        row = self.conn.execute("SELECT COUNT(*), MAX(id) FROM articles").fetchone()
        return int(row[0]), int(row[1] or 0)

    def embeddings(self) -> tuple[np.ndarray, np.ndarray]:
        """(article ids, float32 matrix with one unit-length row each) of every stored embedding.

        Rows of another length than the most common (a database written by two models) are left out.
        """
        rows = self.conn.execute(
            "SELECT article_id, embedding FROM article_features WHERE embedding IS NOT NULL ORDER BY article_id"
        ).fetchall()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        size = Counter(len(r[1]) for r in rows).most_common(1)[0][0]
        kept = [r for r in rows if len(r[1]) == size]
        ids = np.fromiter((int(r[0]) for r in kept), dtype=np.int64, count=len(kept))
        matrix = np.frombuffer(b"".join(bytes(r[1]) for r in kept), dtype=np.float32).reshape(len(kept), -1)
        return ids, matrix
