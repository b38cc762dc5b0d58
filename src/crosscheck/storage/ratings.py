"""The SQL of the outlet registry: imported rater files, their entries and values, aliases, and the article
rows that coverage and outlet pages are computed from.

Write functions run inside the caller's transaction (``Store.transaction``); read functions need only a
connection, which may be read-only. A database created before the registry existed (schema version 1, opened
read-only so never migrated) has none of these tables: :func:`registry_ready` tells callers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crosscheck.storage.connection import Connection, Row
from crosscheck.storage.database import database_label, table_exists

_CHUNK = 500  # host parameters per IN (...) list, well under SQLite's limit


@dataclass(frozen=True)
class RatingValue:
    """One value of an entry: as the rater gives it, its scale, and its common-scale value (or None)."""

    dimension: str
    value: str
    scale: str
    common: str | None


@dataclass(frozen=True)
class NewEntry:
    """An entry as an importer hands it to storage."""

    key: str
    rater: str
    name: str | None
    name_key: str | None
    domain: str | None
    host: str | None
    path: str
    section: str
    resolved_by: str | None
    rated_on: str | None
    detail: dict[str, str]
    values: list[RatingValue]


@dataclass(frozen=True)
class AliasRow:
    """A name that identifies an outlet: ``kind`` is 'name' (a rater's), 'alias' (hand-written) or 'slug'."""

    key: str
    name: str
    domain: str
    host: str
    kind: str
    rater: str


@dataclass(frozen=True)
class EntryRow:
    """A stored entry with its values."""

    id: int
    source_id: str
    key: str
    rater: str
    name: str | None
    domain: str | None
    host: str | None
    path: str
    section: str
    resolved_by: str | None
    rated_on: str | None
    detail: dict[str, str]
    values: dict[str, RatingValue] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceRow:
    """An imported rater file."""

    id: str
    path: str
    format: str
    rated_on: str | None
    imported_at: str
    entries: int
    resolved: int


@dataclass(frozen=True)
class ArticleRow:
    """What coverage needs of one article."""

    id: int
    story_id: int | None
    url: str | None
    outlet: str
    domain: str | None
    duplicate_of: int | None
    title: str
    published: str | None


# --- write side ---------------------------------------------------------------------------------------


def upsert_source(conn: Connection, source_id: str, *, path: str, fmt: str, rated_on: str | None,
                  now: str) -> None:  # fmt: skip
    """Record an imported file (again)."""
    conn.execute(
        """INSERT INTO rating_sources (id, path, format, rated_on, imported_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET path = excluded.path, format = excluded.format,
               rated_on = excluded.rated_on, imported_at = excluded.imported_at""",
        (source_id, path, fmt, rated_on, now),
    )


def upsert_entry(conn: Connection, source_id: str, entry: NewEntry) -> tuple[int, bool]:
    """Insert or update an entry and replace its values; returns (id, whether it is new)."""
    row = conn.execute("SELECT id FROM rating_entries WHERE source_id = ? AND key = ?", (source_id, entry.key))
    found = row.fetchone()
    fields = (entry.rater, entry.name, entry.name_key, entry.domain, entry.host, entry.path, entry.section,
              entry.resolved_by, entry.rated_on, json.dumps(entry.detail, ensure_ascii=False))  # fmt: skip
    if found:
        entry_id = int(found[0])
        conn.execute(
            """UPDATE rating_entries SET rater = ?, name = ?, name_key = ?, domain = ?, host = ?, path = ?,
                   section = ?, resolved_by = ?, rated_on = ?, detail = ? WHERE id = ?""",
            (*fields, entry_id),
        )
        conn.execute("DELETE FROM rating_values WHERE entry_id = ?", (entry_id,))
    else:
        cur = conn.execute(
            """INSERT INTO rating_entries (source_id, key, rater, name, name_key, domain, host, path, section,
                   resolved_by, rated_on, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (source_id, entry.key, *fields),
        )
        entry_id = int(cur.fetchone()[0])
    conn.executemany(
        "INSERT INTO rating_values (entry_id, dimension, value, scale, common) VALUES (?, ?, ?, ?, ?)",
        [(entry_id, v.dimension, v.value, v.scale, v.common) for v in entry.values],
    )
    return entry_id, not found


def delete_entries_except(conn: Connection, source_id: str, keep: set[int]) -> int:
    """Delete a source's entries that are not in ``keep`` (rows gone from a re-imported file)."""
    stale = [r[0] for r in conn.execute("SELECT id FROM rating_entries WHERE source_id = ?", (source_id,))
             if r[0] not in keep]  # fmt: skip
    for start in range(0, len(stale), _CHUNK):
        chunk = stale[start : start + _CHUNK]
        conn.execute(f"DELETE FROM rating_entries WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    return len(stale)


def replace_aliases(conn: Connection, source_id: str, aliases: Iterable[AliasRow]) -> None:
    """Replace a source's aliases."""
    conn.execute("DELETE FROM outlet_aliases WHERE source_id = ?", (source_id,))
    conn.executemany(
        """INSERT INTO outlet_aliases (key, name, domain, host, kind, rater, source_id) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key, domain, host, source_id) DO NOTHING""",
        [(a.key, a.name, a.domain, a.host, a.kind, a.rater, source_id) for a in aliases],
    )


def delete_source(conn: Connection, source_id: str) -> bool:
    """Remove an imported file with its entries, values and aliases; False when there is no such source."""
    return conn.execute("DELETE FROM rating_sources WHERE id = ?", (source_id,)).rowcount > 0


def name_only_entries(conn: Connection) -> list[tuple[int, str, str]]:
    """(id, name, rater) of every entry whose domain did not come from an address: name resolution decides it."""
    rows = conn.execute(
        """SELECT id, name, rater FROM rating_entries WHERE name IS NOT NULL
           AND (resolved_by IS NULL OR resolved_by != 'address') ORDER BY id"""
    )
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def source_entries(conn: Connection, source_id: str) -> list[tuple[str | None, str | None, str | None]]:
    """(name, domain, resolved_by) of a source's entries."""
    rows = conn.execute("SELECT name, domain, resolved_by FROM rating_entries WHERE source_id = ?", (source_id,))
    return [(r[0], r[1], r[2]) for r in rows]


def set_entry_domain(conn: Connection, entry_id: int, found: tuple[str, str, str] | None) -> None:
    """Attach a name-only entry to (domain, host, how it was found), or detach it (None)."""
    domain, host, how = found if found else (None, None, None)
    conn.execute(
        "UPDATE rating_entries SET domain = ?, host = ?, resolved_by = ? WHERE id = ?", (domain, host, how, entry_id)
    )


# --- read side ----------------------------------------------------------------------------------------


def registry_ready(conn: Connection) -> bool:
    """Whether the registry's tables exist (a read-only connection to an old database has none)."""
    return table_exists(conn, "rating_entries")


def registry_size(conn: Connection) -> int:
    """How many entries all imported files hold (0 when nothing was imported)."""
    if not registry_ready(conn):
        return 0
    return int(conn.execute("SELECT COUNT(*) FROM rating_entries").fetchone()[0])


def sources(conn: Connection) -> list[SourceRow]:
    """The imported files, oldest rating first."""
    if not registry_ready(conn):
        return []
    rows = conn.execute(
        """SELECT s.id, s.path, s.format, s.rated_on, s.imported_at, COUNT(e.id), COUNT(e.domain)
           FROM rating_sources s LEFT JOIN rating_entries e ON e.source_id = s.id
           GROUP BY s.id ORDER BY s.rated_on IS NOT NULL, s.rated_on, s.id"""
    )
    return [SourceRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]


def _in(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _entry(row: Row) -> EntryRow:
    return EntryRow(
        id=row["id"], source_id=row["source_id"], key=row["key"], rater=row["rater"], name=row["name"],
        domain=row["domain"], host=row["host"], path=row["path"], section=row["section"],
        resolved_by=row["resolved_by"], rated_on=row["rated_on"], detail=json.loads(row["detail"]),
    )  # fmt: skip


def entries(conn: Connection, *, domains: Iterable[str] = (), name_keys: Iterable[str] = ()) -> list[EntryRow]:
    """Entries of these domains, and name-only entries with these name keys, with their values."""
    if not registry_ready(conn):
        return []
    found: dict[int, EntryRow] = {}
    for column, values in (("domain", sorted(set(domains))), ("name_key", sorted(set(name_keys)))):
        extra = " AND domain IS NULL" if column == "name_key" else ""
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            rows = conn.execute(f"SELECT * FROM rating_entries WHERE {column} IN ({_in(chunk)}){extra}", chunk)
            found.update((r["id"], _entry(r)) for r in rows)
    ids = sorted(found)
    for start in range(0, len(ids), _CHUNK):
        id_chunk = ids[start : start + _CHUNK]
        for r in conn.execute(f"SELECT * FROM rating_values WHERE entry_id IN ({_in(id_chunk)})", id_chunk):
            found[r["entry_id"]].values[r["dimension"]] = RatingValue(r["dimension"], r["value"], r["scale"],
                                                                       r["common"])  # fmt: skip
    return [found[i] for i in ids]


_ALIAS = "SELECT DISTINCT key, name, domain, host, kind, rater FROM outlet_aliases"


def alias_rows(conn: Connection, keys: Iterable[str] | None = None) -> list[AliasRow]:
    """The aliases with these keys (every alias when ``keys`` is None)."""
    if not registry_ready(conn):
        return []
    if keys is None:
        return [AliasRow(*r) for r in conn.execute(_ALIAS)]
    wanted = sorted(set(keys))
    found: list[AliasRow] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.extend(AliasRow(*r) for r in conn.execute(f"{_ALIAS} WHERE key IN ({_in(chunk)})", chunk))
    return found


def aliases_of(conn: Connection, domain: str) -> list[tuple[str, str, str]]:
    """(name, kind, source id) of a domain's aliases."""
    if not registry_ready(conn):
        return []
    rows = conn.execute(
        "SELECT DISTINCT name, kind, source_id FROM outlet_aliases WHERE domain = ? ORDER BY kind, name, source_id",
        (domain,),
    )
    return [(r[0], r[1], r[2]) for r in rows]


def rated_domains(conn: Connection) -> list[str]:
    """Every domain some entry covers."""
    if not registry_ready(conn):
        return []
    return [r[0] for r in conn.execute("SELECT DISTINCT domain FROM rating_entries WHERE domain IS NOT NULL")]


def outlet_names(conn: Connection) -> list[tuple[str, str]]:
    """(name, domain) of the outlets that articles in this database came from."""
    return [(r[0], r[1]) for r in conn.execute("SELECT name, domain FROM outlets WHERE domain IS NOT NULL")]


def database_state(conn: Connection) -> tuple[object, ...]:
    """A cheap fingerprint of what coverage depends on: the database file, articles, stories and imports."""
    file = database_label(conn)
    articles = tuple(conn.execute("SELECT COUNT(*), MAX(id) FROM articles").fetchone())
    stories = tuple(conn.execute("SELECT COUNT(*), MAX(updated_at) FROM stories").fetchone())
    imports: tuple[object, ...] = ()
    if registry_ready(conn):
        imports = tuple(conn.execute("SELECT COUNT(*), MAX(imported_at) FROM rating_sources").fetchone())
    return (file, *articles, *stories, *imports)


_ARTICLE_ROW = """SELECT a.id, a.story_id, a.url, o.name, o.domain, a.duplicate_of, a.title, a.published
    FROM articles a JOIN outlets o ON o.id = a.outlet_id"""


def _article_rows(rows: Iterable[Row]) -> list[ArticleRow]:
    return [ArticleRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]


def article_rows(conn: Connection, story_id: int | None = None) -> list[ArticleRow]:
    """A story's articles (or every article grouped into a story), oldest first, undated last."""
    order = " ORDER BY a.published_day IS NULL, a.published_day, a.id"
    if story_id is None:
        return _article_rows(conn.execute(f"{_ARTICLE_ROW} WHERE a.story_id IS NOT NULL{order}"))
    return _article_rows(conn.execute(f"{_ARTICLE_ROW} WHERE a.story_id = ?{order}", (story_id,)))


def outlet_articles(conn: Connection, domain: str, *, limit: int = 50) -> list[ArticleRow]:
    """An outlet's newest articles."""
    return _article_rows(conn.execute(
        f"{_ARTICLE_ROW} WHERE o.domain = ? ORDER BY a.published_day IS NULL, a.published_day DESC, a.id DESC LIMIT ?",
        (domain, limit),
    ))  # fmt: skip


def outlet_totals(conn: Connection) -> list[tuple[str, str | None, int, int]]:
    """(name, domain, articles, stories) of every outlet articles came from, most articles first."""
    rows = conn.execute(
        """SELECT o.name, o.domain, COUNT(a.id) AS n, COUNT(DISTINCT a.story_id) FROM outlets o
           JOIN articles a ON a.outlet_id = o.id GROUP BY o.id ORDER BY n DESC, o.name"""
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def story_headlines(conn: Connection, story_ids: Iterable[int]) -> dict[int, str]:
    """Headlines of these stories."""
    ids = sorted(set(story_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.execute(f"SELECT id, headline FROM stories WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        found.update((int(r[0]), str(r[1])) for r in rows)
    return found
