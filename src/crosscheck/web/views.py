"""View models: what a page shows, assembled from storage records (no HTML here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crosscheck.claims.ledger import LedgerRow
from crosscheck.models import UNKNOWN_OUTLET
from crosscheck.settings import Settings
from crosscheck.sources.assess import Assessment
from crosscheck.storage import ArticleRecord, EntityCount, Reader, StoryRecord
from crosscheck.story_view import StoryArticle, StoryView, read_story
from crosscheck.web.leans import cached_coverage

# Entity labels (spaCy's) grouped under readable headings, in display order.
ENTITY_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("People", ("PERSON",)),
    ("Organisations", ("ORG",)),
    ("Places", ("GPE", "LOC", "FAC")),
    ("Nationalities and groups", ("NORP",)),
    ("Events", ("EVENT",)),
    ("Laws and treaties", ("LAW",)),
    ("Names", ("NAME",)),  # untyped, from the `names` recognizer
)
LEAN_FILTERS = ("left", "center", "right")
ENTITIES_SHOWN = 8  # per heading; the rest sit behind a "more" disclosure


@dataclass(frozen=True)
class EntityGroup:
    """Entities of one heading (e.g. People), most widely mentioned first."""

    heading: str
    entities: list[EntityCount]

    @property
    def shown(self) -> list[EntityCount]:
        return self.entities[:ENTITIES_SHOWN]

    @property
    def more(self) -> list[EntityCount]:
        return self.entities[ENTITIES_SHOWN:]


@dataclass(frozen=True)
class ListedArticle:
    """An article in a story's numbered list; ``original_number`` is the list number of what it copies."""

    number: int
    record: ArticleRecord
    excerpt: str
    original_number: int | None
    assessment: Assessment
    side: str | None  # left, center or right by its outlet's bias; None when unrated


@dataclass(frozen=True)
class Citation:
    """One source of a summary bullet: the cited article and its number in the story's list (if listed)."""

    article_id: int
    number: int | None
    label: str


@dataclass(frozen=True)
class CitedBullet:
    text: str
    citations: list[Citation]
    day: str | None = None  # the day of its report, when the story spans several days


@dataclass(frozen=True)
class OutletCoverage:
    """How many of a story's articles one outlet published; ``named`` is False for unattributed articles."""

    name: str
    domain: str | None
    articles: int

    @property
    def named(self) -> bool:
        return self.domain is not None or self.name != UNKNOWN_OUTLET


@dataclass(frozen=True)
class DayCoverage:
    """How many articles and outlets covered the story on one day."""

    day: str
    articles: int
    outlets: int


@dataclass(frozen=True)
class StoryPage:
    story: StoryRecord
    headline: str
    bullets: list[CitedBullet]
    articles: list[ListedArticle]
    entity_groups: list[EntityGroup]
    outlets: list[OutletCoverage]
    days: list[DayCoverage]
    undated: int
    developments: list[StoryRecord]  # the other stories of its saga
    lean: str | None = None  # the side the article list is filtered to; None shows every article
    ledger_first: list[LedgerRow] = field(default_factory=list)  # disputed, withdrawn or reference-checked rows
    ledger_rest: list[LedgerRow] = field(default_factory=list)

    @property
    def shown(self) -> list[ListedArticle]:
        """The articles of the list, filtered to :attr:`lean` when set."""
        return [a for a in self.articles if self.lean is None or a.side == self.lean]

    def side_counts(self) -> dict[str, int]:
        """Articles per side (left, center, right), for the list's filter links."""
        counts = Counter(a.side for a in self.articles)
        return {s: counts.get(s, 0) for s in LEAN_FILTERS}


def story_headline(story: StoryRecord) -> str:
    """The story's headline, or a neutral stand-in while it has none."""
    return story.headline.strip() or f"Story {story.id} (no headline yet)"


