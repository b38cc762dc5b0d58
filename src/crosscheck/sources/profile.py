"""An outlet's profile: its names, every rater's entries, the combined ratings, and its articles and stories.

The same profile feeds ``crosscheck sources show``, the outlet page and ``/api/outlets/{domain}``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from crosscheck.sources.assess import Assessment, Assessor
from crosscheck.sources.names import scope_of
from crosscheck.sources.raters import rater_name
from crosscheck.storage import ratings as db
from crosscheck.storage.connection import Connection
from crosscheck.storage.ratings import ArticleRow, EntryRow

ARTICLES_SHOWN = 50


@dataclass(frozen=True)
class OutletProfile:
    """Everything crosscheck knows about one outlet (by registered domain)."""

    domain: str
    names: list[str]  # as articles and raters name it
    assessment: Assessment  # the outlet as a whole (no section, no sub-domain)
    entries: list[EntryRow]  # every rater entry for the domain, sections and sub-domains included
    aliases: list[tuple[str, str, str]]  # (name, kind, source id)
    articles: list[ArticleRow]  # newest first, at most ARTICLES_SHOWN
    article_count: int
    stories: list[tuple[int, str]]  # (id, headline) of the stories its shown articles belong to

    @property
    def rater_names(self) -> dict[str, str]:
        """Display names of the raters of the entries, by rater id."""
        return {e.rater: rater_name(e.rater) for e in self.entries}

    @property
    def known(self) -> bool:
        """Whether any rater or any article knows this outlet."""
        return bool(self.entries or self.article_count)

    def to_dict(self) -> dict[str, Any]:
        """The profile as JSON-ready data."""
        a = self.assessment
        return {
            "domain": self.domain,
            "names": self.names,
            "combined": {**a.values, "spreads": a.spreads, "unrated_because": a.reasons},
            "ownership": asdict(a.ownership) if a.ownership else None,
            "ratings": [{**asdict(v), "rater_name": v.rater_name} for v in a.votes],
            "entries": [entry_dict(e) for e in self.entries],
            "aliases": [{"name": n, "kind": k, "source": s} for n, k, s in self.aliases],
            "article_count": self.article_count,
            "articles": [asdict(r) for r in self.articles],
            "stories": [{"id": i, "headline": h} for i, h in self.stories],
        }


def entry_dict(entry: EntryRow) -> dict[str, Any]:
    """One rater entry as JSON-ready data."""
    return {
        "rater": entry.rater,
        "rater_name": rater_name(entry.rater),
        "name": entry.name,
        "host": entry.host,
        "path": entry.path,
        "section": entry.section,
        "rated_on": entry.rated_on,
        "source": entry.source_id,
        "matched_by": entry.resolved_by,
        "values": {d: asdict(v) for d, v in entry.values.items()},
        "detail": entry.detail,
    }


def normalise_domain(text: str) -> str | None:
    """The registered domain of a domain, host or URL a user typed, or None."""
    scope = scope_of(text.strip().lower())  # never raises, unlike registered_domain on "http://[x"
    return scope.domain if scope else None


def _count_articles(conn: Connection, domain: str) -> int:
    row = conn.execute(
        "SELECT COUNT(*) FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE o.domain = ?", (domain,)
    ).fetchone()
    return int(row[0])


def outlet_profile(conn: Connection, domain: str, assessor: Assessor | None = None) -> OutletProfile:
    """The profile of the outlet at ``domain`` (a registered domain)."""
    assessor = assessor or Assessor(conn)
    articles = db.outlet_articles(conn, domain, limit=ARTICLES_SHOWN)
    own_names = sorted({a.outlet for a in articles})
    name = own_names[0] if own_names else domain
    _, entries = assessor.entries(domain, name)
    rater_names = sorted({e.name for e in entries if e.name})
    story_ids = [a.story_id for a in articles if a.story_id is not None]
    headlines = db.story_headlines(conn, story_ids)
    stories = [(i, headlines.get(i, "")) for i in dict.fromkeys(story_ids)]
    return OutletProfile(
        domain=domain,
        names=list(dict.fromkeys([*own_names, *rater_names])),
        assessment=assessor.assess(domain, name),
        entries=sorted(entries, key=lambda e: (e.rater, e.section, e.host or "", e.path, e.rated_on or "")),
        aliases=db.aliases_of(conn, domain),
        articles=articles,
        article_count=_count_articles(conn, domain),
        stories=stories,
    )


@dataclass(frozen=True)
class OutletSummary:
    """One outlet of the database in a list: its article and story counts and its combined ratings."""

    name: str
    domain: str | None
    articles: int
    stories: int
    assessment: Assessment


def outlet_summaries(conn: Connection, assessor: Assessor | None = None) -> list[OutletSummary]:
    """Every outlet articles came from, most articles first, with its combined ratings."""
    assessor = assessor or Assessor(conn)
    totals = db.outlet_totals(conn)
    assessor.preload((domain, name) for name, domain, _, _ in totals)
    return [OutletSummary(n, d, a, s, assessor.assess(d, n)) for n, d, a, s in totals]
