"""A story's figures ledger: the claims of its articles grouped into rows that state the same figure.

Reported figures are grouped by subject (its names folded: "Trump" is the story's "Donald Trump", see
:mod:`subject_names`), unit, year and what they measure (see :mod:`measures`): two values for
the same thing are a disagreement — two death tolls, two sums for one settlement, two shares of GDP for one year —
unless one is the other rounded ("3.4%" and "3.38%"). Targets and forecasts are grouped by
subject, unit, kind and value: the same target given with different deadlines ("5% by 2032" and "5% by 2035")
is a disagreement on its period. A row stated by one independent report only (copies count as their original)
is single-sourced.

A page that changed after it was first stored (see :mod:`crosscheck.ingest.revisions`) states its figures in its
newest revision: the claims of its earlier revisions are kept on the row they belong to as ``earlier`` (what the
page used to say), not counted as values of their own. A figure stated only by earlier revisions gives a row
marked ``withdrawn``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import combinations
from typing import Any

from crosscheck.claims.kinds import REPORTED
from crosscheck.claims.measures import counted_words, measure_of
from crosscheck.claims.reference import ReferenceCheck, check, decimals, rounded
from crosscheck.claims.subject_names import fold_subjects
from crosscheck.figures import COUNT, PERCENT_GDP, Claim, StoredClaim, format_figure
from crosscheck.storage.claims import ClaimReader


@dataclass
class Variant:
    """One version of a ledger row's figure (a value, or for targets a deadline) and who states it."""

    value: float
    value_high: float | None
    period: int | None
    claims: list[StoredClaim] = field(default_factory=list)
    reference: ReferenceCheck | None = None  # reported figures only: how it compares with official data

    @property
    def label(self) -> str:
        """The figure as a reader writes it ("3.5% of GDP")."""
        return format_figure(self.value, self.value_high, self.claims[0].claim.unit) if self.claims else ""

    @property
    def outlets(self) -> list[str]:
        return sorted({c.outlet for c in self.claims})

    @property
    def speakers(self) -> list[str]:
        return sorted({c.claim.speaker for c in self.claims if c.claim.speaker})

    @property
    def reports(self) -> int:
        return len({c.report_id for c in self.claims})


