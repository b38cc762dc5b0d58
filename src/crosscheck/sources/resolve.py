"""Finding the domain of an outlet known only by name (AllSides' 2019 file, a text file's ``source`` line).

A name is looked up by its keys (:func:`crosscheck.sources.names.name_candidates`), most literal first, in
tiers of evidence, strongest first:

1. ``alias``: names and aliases written by hand in a crosscheck CSV;
2. ``rater``: names the same rater gives with an address in another file (AllSides' newer file for its 2019 one);
3. ``outlet``: the outlet names of the articles in this database ("Fox Online News" on foxnews.com);
4. ``slug``: the outlet name in MBFC's page address (``…/new-york-times-bias/``);
5. ``name``: names other raters give with an address (the local news dataset);
6. ``label``: the name of a registered domain itself ("Washington Times" → washingtontimes.com), among the
   domains the registry or the database knows.

The strongest tier that knows a key decides; when it points to two or more domains the key is ambiguous and is
not used (the next key is tried). A name that is itself a domain ("WND.com") resolves to it directly. A name
resolved through another entry's name takes that entry's host (ABC News → abcnews.go.com, not all of go.com).
bench/ratings.py measures how often this finds the right domain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from crosscheck.sources.names import domain_in_name, name_candidates, name_key
from crosscheck.storage import ratings as db
from crosscheck.storage.connection import Connection
from crosscheck.storage.ratings import AliasRow

TIERS = ("alias", "rater", "outlet", "slug", "name", "label")
TIER_LABELS = {"alias": "hand-written alias", "rater": "the rater's own name", "outlet": "articles' outlet name",
               "slug": "MBFC page name", "name": "another rater's name", "label": "domain name"}  # fmt: skip


def _tier(alias: AliasRow, rater: str | None) -> str:
    if alias.kind == "name":
        return "rater" if alias.rater == rater else "name"
    return alias.kind  # alias, outlet, slug, label


@dataclass
class NameIndex:
    """Name keys → the aliases that carry them."""

    keys: dict[str, list[AliasRow]] = field(default_factory=dict)

    def add(self, alias: AliasRow) -> None:
        """Record one alias."""
        if alias.key:
            self.keys.setdefault(alias.key, []).append(alias)

    def resolve(
        self, name: str, rater: str | None = None, tiers: tuple[str, ...] = TIERS
    ) -> tuple[str, str, str] | None:
        """(domain, host, how it was found) for a name given by ``rater``, or None when nothing unambiguous
        matches (in ``tiers`` only, when given)."""
        direct = domain_in_name(name)
        if direct:
            return direct, direct, "the name is a domain"
        for key in name_candidates(name):
            hits = self.keys.get(key, [])
            for tier in tiers:
                found = [a for a in hits if _tier(a, rater) == tier]
                if not found:
                    continue
                domains = {a.domain for a in found}
                if len(domains) > 1:
                    break  # ambiguous in the strongest tier that knows this key: try the next key
                hosts = {a.host for a in found}
                domain = domains.pop()
                return domain, hosts.pop() if len(hosts) == 1 else domain, f"{TIER_LABELS[tier]} “{key}”"
        return None


def _synthetic(kind: str, key: str, name: str, domain: str) -> AliasRow:
    return AliasRow(key, name, domain, domain, kind, "")


def build_index(conn: Connection) -> NameIndex:
    """The full name index: every alias, every article outlet name, every known domain's label."""
    index = NameIndex()
    for alias in db.alias_rows(conn):
        index.add(alias)
    outlet_domains = set()
    for name, domain in db.outlet_names(conn):
        index.add(_synthetic("outlet", name_key(name), name, domain))
        outlet_domains.add(domain)
    for domain in outlet_domains | set(db.rated_domains(conn)):
        label = domain.split(".", 1)[0]
        index.add(_synthetic("label", name_key(label), label, domain))
    return index


def lookup_index(conn: Connection, names: Iterable[str]) -> NameIndex:
    """A small index for looking up a few names at read time: their aliases only (no domain labels)."""
    index = NameIndex()
    for alias in db.alias_rows(conn, {key for name in names for key in name_candidates(name)}):
        index.add(alias)
    return index


def resolve_names(conn: Connection) -> NameIndex:
    """Attach every name-only entry to the domain its name resolves to now (or detach it when none does), and
    return the index used.

    Runs after each import, so the result does not depend on the order files were imported in.
    """
    index = build_index(conn)
    for entry_id, name, rater in db.name_only_entries(conn):
        db.set_entry_domain(conn, entry_id, index.resolve(name, rater))
    return index


# Names an outlet's own files give it, by hand or by a rater: enough to read "Yle Selkouutiset" as Yle's.
NAMED_TIERS = ("alias", "rater", "name")


def resolve_outlet(index: NameIndex, name: str) -> tuple[str, str, str] | None:
    """The domain of an outlet known only by name: its name, else its first word where a rater file names an
    outlet exactly so ("Yle Selkouutiset", a programme of Yle's, → yle.fi)."""
    found = index.resolve(name)
    words = name.split()
    if found is None and len(words) > 1:
        found = index.resolve(words[0], tiers=NAMED_TIERS)
    return found
