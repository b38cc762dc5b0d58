"""Official reference figures (e.g. NATO's defence spending as a share of GDP) and checking claims against them.

A reference CSV has one row per country, year and edition: ``country``, ``year``, the value (``share_gdp_pct``
or ``value``), ``source`` and ``note``, optionally ``unit`` (default ``percent_gdp``). An edition is named by the
note's first clause and dated by the first date in the note ("17 June 2024 edition", "published ~24-26 Apr
2025"); its publisher is the edition's first word (NATO, SIPRI). A reported claim is checked against every
edition for its subject, unit and year: it *matches* an edition when that edition's value, rounded to the
precision the claim was written with, equals it ("3.38" matches 3.379, "3.2" matches 3.19); otherwise it
*differs* from the latest edition. A later edition of the same publisher with another value is a revision.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from crosscheck.claims.gazetteer import canonical_place
from crosscheck.claims.units import PERCENT_GDP
from crosscheck.figures import ReferenceFigure
from crosscheck.storage.claims import save_reference
from crosscheck.storage.connection import Connection

MATCHES, DIFFERS, NO_REFERENCE = "matches", "differs", "no_reference"
_VALUE_COLUMNS = ("share_gdp_pct", "value", "share_gdp", "percent_gdp")
_DATE = re.compile(
    r"\b(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+((?:19|20)\d\d)\b", re.IGNORECASE
)
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_MONTH_YEAR = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+((?:19|20)\d\d)\b", re.I)


@dataclass(frozen=True)
class ReferenceCheck:
    """How a claim compares with the reference: status, the edition it was compared with, and revisions."""

    status: str  # matches, differs or no_reference
    compared: ReferenceFigure | None = None  # the matching edition, or the latest one it differs from
    difference: float | None = None  # claim minus reference, when it differs
    revised: ReferenceFigure | None = None  # a later edition of the same publisher with another value

    @property
    def text(self) -> str:
        """The check as a sentence (see :func:`describe`)."""
        return describe(self)


def edition_date(note: str) -> str | None:
    """The first date a note gives ("17 June 2024" → 2024-06-17; "Apr 2025" → 2025-04-01), as ISO."""
    found = _DATE.search(note)
    if found:
        text = f"{found.group(1)} {found.group(2)[:3].title()} {found.group(3)}"
        return datetime.strptime(text, "%d %b %Y").date().isoformat()
    found = _MONTH_YEAR.search(note)
    if found:
        return datetime.strptime(f"1 {found.group(1)[:3].title()} {found.group(2)}", "%d %b %Y").date().isoformat()
    return None


def _edition(note: str) -> str:
    first = note.split(";", 1)[0].strip()
    return first if len(first) <= 160 else first[:157].rstrip() + "…"


def _publisher(edition: str, note: str) -> str:
    """Who publishes an edition: its first acronym ("NATO", "SIPRI"), else its first word."""
    for found in _ACRONYM.finditer(f"{edition} {note}"):
        if found.group(0) not in ("ESTIMATE", "GDP", "SECONDARY", "NO"):
            return found.group(0)
    return (edition.split() or [""])[0]


@dataclass(frozen=True)
class ReferenceImport:
    """What importing reference tables read and stored."""

    figures: int
    subjects: int
    editions: int
    added: int  # figures not stored before: importing a table again adds none


def store_reference(conn: Connection, figures: list[ReferenceFigure]) -> ReferenceImport:
    """Store figures read from reference CSVs (:func:`read_reference_csv`) and say what was read and added:
    ``crosscheck reference import`` and the demo's shared tables; inside the caller's write transaction."""
    added = save_reference(conn, figures)
    return ReferenceImport(len(figures), len({f.subject for f in figures}), len({f.edition for f in figures}), added)


def read_reference_csv(path: str | Path) -> list[ReferenceFigure]:
    """The figures of a reference CSV; rows without a value (left blank by the source) are skipped."""
    figures = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = {f.lower(): f for f in reader.fieldnames or []}
        value_column = next((fields[c] for c in _VALUE_COLUMNS if c in fields), None)
        if value_column is None or "country" not in fields or "year" not in fields:
            raise ValueError(f"{path}: needs the columns country, year and a value ({', '.join(_VALUE_COLUMNS)})")
        for row in reader:
            raw = (row.get(value_column) or "").strip()
            if not raw:
                continue
            country = row[fields["country"]].strip()
            note = (row.get(fields.get("note", ""), "") or "").strip()
            edition = _edition(note) or (row.get(fields.get("source", ""), "") or "").strip() or "unnamed edition"
            figures.append(
                ReferenceFigure(
                    subject=canonical_place(country) or country,
                    year=int(row[fields["year"]]),
                    unit=(row.get(fields.get("unit", ""), "") or PERCENT_GDP).strip() or PERCENT_GDP,
                    value=float(raw),
                    edition=edition,
                    edition_date=edition_date(note),
                    publisher=_publisher(edition, note),
                    source=(row.get(fields.get("source", ""), "") or "").strip(),
                    note=note,
                )
            )
    return figures


def decimals(value: float) -> int:
    """How many decimals a figure was written with (3.38 → 2, 3.4 → 1, 5 → 0)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".", 1)[1]) if "." in text else 0


def rounded(value: float, places: int) -> Decimal:
    """``value`` rounded half up as written in decimal (1.45 → 1.5, where float rounding gives 1.4)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _order(figure: ReferenceFigure) -> str:
    return figure.edition_date or "0000"


def _earliest(figure: ReferenceFigure) -> tuple[bool, str]:
    return (figure.edition_date is None, figure.edition_date or "")  # undated editions last


def check(value: float, figures: list[ReferenceFigure]) -> ReferenceCheck:
    """Compare a reported value with the reference figures for its subject, unit and year."""
    if not figures:
        return ReferenceCheck(NO_REFERENCE)
    places = decimals(value)
    matching = [f for f in figures if rounded(f.value, places) == rounded(value, places)]
    if matching:
        # the earliest edition that says so: "3.38" is NATO's June 2024 estimate, not a later edition's figure
        compared = min(matching, key=_earliest)
        status, difference = MATCHES, None
    else:
        compared = max(figures, key=_order)
        status, difference = DIFFERS, round(value - compared.value, 4)
    later = [
        f for f in figures
        if f.publisher == compared.publisher and _order(f) > _order(compared) and f.value != compared.value
    ]  # fmt: skip
    revised = max(later, key=_order) if later else None
    return ReferenceCheck(status, compared, difference, revised)


def _edition_label(figure: ReferenceFigure) -> str:
    when = f", {figure.edition_date}" if figure.edition_date else ""
    kind = "estimate" if figure.estimate else "figure"
    return f"{figure.publisher} {kind} {figure.value:g} ({figure.edition}{when})"


def describe(result: ReferenceCheck) -> str:
    """The check as a sentence for the ledger: which edition it matches or differs from, and revisions."""
    if result.compared is None:
        return "No reference figure for this subject and year."
    if result.status == MATCHES:
        text = f"Matches the {_edition_label(result.compared)}."
    else:
        text = f"Differs by {result.difference:+g} from the {_edition_label(result.compared)}."
    if result.revised is not None:
        text += f" Later revised to {result.revised.value:g} ({result.revised.edition}"
        text += f", {result.revised.edition_date})." if result.revised.edition_date else ")."
    return text