@dataclass
class LedgerRow:
    """Figures of a story that state the same thing, with their agreement and reference check (read once the
    row is built: its variants do not change after)."""

    subject: str
    unit: str
    kind: str
    variants: list[Variant]
    earlier: list[StoredClaim] = field(default_factory=list)  # claims of page revisions replaced since
    withdrawn: bool = False  # only replaced revisions state this figure

    @property
    def key(self) -> tuple[str, str, str, int | None]:
        """The subject, unit, kind (and year, for a reported figure) of the row: where a replaced revision's
        claim of the same figure belongs."""
        period = self.variants[0].period if self.kind == REPORTED and self.variants else None
        return (self.subject, self.unit, self.kind, period)

    @cached_property
    def what(self) -> str | None:
        """What the row's figure counts or prices, as its reports write it most often ("partner countries");
        None for percentages, durations and fractions (the unit and its "of …" say it) and when no words follow
        the figure."""
        if self.unit != COUNT and not self.unit.startswith("currency_"):
            return None
        written = Counter(w for w in (counted_words(c.claim) for c in self.claims) if w)
        return written.most_common(1)[0][0] if written else None

    @property
    def claims(self) -> list[StoredClaim]:
        return [c for v in self.variants for c in v.claims]

    @property
    def reports(self) -> int:
        """Independent reports stating the row."""
        return len({c.report_id for c in self.claims})

    @property
    def single_source(self) -> bool:
        return self.reports <= 1

    @cached_property
    def disagreement(self) -> str | None:
        """``value`` or ``period`` when reports disagree on it, else None.

        Reports disagree when two of them state none of the same values ("12 killed" against "15 killed"). One
        report that states two values (it gives both 100,000 and 20,000 troops) is telling two things apart, not
        contradicting itself, and agrees with any report that states one of them.
        """
        if len(self.variants) < 2:
            return None
        stated: dict[int, set[int]] = {}
        for i, variant in enumerate(self.variants):
            for c in variant.claims:
                if self.kind == REPORTED or c.claim.period is not None:  # no deadline agrees with any
                    stated.setdefault(c.report_id, set()).add(i)
        distinct = {frozenset(values) for values in stated.values()}  # thousands of reports, a few value sets
        if not any(a.isdisjoint(b) for a, b in combinations(distinct, 2)):
            return None
        return "value" if self.kind == REPORTED else "period"

    @property
    def first_seen(self) -> str | None:
        days = [c.published[:10] for c in self.claims if c.published]
        return min(days) if days else None

    @property
    def period(self) -> int | None:
        periods = {v.period for v in self.variants if v.period is not None}
        return periods.pop() if len(periods) == 1 else None

    def to_dict(self) -> dict[str, Any]:
        """The row for the JSON API: its figure, agreement and, per value, who states it and the check."""
        return {
            "subject": self.subject, "unit": self.unit, "what": self.what, "kind": self.kind, "period": self.period,
            "disagreement": self.disagreement, "single_source": self.single_source, "reports": self.reports,
            "first_seen": self.first_seen, "withdrawn": self.withdrawn,
            "earlier": [{"label": c.label, "article_id": c.article_id, "superseded_by": c.superseded_by,
                         "outlet": c.outlet, "published": c.published, "claim_id": c.id} for c in self.earlier],
            "values": [
                {"value": v.value, "value_high": v.value_high, "period": v.period, "label": v.label,
                 "outlets": v.outlets, "speakers": v.speakers, "claim_ids": [c.id for c in v.claims],
                 "reference": None if v.reference is None else {
                     "status": v.reference.status, "text": v.reference.text,
                     "difference": v.reference.difference,
                     "compared": None if v.reference.compared is None else asdict(v.reference.compared),
                     "revised": None if v.reference.revised is None else asdict(v.reference.revised)}}
                for v in self.variants
            ],
        }  # fmt: skip


def same_value(a: float, b: float) -> bool:
    """Whether two stated values agree: equal, or one is the other rounded to its precision."""
    places = min(decimals(a), decimals(b))
    return rounded(a, places) == rounded(b, places)


def _compared_on(claim: Claim) -> str | None:
    """What two reported values of this claim's subject, unit and year must agree on, or None when they need not.

    A share of GDP in a given year is one number. Any other figure is compared with the figures of the same
    subject that measure the same thing ("15 people were killed" with "12 people were killed", "a $575 million
    settlement" with "a $700 million settlement"); counts, percentages and sums that measure different things
    ("22 met the target", "10 did not"), or whose sentence does not say what, are never a disagreement.
    """
    if claim.unit == PERCENT_GDP:
        return "" if claim.period is not None else None
    return measure_of(claim)


def _reported_rows(claims: list[StoredClaim], names: dict[str, str]) -> list[LedgerRow]:
    groups: dict[tuple[str, str, int | None, str | float], list[StoredClaim]] = {}
    measures = {c.id: _compared_on(c.claim) for c in claims}
    # "settlement" and "data breach settlement" measure one thing; "partner country", "member country" two
    folded = fold_subjects(m for m in measures.values() if m)
    for c in claims:
        measure = measures[c.id]
        apart = round(c.claim.value, 4) if measure is None else folded.get(measure, measure)  # None: a row each
        groups.setdefault((names[c.claim.subject], c.claim.unit, c.claim.period, apart), []).append(c)
    rows = []
    for (subject, unit, period, _), members in groups.items():
        variants: list[Variant] = []
        for c in sorted(members, key=lambda m: -decimals(m.claim.value)):  # most precise value first
            home = next((v for v in variants if same_value(v.value, c.claim.value)
                         and v.value_high == c.claim.value_high), None)  # fmt: skip
            if home is None:
                home = Variant(c.claim.value, c.claim.value_high, period)
                variants.append(home)
            home.claims.append(c)
        rows.append(LedgerRow(subject, unit, REPORTED, variants))
    return rows


