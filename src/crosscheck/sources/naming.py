"""Outlets named as the rater files name them, and outlets known only by name attached to their domains.

After every import (and when articles are stored with the registry imported), an outlet with a domain takes
the name the most trusted file gives that domain as a whole (not one section or sub-domain): an ownership
file's or the user's own CSV first, then AllSides (its entries with an address before those it names only),
then the other raters, each cleaned of feed qualifiers ("CNN (Web News)" → CNN). Without any, the outlet keeps
the name it was stored with (a stated name that can be the domain's outlet, else the domain). An outlet known
only by name ("BBC News" stated by a text republished on a hosting platform) is attached to the domain its name
resolves to (:mod:`crosscheck.sources.resolve`), or failing that its first word where a file names an outlet
exactly so ("Yle Selkouutiset" → Yle), its articles joining that domain's outlet if there is one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from crosscheck.sources.outlets import UNKNOWN_OUTLET, Outlet
from crosscheck.sources.publisher import display_name
from crosscheck.sources.resolve import NameIndex, lookup_index, resolve_outlet
from crosscheck.storage.connection import Connection
from crosscheck.storage.ratings import registry_size
from crosscheck.storage.store import utc_now

# Trust in a file's names, most trusted first (formats not listed come after).
NAME_TRUST = ("owners", "crosscheck", "allsides", "localnews", "mbfc", "baly")


def _rank(fmt: str, resolved_by: str | None) -> tuple[int, int]:
    place = NAME_TRUST.index(fmt) if fmt in NAME_TRUST else len(NAME_TRUST)
    return place, 0 if resolved_by == "address" else 1


def registry_names(conn: Connection) -> dict[str, str]:
    """The display name of every domain a rater file names as a whole, from the most trusted file."""
    rows = conn.execute(
        """SELECT e.domain, e.name, s.format, e.resolved_by FROM rating_entries e
           JOIN rating_sources s ON s.id = e.source_id
           WHERE e.domain IS NOT NULL AND e.name IS NOT NULL AND e.host = e.domain AND e.path = ''
               AND e.section = 'main'"""
    )
    best: dict[str, tuple[tuple[int, int], Counter[str]]] = {}
    for domain, name, fmt, how in rows:
        rank = _rank(str(fmt), how)
        shown = display_name(str(name))
        if not shown:
            continue
        held = best.get(domain)
        if held is None or rank < held[0]:
            best[domain] = (rank, Counter({shown: 1}))
        elif rank == held[0]:
            held[1][shown] += 1
    return {d: min(c, key=lambda n: (-c[n], n)) for d, (_, c) in best.items()}


def _free_name(conn: Connection, outlet_id: int, name: str, domain: str | None) -> str:
    taken = conn.execute("SELECT 1 FROM outlets WHERE name = ? AND id != ?", (name, outlet_id)).fetchone()
    return f"{name} ({domain})" if taken and domain else name


def _rename(conn: Connection, outlet_id: int, name: str, domain: str | None) -> None:
    conn.execute("UPDATE outlets SET name = ? WHERE id = ?", (_free_name(conn, outlet_id, name, domain), outlet_id))


def _attach(conn: Connection, outlet_id: int, domain: str) -> None:
    """Give a name-only outlet its domain, or move its articles to the outlet that has it."""
    other = conn.execute("SELECT id FROM outlets WHERE domain = ?", (domain,)).fetchone()
    if other is None:
        conn.execute("UPDATE outlets SET domain = ? WHERE id = ?", (domain, outlet_id))
        return
    query = "SELECT DISTINCT story_id FROM articles WHERE outlet_id = ? AND story_id IS NOT NULL"
    stories = [r[0] for r in conn.execute(query, (outlet_id,))]
    conn.execute("UPDATE articles SET outlet_id = ? WHERE outlet_id = ?", (int(other[0]), outlet_id))
    conn.execute("DELETE FROM outlets WHERE id = ?", (outlet_id,))
    for story_id in stories:  # two outlets became one
        conn.execute(
            """UPDATE stories SET updated_at = ?, outlet_count = (SELECT COUNT(DISTINCT a.outlet_id) FROM articles a
                   JOIN outlets o ON o.id = a.outlet_id WHERE a.story_id = stories.id
                   AND (o.domain IS NOT NULL OR o.name != ?)) WHERE id = ?""",
            (utc_now(), UNKNOWN_OUTLET, story_id),
        )


def name_outlets(conn: Connection, index: NameIndex) -> None:
    """Attach name-only outlets that ``index`` resolves, then name every outlet with a domain by the rater
    files (in the caller's transaction)."""
    for outlet_id, name in conn.execute("SELECT id, name FROM outlets WHERE domain IS NULL").fetchall():
        found = resolve_outlet(index, str(name)) if name != UNKNOWN_OUTLET else None
        if found:
            _attach(conn, int(outlet_id), found[0])
    names = registry_names(conn)
    for outlet_id, domain, name in conn.execute(
        "SELECT id, domain, name FROM outlets WHERE domain IS NOT NULL"
    ).fetchall():
        wanted = names.get(domain)
        if wanted and wanted != name and f"{wanted} ({domain})" != name:
            _rename(conn, int(outlet_id), wanted, domain)


class OutletNamer:
    """Names the outlets of articles being stored as the imported rater files name them (read once, and each
    stated name looked up once)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._names: dict[str, str] | None = None
        self._domains: dict[str, str | None] = {}  # stated name → the domain it resolves to (a corpus repeats few)

    def __call__(self, outlet: Outlet) -> Outlet:
        """The outlet with its domain resolved from its name (when it has none) and its rater files' name."""
        if self._names is None:
            self._names = registry_names(self.conn) if registry_size(self.conn) else {}
        if not self._names:
            return outlet
        if outlet.domain is None and outlet.known:
            if outlet.name not in self._domains:
                first = outlet.name.split()[0]
                found = resolve_outlet(lookup_index(self.conn, [outlet.name, first]), outlet.name)
                self._domains[outlet.name] = found[0] if found else None
            domain = self._domains[outlet.name]
            if domain:
                outlet = replace(outlet, domain=domain)
        if outlet.domain and outlet.domain in self._names:
            return replace(outlet, name=self._names[outlet.domain])
        return outlet
