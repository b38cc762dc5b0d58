"""Which ratings apply to an article, what each rater says, and the combined values with their spread.

For one article the entries of its outlet are narrowed per rater and dimension (:func:`pick`):

1. entries whose host covers the article's host (abcnews.go.com covers only itself, cnn.com covers
   edition.cnn.com);
2. of those, the entries for the longest path prefix of the article's address, if any
   (``theguardian.com/observer``); else, for an article under an opinion path (``/opinion/``), the rater's
   opinion-section entries, if any; else the rater's entries for the whole outlet;
3. the most specific host, then the newest rating (undated counts as oldest); ties are combined by median.

Raters derived from another (Baly et al. republish MBFC's labels) are shown but not counted on a dimension
that their origin also rates for the article, so one rater is never counted twice. The combined value is the
median of the counted raters (:func:`crosscheck.sources.scales.combine`); the spread is over every rater shown.
Owner, owner kind, parent and country come from a user's own file when one states them, else from the newest
statement; owner kind and parent always from the rater that gives the owner, with that entry's source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from crosscheck.sources.names import Scope, host_covers, name_candidates, name_key, scope_of
from crosscheck.sources.outlets import UNKNOWN_OUTLET
from crosscheck.sources.raters import KNOWN_RATERS, rater, rater_name
from crosscheck.sources.resolve import lookup_index
from crosscheck.sources.scales import COMMON_SCALES, TEXT_DIMENSIONS, combine, spread
from crosscheck.storage import ratings as db
from crosscheck.storage.connection import Connection
from crosscheck.storage.ratings import EntryRow

NO_RATERS = "no rater files imported"
NO_OUTLET = "no outlet named in the input"
_LABELS = {"bias": "bias", "factuality": "factuality", "credibility": "credibility", "owner": "owner",
           "owner_kind": "kind of owner", "parent": "parent company", "country": "country"}  # fmt: skip


@dataclass(frozen=True)
class Vote:
    """What one rater says about one dimension of an article's outlet."""

    rater: str
    dimension: str
    value: str  # the rater's own value(s), as given
    common: str | None  # on the common scale; None when the rater's value is not a point on it
    scale: str
    rated_on: str | None
    sources: tuple[str, ...]
    names: tuple[str, ...]  # the rater's names for the entries used
    counted: bool
    provenance: tuple[str, ...] = ()  # where the entries used say their statement comes from (``source`` detail)

    @property
    def rater_name(self) -> str:
        return rater_name(self.rater)


@dataclass(frozen=True)
class Ownership:
    """Who owns an outlet: owner, parent company, kind of owner, and who says so (files and source links)."""

    owner: str
    parent: str | None
    owner_type: str | None
    rater: str
    files: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """The ratings of one article's (or outlet's) outlet: every rater's vote, combined values and spreads, and
    for each dimension without a value, why."""

    domain: str | None
    votes: tuple[Vote, ...]
    values: dict[str, str | None]
    spreads: dict[str, int | None]
    reasons: dict[str, str]

    @property
    def bias(self) -> str | None:
        return self.values.get("bias")

    @property
    def factuality(self) -> str | None:
        return self.values.get("factuality")

    @property
    def owner(self) -> str | None:
        return self.values.get("owner")

    @property
    def ownership(self) -> Ownership | None:
        """Who owns the outlet, with where the statement comes from; None when no file says."""
        owner = self.values.get("owner")
        if not owner:
            return None
        vote = next((v for v in self.votes if v.dimension == "owner" and v.common == owner), None)
        return Ownership(
            owner=owner,
            parent=self.values.get("parent"),
            owner_type=self.values.get("owner_kind"),
            rater=vote.rater_name if vote else "",
            files=vote.sources if vote else (),
            sources=vote.provenance if vote else (),
        )

    def votes_for(self, dimension: str) -> list[Vote]:
        """The raters' votes on one dimension."""
        return [v for v in self.votes if v.dimension == dimension]


def _empty(domain: str | None, reason: str) -> Assessment:
    return Assessment(domain, (), {}, {}, {d: reason for d in _LABELS})