def group_entities(entities: Iterable[EntityCount]) -> list[EntityGroup]:
    """Entities under the headings of :data:`ENTITY_GROUPS`; unknown labels under their own name."""
    by_heading: dict[str, list[EntityCount]] = {}
    heading_of = {label: heading for heading, labels in ENTITY_GROUPS for label in labels}
    for entity in entities:
        by_heading.setdefault(heading_of.get(entity.label, entity.label), []).append(entity)
    order = [heading for heading, _ in ENTITY_GROUPS] + sorted(set(by_heading) - set(heading_of.values()))
    return [EntityGroup(h, by_heading[h]) for h in order if h in by_heading]


def list_articles(articles: Sequence[StoryArticle]) -> list[ListedArticle]:
    """A story's numbered articles, each copy linked to the number of its original."""
    numbers = {a.record.id: a.number for a in articles}
    return [
        ListedArticle(
            number=a.number,
            record=a.record,
            excerpt=a.excerpt,
            original_number=numbers.get(a.record.duplicate_of) if a.record.duplicate_of is not None else None,
            assessment=a.assessment,
            side=a.side,
        )
        for a in articles
    ]


def cite(story: StoryRecord, articles: Sequence[ListedArticle]) -> list[CitedBullet]:
    """The story's bullets with each cited article resolved to its number in the list."""
    listed = {a.record.id: a for a in articles}
    bullets = []
    for bullet in story.bullets:
        citations = []
        for article_id in bullet.article_ids:
            item = listed.get(article_id)
            label = f"{item.record.title} ({item.record.outlet})" if item else f"article {article_id}"
            citations.append(Citation(article_id, item.number if item else None, label))
        citations.sort(key=lambda c: (c.number is None, c.number or 0))
        bullets.append(CitedBullet(bullet.text, citations, bullet.day))
    return bullets


def outlet_coverage(records: Sequence[ArticleRecord]) -> list[OutletCoverage]:
    """Outlets that carried the story, most articles first; unattributed articles last."""
    counts = Counter((r.outlet, r.outlet_domain) for r in records)
    outlets = [OutletCoverage(name, domain, n) for (name, domain), n in counts.items()]
    return sorted(outlets, key=lambda o: (not o.named, -o.articles, o.name.casefold()))


def day_coverage(records: Sequence[ArticleRecord]) -> list[DayCoverage]:
    """Articles and outlets per publication day, oldest first (undated articles are left out)."""
    articles: Counter[str] = Counter()
    outlets: dict[str, set[str]] = {}
    for record in records:
        if record.published:
            day = record.published[:10]
            articles[day] += 1
            outlets.setdefault(day, set()).add(record.outlet)
    return [DayCoverage(d, articles[d], len(outlets[d])) for d in sorted(articles)]


def read_web_story(reader: Reader, story_id: int, settings: Settings) -> StoryView | None:
    """:func:`~crosscheck.story_view.read_story` with the coverage from the web's cache when it is built."""
    return read_story(reader, story_id, settings, rate=lambda i: cached_coverage(reader.conn, i, settings))


def split_ledger(ledger: Sequence[LedgerRow]) -> tuple[list[LedgerRow], list[LedgerRow]]:
    """The ledger's rows a reader should see first (outlets disagree, only replaced revisions state it, or a
    reference checks it), and the rest, each in ledger order."""
    first = [r for r in ledger if r.disagreement or r.withdrawn or any(v.reference for v in r.variants)]
    chosen = {id(r) for r in first}
    return first, [r for r in ledger if id(r) not in chosen]


def story_page(view: StoryView, lean: str | None = None) -> StoryPage:
    """Everything the story page shows, from the story's read model; ``lean`` filters the article list."""
    records = view.records
    articles = list_articles(view.articles)
    first, rest = split_ledger(view.ledger)
    return StoryPage(
        story=view.record,
        headline=story_headline(view.record),
        bullets=cite(view.record, articles),
        articles=articles,
        entity_groups=group_entities(view.entities),
        outlets=outlet_coverage(records),
        days=day_coverage(records),
        undated=sum(1 for r in records if not r.published),
        developments=view.developments,
        lean=lean,
        ledger_first=first,
        ledger_rest=rest,
    )
