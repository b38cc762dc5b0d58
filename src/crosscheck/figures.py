"""The records of figures: claims (one figure each), quotes, reference figures, and how a figure reads.

Plain data shared by figure extraction, storage and the pages: no extraction or comparison logic here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The units a claim's figure is in (stored as these names).
PERCENT_GDP, PERCENT = "percent_gdp", "percent"
COUNT, YEARS, FRACTION = "count", "years", "fraction"
UNITS = (PERCENT_GDP, PERCENT, "currency_usd", "currency_eur", "currency_gbp", COUNT, YEARS, FRACTION)

_CURRENCY_SIGNS = {"currency_usd": "$", "currency_eur": "€", "currency_gbp": "£"}
_FRACTION_WORDS = {0.5: "a half", 0.3333: "a third", 0.6667: "two-thirds", 0.25: "a quarter", 0.75: "three-quarters"}


def _number(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _money(value: float) -> str:
    for scale, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= scale:
            return f"{_number(value / scale)}{suffix}"
    return _number(value)


def format_figure(value: float, value_high: float | None, unit: str) -> str:
    """A figure as a reader writes it: "3.5% of GDP", "3–3.5% of GDP", "$935bn", "3–5 years", "two-thirds"."""
    if unit == FRACTION:
        return _FRACTION_WORDS.get(round(value, 4), _number(value))
    if unit in _CURRENCY_SIGNS:
        sign = _CURRENCY_SIGNS[unit]
        return f"{sign}{_money(value)}" + (f"–{sign}{_money(value_high)}" if value_high is not None else "")
    span = _number(value) + (f"–{_number(value_high)}" if value_high is not None else "")
    if unit == PERCENT_GDP:
        return f"{span}% of GDP"
    if unit == PERCENT:
        return f"{span}%"
    if unit == YEARS:
        return f"{span} year" + ("" if value == 1 and value_high is None else "s")
    return span


@dataclass(frozen=True)
class Quote:
    """A direct quote: its words, who said it (None when the text does not say) and where it is."""

    text: str
    speaker: str | None
    start: int  # character offsets of the quoted words in the article text
    end: int


@dataclass
class Claim:
    """One figure an article states: what, about whom, which kind, for when, who says so, and where.

    ``start``/``end`` are the character offsets of the evidence sentence in the article text, ``figure_start``/
    ``figure_end`` those of the figure itself ("3.5% of GDP" → "3.5%").
    """

    value: float
    unit: str
    subject: str
    kind: str
    evidence: str
    start: int
    end: int
    figure_start: int
    figure_end: int
    value_high: float | None = None
    period: int | None = None
    speaker: str | None = None

    @property
    def key(self) -> tuple[float, float | None, str, str, str]:
        """What makes two claims of one article the same claim: value(s), unit, subject and kind."""
        return (round(self.value, 4), None if self.value_high is None else round(self.value_high, 4), self.unit,
                self.subject, self.kind)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StoredClaim:
    """A claim as stored, with the article it came from: what the ledger and the figures page show."""

    id: int
    article_id: int
    external_id: str
    story_id: int | None
    outlet: str
    outlet_domain: str | None
    published: str | None
    title: str
    duplicate_of: int | None
    claim: Claim
    superseded_by: int | None = None  # the newest revision of this article's page, when the page changed since

    @property
    def label(self) -> str:
        """The figure as a reader writes it ("3.5% of GDP", "$935bn")."""
        return format_figure(self.claim.value, self.claim.value_high, self.claim.unit)

    @property
    def report_id(self) -> int:
        """The independent report this claim belongs to: a copy counts as its original."""
        return self.duplicate_of or self.article_id

    def to_dict(self) -> dict[str, Any]:
        """Flat fields for exports and the JSON API."""
        data = {"id": self.id, "external_id": self.external_id, "story_id": self.story_id,
                "article_id": self.article_id, "outlet": self.outlet, "published": self.published,
                "superseded_by": self.superseded_by}  # fmt: skip
        data.update(self.claim.to_dict())
        return data


@dataclass
class ArticleFigures:
    """Everything figure extraction found in one article."""

    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass(frozen=True)
class ReferenceFigure:
    """One official figure: a subject's value for a year, in one edition of a source."""

    subject: str
    year: int
    unit: str
    value: float
    edition: str
    edition_date: str | None  # ISO date of the edition, when its note gives one
    publisher: str
    source: str
    note: str

    @property
    def estimate(self) -> bool:
        """Whether the edition calls the value an estimate (not yet an outturn)."""
        return "estimate" in self.note.lower()
