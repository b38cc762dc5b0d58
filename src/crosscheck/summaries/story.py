"""Summarising one story from its members: headline, bullets and why its reports belong together."""

from __future__ import annotations

from dataclasses import dataclass

from crosscheck.clustering.evidence import SIGNAL_NAMES, Evidence, spread
from crosscheck.settings import Settings
from crosscheck.storage.records import Bullet, EntityCount
from crosscheck.summaries.bullets import select_bullets
from crosscheck.summaries.furniture import clean_sentence
from crosscheck.summaries.headline import TitleCandidate, choose_headline
from crosscheck.summaries.sentences import split_sentences

MAX_WHY = 4  # lines of "why together", the editors' corrections first
MAX_WHY_NAMES = 3
LEAD_CHARS = 400
# Bullets are chosen among the sentences of at most this many reports of a story, spread evenly over its time:
# comparing every sentence of a story of hundreds of reports with every other costs seconds and gigabytes, on
# every update of the story, for bullets that a sample of its reports gives as well.
MAX_SUMMARY_REPORTS = 40


@dataclass(frozen=True)
class Member:
    """A story member as the summariser needs it."""

    article_id: int
    title: str
    title_derived: bool
    text: str
    is_duplicate: bool
    published: str | None = None  # YYYY-MM-DD


@dataclass(frozen=True)
class StorySummary:
    headline: str
    bullets: list[Bullet]
    why: list[str]


def why_together(entities: list[EntityCount], reports: int, evidence: Evidence | None = None) -> list[str]:
    """What holds a story together, in the terms of the split that decided it, at most :data:`MAX_WHY` lines: how
    alike its reports are, the names they share (most shared first), how close in time they were published and,
    with the learned matcher, the signals that weigh most in their links (weight × the signal's average)."""
    lines: list[str] = []
    if evidence is not None and evidence.embedding is not None and evidence.terms is not None:
        lines.append(
            f"reports {evidence.embedding:.2f} alike on average (embedding of title and lead), "
            f"{evidence.terms:.2f} in words and names"
        )
    floor = 2 if reports > 1 else 1
    names = [f"{e.name} ({e.articles})" for e in entities if e.articles >= floor][:MAX_WHY_NAMES]
    if names:
        lines.append(("names in common: " if reports > 1 else "names: ") + ", ".join(names))
    if evidence is not None and evidence.days is not None and reports > 1:
        lines.append("published the same day" if evidence.days == 0 else f"published within {_days(evidence.days)}")
    if evidence is not None and evidence.reasons:
        lines.append(_reasons(evidence.reasons))
    return lines[:MAX_WHY]


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _reasons(reasons: list[tuple[str, float]]) -> str:
    """The learned matcher's two strongest signals for, and its strongest against, as one line."""

    def named(items: list[tuple[str, float]]) -> str:
        return ", ".join(f"{SIGNAL_NAMES.get(name, name)} ({value:+.2f})" for name, value in items)

    line = "the matcher's strongest reasons: " + (named([r for r in reasons if r[1] > 0][:2]) or "none")
    against = [r for r in reasons if r[1] < 0][:1]
    return line + (f"; against: {named(against)}" if against else "")


def summary_sentences(text: str) -> list[str]:
    """A report's sentences fit for bullets: furniture (headings, captions, credits, disclaimers) left out and
    inline markup removed."""
    return [cleaned for sentence in split_sentences(text) if (cleaned := clean_sentence(sentence))]


def summarize(
    members: list[Member], entities: list[EntityCount], settings: Settings, evidence: Evidence | None = None
) -> StorySummary:
    """Headline, bullets and "why together" of a story (from ``evidence``, its reports' links, when given);
    duplicates are left out of the bullets. Bullets of a story whose reports span several days carry their
    report's day, so that "Thursday" can be placed."""
    originals = [m for m in members if not m.is_duplicate] or members
    headline = choose_headline([TitleCandidate(m.title, m.title_derived, m.text[:LEAD_CHARS]) for m in originals])
    days = {m.article_id: m.published for m in originals}
    bullets = select_bullets(
        [(m.article_id, summary_sentences(m.text)) for m in spread(originals, MAX_SUMMARY_REPORTS)],
        max_bullets=settings.max_bullets,
        redundancy=settings.bullet_redundancy,
        days=days if len(set(days.values()) - {None}) > 1 else None,
    )
    return StorySummary(headline, bullets, why_together(entities, len(originals), evidence))
