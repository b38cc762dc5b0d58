"""The SQL of figures: writing claims, quotes and reference figures, and the reads behind the ledger, the
figures page, the API and ``export claims``. The ledger itself is built above storage
(:mod:`crosscheck.claims.ledger`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from crosscheck.figures import ArticleFigures, Claim, ReferenceFigure, StoredClaim
from crosscheck.storage.connection import Connection, Row
from crosscheck.storage.database import table_exists

_CLAIM_COLUMNS = """c.id, c.article_id, a.external_id, a.story_id, o.name AS outlet, o.domain AS outlet_domain,
    a.published, a.title, a.duplicate_of, c.value, c.value_high, c.unit, c.subject, c.kind, c.period, c.speaker,
    c.evidence, c.start_offset, c.end_offset, c.figure_start, c.figure_end"""
_CLAIM_FROM = "FROM claims c JOIN articles a ON a.id = c.article_id JOIN outlets o ON o.id = a.outlet_id"
# The newest revision of the claim's page when the page changed after this article was stored, else NULL.
_SUPERSEDED_BY = """, (SELECT newer.article_id FROM page_revisions mine JOIN page_revisions newer
    ON newer.url = mine.url AND newer.revision > mine.revision
    WHERE mine.article_id = c.article_id ORDER BY newer.revision DESC LIMIT 1) AS superseded_by"""
_ORDER = "ORDER BY a.published_day IS NULL, a.published_day, c.article_id, c.figure_start"


def save_figures(conn: Connection, article_id: int, figures: ArticleFigures) -> None:
    """Store an article's claims and quotes, replacing what it had."""
    conn.execute("DELETE FROM claims WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
    conn.executemany(
        """INSERT INTO claims (article_id, value, value_high, unit, subject, kind, period, speaker, evidence,
               start_offset, end_offset, figure_start, figure_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (article_id, c.value, c.value_high, c.unit, c.subject, c.kind, c.period, c.speaker, c.evidence,
             c.start, c.end, c.figure_start, c.figure_end)
            for c in figures.claims
        ],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO quotes (article_id, text, speaker, start_offset, end_offset) VALUES (?, ?, ?, ?, ?)",
        [(article_id, q.text, q.speaker, q.start, q.end) for q in figures.quotes],
    )


def save_reference(conn: Connection, figures: Iterable[ReferenceFigure]) -> int:
    """Store reference figures; returns how many were new (re-importing a file adds nothing)."""
    count = "SELECT COUNT(*) FROM reference_figures"
    before = int(conn.execute(count).fetchone()[0])
    conn.executemany(
        """INSERT INTO reference_figures (subject, year, unit, value, edition, edition_date, publisher, source, note)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subject, year, unit, edition, value) DO NOTHING""",
        [(f.subject, f.year, f.unit, f.value, f.edition, f.edition_date, f.publisher, f.source, f.note)
         for f in figures],
    )  # fmt: skip
    return int(conn.execute(count).fetchone()[0]) - before


def _stored(row: Row) -> StoredClaim:
    claim = Claim(
        value=row["value"],
        value_high=row["value_high"],
        unit=row["unit"],
        subject=row["subject"],
        kind=row["kind"],
        period=row["period"],
        speaker=row["speaker"],
        evidence=row["evidence"],
        start=row["start_offset"],
        end=row["end_offset"],
        figure_start=row["figure_start"],
        figure_end=row["figure_end"],
    )
    return StoredClaim(
        id=row["id"],
        article_id=row["article_id"],
        external_id=row["external_id"],
        story_id=row["story_id"],
        outlet=row["outlet"],
        outlet_domain=row["outlet_domain"],
        published=row["published"],
        title=row["title"],
        duplicate_of=row["duplicate_of"],
        claim=claim,
        superseded_by=row["superseded_by"] if "superseded_by" in row.keys() else None,  # noqa: SIM118 (a Row's `in` reads values)
    )


def _has_table(conn: Connection, name: str) -> bool:
    return table_exists(conn, name)


def _claim_filter(subject: str | None, unit: str | None) -> tuple[str, list[str]]:
    """The WHERE clause (and its parameters) of claims of ``subject`` and ``unit``, each when given."""
    where, params = ["1 = 1"], []
    if subject:
        where.append("c.subject = ?")
        params.append(subject)
    if unit:
        where.append("c.unit = ?")
        params.append(unit)
    return " AND ".join(where), params


class ClaimReader:
    """Read-only queries over the figures tables of a connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # A database written before figures existed has no such tables until its next write migrates it.
        self.available = _has_table(conn, "claims")
        # Revisions came with the feeds; a database from before them has no page_revisions until migrated.
        self._columns = _CLAIM_COLUMNS + (_SUPERSEDED_BY if _has_table(conn, "page_revisions") else "")

    def reference_units(self) -> set[str]:
        """The units reference figures were imported for (counts are not checked against GDP tables)."""
        if not self.available:
            return set()
        return {r[0] for r in self.conn.execute("SELECT DISTINCT unit FROM reference_figures")}

    def story_claims(self, story_id: int) -> list[StoredClaim]:
        """Every claim of a story's articles, oldest article first."""
        if not self.available:
            return []
        rows = self.conn.execute(f"SELECT {self._columns} {_CLAIM_FROM} WHERE a.story_id = ? {_ORDER}", (story_id,))
        return [_stored(r) for r in rows]

    def claims(
        self, *, subject: str | None = None, unit: str | None = None, limit: int = 500, offset: int = 0
    ) -> list[StoredClaim]:
        """Claims across stories, filtered by subject and unit when given, oldest first; ``limit`` of them from
        ``offset`` on."""
        if not self.available:
            return []
        where, params = _claim_filter(subject, unit)
        rows = self.conn.execute(
            f"SELECT {self._columns} {_CLAIM_FROM} WHERE {where} {_ORDER} LIMIT ? OFFSET ?", (*params, limit, offset)
        )
        return [_stored(r) for r in rows]

    def count_claims(self, *, subject: str | None = None, unit: str | None = None) -> int:
        """How many claims :meth:`claims` would give without a limit."""
        if not self.available:
            return 0
        where, params = _claim_filter(subject, unit)
        return int(self.conn.execute(f"SELECT COUNT(*) {_CLAIM_FROM} WHERE {where}", params).fetchone()[0])

    def subjects(self) -> list[tuple[str, int]]:
        """Subjects with their number of claims, most claimed first."""
        if not self.available:
            return []
        rows = self.conn.execute("SELECT subject, COUNT(*) AS n FROM claims GROUP BY subject ORDER BY n DESC, subject")
        return [(r[0], r[1]) for r in rows]

    def units(self) -> list[str]:
        if not self.available:
            return []
        return [r[0] for r in self.conn.execute("SELECT DISTINCT unit FROM claims ORDER BY unit")]

    def reference(self, subject: str, unit: str, year: int) -> list[ReferenceFigure]:
        """The reference figures for one subject, unit and year, every edition."""
        if not self.available:
            return []
        rows = self.conn.execute(
            """SELECT subject, year, unit, value, edition, edition_date, publisher, source, note
               FROM reference_figures WHERE subject = ? AND unit = ? AND year = ? ORDER BY edition_date, id""",
            (subject, unit, year),
        )
        return [ReferenceFigure(*r) for r in rows]

    def reference_series(self, subject: str, unit: str) -> list[ReferenceFigure]:
        """Every reference figure for a subject and unit, by year."""
        if not self.available:
            return []
        rows = self.conn.execute(
            """SELECT subject, year, unit, value, edition, edition_date, publisher, source, note
               FROM reference_figures WHERE subject = ? AND unit = ? ORDER BY year, edition_date, id""",
            (subject, unit),
        )
        return [ReferenceFigure(*r) for r in rows]

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Claims as flat dictionaries for ``export claims``."""
        if not self.available:
            return
        for row in self.conn.execute(f"SELECT {self._columns} {_CLAIM_FROM} ORDER BY c.article_id, c.figure_start"):
            yield _stored(row).to_dict()
