"""The records figure extraction produces: claims (one figure each) and what one article yields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from crosscheck.claims.quotes import Quote


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
        from crosscheck.claims.units import format_figure

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