def pick(entries: Iterable[EntryRow], scope: Scope | None) -> list[EntryRow]:
    """The entries of one rater that apply to an article at ``scope`` (None: only the outlet is known)."""
    covering = [e for e in entries if scope is None or e.host is None or host_covers(e.host, scope.host)]
    path = scope.path if scope else ()
    in_path = [e for e in covering if e.path and path[: len(e.path.split("/"))] == tuple(e.path.split("/"))]
    if in_path:
        longest = max(len(e.path) for e in in_path)
        group = [e for e in in_path if len(e.path) == longest]
    else:
        opinion = [e for e in covering if e.section == "opinion" and not e.path]
        main = [e for e in covering if e.section == "main" and not e.path]
        group = opinion if scope and scope.opinion and opinion else main
    if not group:
        return []
    host_depth = max(len((e.host or "").split(".")) for e in group)
    group = [e for e in group if len((e.host or "").split(".")) == host_depth]
    newest = max(e.rated_on or "" for e in group)
    return [e for e in group if (e.rated_on or "") == newest]


def _vote(rater_id: str, dimension: str, group: list[EntryRow]) -> Vote:
    values = [e.values[dimension] for e in group]
    commons = [v.common for v in values if v.common is not None]
    if dimension in COMMON_SCALES:
        common = combine(dimension, commons)
    else:  # text: the value most entries give, ties alphabetical
        counts = Counter(commons)
        common = min(counts, key=lambda c: (-counts[c], c)) if counts else None
    return Vote(
        rater=rater_id,
        dimension=dimension,
        value="; ".join(sorted({v.value for v in values})),
        common=common,
        scale=values[0].scale,
        rated_on=max((e.rated_on or "" for e in group), default="") or None,
        sources=tuple(sorted({e.source_id for e in group})),
        names=tuple(sorted({e.name for e in group if e.name})),
        counted=True,
        provenance=tuple(sorted({e.detail["source"] for e in group if e.detail.get("source")})),
    )


def _votes(entries: list[EntryRow], scope: Scope | None) -> list[Vote]:
    votes: list[Vote] = []
    for dimension in _LABELS:
        by_rater: dict[str, list[EntryRow]] = {}
        for entry in entries:
            if dimension in entry.values:
                by_rater.setdefault(entry.rater, []).append(entry)
        found = [_vote(r, dimension, g) for r, rows in sorted(by_rater.items()) if (g := pick(rows, scope))]
        rated = {v.rater for v in found if v.common is not None}
        votes.extend(v if rater(v.rater).derived_from not in rated else replace(v, counted=False) for v in found)
    return votes


def _text_choice(votes: list[Vote]) -> Vote | None:
    """A user's own statement first (a hand-written file corrects the datasets), then the newest; among equally
    new ones, by rater id."""
    stated = [v for v in votes if v.common]
    if not stated:
        return None
    return max(stated, key=lambda v: (v.rater not in KNOWN_RATERS, v.rated_on or "", [-ord(c) for c in v.rater]))


def _reason(dimension: str, domain: str | None, outlet: str, entries: list[EntryRow], votes: list[Vote]) -> str:
    label = _LABELS[dimension]
    where = domain or f"“{outlet}”"
    if not entries:
        return f"{where} is in none of the imported rater files"
    if votes:
        given = "; ".join(f"{v.rater_name}: “{v.value}”" for v in votes)
        return f"no {label} on crosscheck's scale ({given})"
    if any(dimension in e.values for e in entries):
        return f"the {label} ratings of {where} cover other sections or sub-domains"
    names = sorted({rater_name(e.rater) for e in entries})
    verbs = ("lists", "gives") if len(names) == 1 else ("list", "give")
    return f"{', '.join(names)} {verbs[0]} {where} but {verbs[1]} no {label}"


