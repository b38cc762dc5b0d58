"""Stored corrections: what an editor changed in the stories, when and why, and the articles concerned.

An article is named by what survives a recluster, a re-ingest or another database holding the same articles:
its key (the identity of the input item: its URL when it has one) and the hash of its text; URL and title are
kept for people reading an export. :mod:`crosscheck.corrections` makes and obeys them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from crosscheck.storage.connection import Connection

KINDS = ("merge", "move", "split")


@dataclass(frozen=True)
class ArticleRef:
    """An article as a correction names it."""

    key: str
    text_hash: str
    url: str | None
    title: str


@dataclass(frozen=True)
class Correction:
    """One correction: the articles in ``together`` share a story; none of them shares one with ``apart``."""

    kind: str
    reason: str
    made_at: str
    together: list[ArticleRef]
    apart: list[ArticleRef] = field(default_factory=list)
    stories: dict[str, int | None] = field(default_factory=dict)  # the story ids it was made on, for reading

    def digest(self) -> str:
        """A hash of everything the correction says: the same correction imported twice is stored once."""
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_correction(conn: Connection, correction: Correction) -> bool:
    """Store a correction; False (and nothing stored) when the same one is stored already."""
    digest = correction.digest()
    if conn.execute("SELECT 1 FROM corrections WHERE digest = ?", (digest,)).fetchone():
        return False
    cur = conn.execute(
        "INSERT INTO corrections (digest, kind, reason, made_at, stories) VALUES (?, ?, ?, ?, ?) RETURNING id",
        (digest, correction.kind, correction.reason, correction.made_at, json.dumps(correction.stories)),
    )
    correction_id = int(cur.fetchone()[0])
    rows = [(role, ref) for role, refs in (("together", correction.together), ("apart", correction.apart))
            for ref in refs]  # fmt: skip
    conn.executemany(
        """INSERT INTO correction_articles (correction_id, position, role, key, text_hash, url, title)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [(correction_id, n, role, r.key, r.text_hash, r.url, r.title) for n, (role, r) in enumerate(rows)],
    )
    return True


def load_corrections(conn: Connection) -> list[Correction]:
    """Every stored correction, oldest first (a later correction overrides an earlier one where they differ)."""
    refs: dict[int, dict[str, list[ArticleRef]]] = {}
    for correction_id, role, key, text_hash, url, title in conn.execute(
        """SELECT correction_id, role, key, text_hash, url, title FROM correction_articles
           ORDER BY correction_id, position"""
    ):
        refs.setdefault(int(correction_id), {"together": [], "apart": []})[role].append(
            ArticleRef(key, text_hash, url, title)
        )
    found: list[Correction] = []
    for correction_id, kind, reason, made_at, stories in conn.execute(
        "SELECT id, kind, reason, made_at, stories FROM corrections ORDER BY made_at, id"
    ):
        named = refs.get(int(correction_id), {"together": [], "apart": []})
        found.append(Correction(kind, reason, made_at, named["together"], named["apart"], json.loads(stories)))
    return found


def article_refs(conn: Connection, article_ids: Iterable[int]) -> list[ArticleRef]:
    """How corrections name these articles, in id order."""
    ids = sorted(set(article_ids))
    found: list[ArticleRef] = []
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        rows = conn.execute(f"SELECT key, text_hash, url, title FROM articles WHERE id IN ({marks}) ORDER BY id", part)
        found += [ArticleRef(key, text_hash, url, title or "") for key, text_hash, url, title in rows]
    return found


def resolve_refs(conn: Connection, refs: Sequence[ArticleRef]) -> dict[ArticleRef, int]:
    """The stored original article each reference names (by key, else by text hash), for those stored.

    A reference to a copy resolves to its original: copies follow their original into its story. Read in a few
    queries, not one a reference: a newsroom's corrections name thousands of articles.
    """
    by_key = _originals(conn, "key", {ref.key for ref in refs})
    by_hash = _originals(conn, "text_hash", {ref.text_hash for ref in refs if ref.key not in by_key})
    found: dict[ArticleRef, int] = {}
    for ref in refs:
        original = by_key[ref.key] if ref.key in by_key else by_hash.get(ref.text_hash)
        if original is not None:
            found[ref] = original
    return found


def _originals(conn: Connection, column: str, values: Iterable[str]) -> dict[str, int]:
    """{value: the original of the first stored article (lowest id) whose ``column`` holds it}."""
    wanted = sorted(values)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"SELECT {column}, id, duplicate_of FROM articles WHERE {column} IN ({marks}) ORDER BY id", part
        )
        for value, article_id, duplicate_of in rows:
            found.setdefault(str(value), int(duplicate_of or article_id))
    return found


def story_of_articles(conn: Connection, article_ids: Iterable[int]) -> dict[int, int]:
    """The story each of these articles is in (those in none are left out)."""
    ids = sorted(set(article_ids))
    found: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        rows = conn.execute(f"SELECT id, story_id FROM articles WHERE id IN ({marks}) AND story_id IS NOT NULL", part)
        found.update((int(a), int(s)) for a, s in rows)
    return found