def _planned_rows(claims: list[StoredClaim], names: dict[str, str]) -> list[LedgerRow]:
    groups: dict[tuple[str, str, str, float, float | None], list[StoredClaim]] = {}
    for c in claims:
        key = (names[c.claim.subject], c.claim.unit, c.claim.kind, round(c.claim.value, 4), c.claim.value_high)
        groups.setdefault(key, []).append(c)
    rows = []
    for (subject, unit, kind, value, high), members in groups.items():
        dated = {c.claim.period for c in members if c.claim.period is not None}
        variants = [Variant(value, high, p, [c for c in members if c.claim.period == p]) for p in sorted(dated)]
        undated = [c for c in members if c.claim.period is None]
        if undated:  # a mention without a deadline agrees with any deadline: it joins the first variant
            if variants:
                variants[0].claims.extend(undated)
            else:
                variants.append(Variant(value, high, None, undated))
        rows.append(LedgerRow(subject, unit, kind, variants))
    return rows


Lookup = Callable[[str, str, int, float], ReferenceCheck | None]
"""``lookup(subject, unit, year, value)``: the reference check of one reported value."""


def _row_key(c: StoredClaim, names: dict[str, str]) -> tuple[str, str, str, int | None]:
    """Where a replaced revision's claim belongs: the row of the same subject, unit and kind (and year, for a
    reported figure), whatever its value, so that a corrected figure shows next to its correction."""
    return (names[c.claim.subject], c.claim.unit, c.claim.kind, c.claim.period if c.claim.kind == REPORTED else None)


def _rows(claims: list[StoredClaim], names: dict[str, str]) -> list[LedgerRow]:
    rows = _reported_rows([c for c in claims if c.claim.kind == REPORTED], names)
    return rows + _planned_rows([c for c in claims if c.claim.kind != REPORTED], names)


def _attach_earlier(rows: list[LedgerRow], earlier: list[StoredClaim], names: dict[str, str]) -> list[LedgerRow]:
    """Put each replaced revision's claim on its current row; figures no current row states become withdrawn
    rows of their own."""
    by_key: dict[tuple[str, str, str, int | None], LedgerRow] = {}
    for row in rows:
        by_key.setdefault(row.key, row)
    orphans = []
    for c in earlier:
        home = by_key.get(_row_key(c, names))
        if home is None:
            orphans.append(c)
        else:
            home.earlier.append(c)
    withdrawn = _rows(orphans, names)
    for row in withdrawn:
        row.withdrawn = True
    return withdrawn


def build_ledger(claims: Iterable[StoredClaim], lookup: Lookup | None = None) -> list[LedgerRow]:
    """The ledger rows of a story's claims: disagreements first, then the most widely reported; figures only
    replaced page revisions stated come last.

    With ``lookup``, each reported value with a year is checked against the reference figures.
    """
    items = list(claims)
    names = fold_subjects(c.claim.subject for c in items)  # "Trump" and "Donald Trump" share their rows
    rows = _rows([c for c in items if c.superseded_by is None], names)
    rows += _attach_earlier(rows, [c for c in items if c.superseded_by is not None], names)
    if lookup is not None:
        for row in rows:
            for variant in row.variants:
                if row.kind == REPORTED and variant.period is not None:
                    variant.reference = lookup(row.subject, row.unit, variant.period, variant.value)
    return sorted(
        rows, key=lambda r: (r.withdrawn, r.disagreement is None, -r.reports, r.subject, r.unit, r.variants[0].value)
    )


def reference_lookup(claims: ClaimReader) -> Lookup:
    """A reported value compared with every edition of the stored reference for its subject, unit and year; None
    when no reference was imported for the unit at all (counts are not checked against GDP tables)."""
    units: set[str] | None = None

    def lookup(subject: str, unit: str, year: int, value: float) -> ReferenceCheck | None:
        nonlocal units
        if units is None:
            units = claims.reference_units()
        return check(value, claims.reference(subject, unit, year)) if unit in units else None

    return lookup


def story_ledger(claims: ClaimReader, story_id: int) -> list[LedgerRow]:
    """The story's figures ledger, each reported value checked against the imported reference figures."""
    return build_ledger(claims.story_claims(story_id), reference_lookup(claims))