def assess_entries(domain: str | None, outlet: str, entries: list[EntryRow], scope: Scope | None) -> Assessment:
    """The assessment of an article at ``scope`` from its outlet's entries."""
    votes = _votes(entries, scope)
    values: dict[str, str | None] = {}
    spreads: dict[str, int | None] = {}
    for dimension in COMMON_SCALES:
        mine = [v for v in votes if v.dimension == dimension and v.common is not None]
        values[dimension] = combine(dimension, [v.common for v in mine if v.counted and v.common])
        spreads[dimension] = spread(dimension, [v.common for v in mine if v.common])
    owner = _text_choice([v for v in votes if v.dimension == "owner"])
    values["owner"] = owner.common if owner else None
    for dimension in ("owner_kind", "parent"):
        same = [v for v in votes if v.dimension == dimension and owner and v.rater == owner.rater]
        values[dimension] = same[0].common if same else None
    country = _text_choice([v for v in votes if v.dimension == "country"])
    values["country"] = country.common if country else None
    reasons = {
        d: _reason(d, domain, outlet, entries, [v for v in votes if v.dimension == d])
        for d in (*COMMON_SCALES, *TEXT_DIMENSIONS)
        if values.get(d) is None
    }
    return Assessment(domain, tuple(votes), values, spreads, reasons)


class Assessor:
    """Assesses articles against the registry, loading each outlet's entries once."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.empty = db.registry_size(conn) == 0
        self._by_domain: dict[str, list[EntryRow]] = {}
        self._by_name: dict[str, list[EntryRow]] = {}
        self._resolved: dict[str, str | None] = {}
        self._loaded: set[tuple[str | None, str]] = set()
        self._entries: dict[tuple[str | None, str], tuple[str | None, list[EntryRow]]] = {}
        self._cache: dict[tuple[object, ...], Assessment] = {}

    def preload(self, outlets: Iterable[tuple[str | None, str]]) -> None:
        """Load the entries of many (domain, outlet name) pairs at once."""
        pairs = [p for p in set(outlets) if p not in self._loaded]
        if self.empty or not pairs:
            return
        self._loaded.update(pairs)
        names = [n for d, n in pairs if d is None and n != UNKNOWN_OUTLET and n not in self._resolved]
        if names:
            index = lookup_index(self.conn, names)
            for name in names:
                found = index.resolve(name)
                self._resolved[name] = found[0] if found else None
        domains = {d or self._resolved.get(n) for d, n in pairs} - {None} - set(self._by_domain)
        keys = {k for _, n in pairs for k in name_candidates(n)} - set(self._by_name)
        loaded = db.entries(self.conn, domains=[d for d in domains if d], name_keys=keys)
        for domain in domains:
            self._by_domain[str(domain)] = []
        for key in keys:
            self._by_name[key] = []
        for entry in loaded:
            if entry.domain is not None and entry.domain in self._by_domain:
                self._by_domain[entry.domain].append(entry)
            elif entry.domain is None:
                self._by_name.setdefault(name_key(entry.name or ""), []).append(entry)

    def entries(self, domain: str | None, outlet: str) -> tuple[str | None, list[EntryRow]]:
        """(the outlet's domain, resolved from its name when it has none; its entries)."""
        key = (domain, outlet)
        if key not in self._entries:
            self._entries[key] = self._find_entries(domain, outlet)
        return self._entries[key]

    def _find_entries(self, domain: str | None, outlet: str) -> tuple[str | None, list[EntryRow]]:
        self.preload([(domain, outlet)])
        if domain is None and outlet != UNKNOWN_OUTLET:
            domain = self._resolved.get(outlet)
        found = list(self._by_domain.get(domain, [])) if domain else []
        seen = {e.id for e in found}
        for key in name_candidates(outlet) if outlet != UNKNOWN_OUTLET else []:
            found.extend(e for e in self._by_name.get(key, []) if e.id not in seen)
        return domain, found

    def assess(self, domain: str | None, outlet: str, url: str | None = None) -> Assessment:
        """The ratings that apply to an article of this outlet at this address (None: the outlet as a whole)."""
        if self.empty:
            return _empty(domain, NO_RATERS)
        if domain is None and outlet == UNKNOWN_OUTLET:
            return _empty(None, NO_OUTLET)
        domain, found = self.entries(domain, outlet)
        scope = scope_of(url) if url else None
        if scope is None or scope.domain != domain:
            scope = Scope(domain, domain, ()) if domain else None
        path_hits = tuple(e.id for e in found if e.path and scope and "/".join(scope.path).startswith(e.path))
        key = (domain, outlet, scope.host if scope else None, bool(scope and scope.opinion), path_hits)
        if key not in self._cache:
            self._cache[key] = assess_entries(domain, outlet, found, scope)
        return self._cache[key]
