"""Folding the surface forms of one entity together: "Nato" and "NATO", "U.S." and "US", "Rutte" and "Mark Rutte".

Names fold by a key that ignores case, accents, full stops, apostrophes and hyphens (:func:`entity_key`). Within
one story a short name almost always means the full name it ends ("Rutte" after "Mark Rutte"), and so do shorter
forms of that full name ("Christine Ford", "Blasey Ford" of "Christine Blasey Ford"); a surname shared by two
different people ("Donald Trump", "Melania Trump") folds into neither. A recogniser's label varies between
mentions ("Kavanaugh" as PERSON, ORG and GPE): an entity takes the label most of its mentions have, and the
mentions of a short name folded into a person count as that person's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from crosscheck.storage.entity_keys import entity_key as entity_key
from crosscheck.storage.reader import Reader
from crosscheck.storage.records import EntityCount


@dataclass
class _Group:
    articles: set[int] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    mentions: int = 0

    def label(self) -> str:
        return min(self.labels, key=lambda label: (-self.labels[label], label))

    def absorb(self, other: _Group, label: str | None = None) -> None:
        """Take another group's articles and mentions (counted under ``label`` when given)."""
        self.articles |= other.articles
        self.names.update({n: 0 for n in other.names})
        self.labels.update(Counter({label: other.mentions}) if label else other.labels)
        self.mentions += other.mentions


def _within(short: list[str], full: list[str]) -> bool:
    """Whether the words of ``short`` appear in order in ``full`` (single-letter initials of ``full`` skipped)."""
    words = iter(w for w in full if len(w) > 1 or w in short)
    return all(any(w == s for w in words) for s in short)


def _people(groups: dict[str, _Group]) -> dict[str, str]:
    """Map each person name to the full name of its person: shorter forms to the longest form they are part of,
    when only one person's names end with that surname."""
    by_surname: defaultdict[str, list[str]] = defaultdict(list)  # person names by surname
    by_last: defaultdict[str, list[str]] = defaultdict(list)  # every name of two words or more by its last
    for key, group in groups.items():
        if " " in key:
            by_last[key.split()[-1]].append(key)
            if group.label() == "PERSON":
                by_surname[key.split()[-1]].append(key)
    folded: dict[str, str] = {}
    for surname, names in by_surname.items():
        longest = max(names, key=lambda k: (len(k.split()), groups[k].mentions, k))
        if not all(_within(k.split(), longest.split()) for k in names):
            continue  # two people share the surname
        target = max(names, key=lambda k: (groups[k].mentions, len(k), k))  # the usual form, for display
        # other forms of the name, whatever their label ("Blasey Ford" taken for an organisation)
        forms = [k for k in by_last[surname] if _within(k.split(), longest.split())]
        folded.update({k: target for k in forms if k != target})
        if surname in groups:
            folded[surname] = target
    # a surname of two words or more ("Hyde-Smith") ends one person's name even where its last word ends others'
    people = {k for names in by_surname.values() for k in names}
    for key in [k for k in groups if " " in k and k not in folded and k not in people]:
        owners = [p for p in by_surname.get(key.split()[-1], []) if p.endswith(" " + key)]
        if len(owners) == 1:
            folded[key] = folded.get(owners[0], owners[0])
    return folded


def fold_entities(rows: Iterable[tuple[str, str, int, int]], limit: int) -> list[EntityCount]:
    """Fold (name, label, article id, mentions) rows into entities counted by distinct articles."""
    groups: defaultdict[str, _Group] = defaultdict(_Group)
    for name, label, article_id, mentions in rows:
        group = groups[entity_key(name)]
        group.articles.add(article_id)
        group.names[name] += mentions
        group.labels[label] += mentions
        group.mentions += mentions
    for short, full in _people(groups).items():
        groups[full].absorb(groups.pop(short), "PERSON")
    ranked = sorted(groups.values(), key=lambda g: (-len(g.articles), -g.mentions, g.names.most_common(1)[0][0]))
    return [EntityCount(g.names.most_common(1)[0][0], g.label(), len(g.articles)) for g in ranked[:limit]]


def story_entities(reader: Reader, story_id: int, *, limit: int = 30) -> list[EntityCount]:
    """The entities a story's articles mention, surface forms folded, by number of articles.

    As stored when the story was last summarised (up to :data:`~crosscheck.storage.reader.STORED_STORY_ENTITIES`);
    counted from every mention when the story has none stored yet or more are asked for.
    """
    stored = reader.stored_story_entities(story_id, limit=limit)
    return stored if stored is not None else count_story_entities(reader, story_id, limit=limit)


def count_story_entities(reader: Reader, story_id: int, *, limit: int = 30) -> list[EntityCount]:
    """:func:`story_entities` counted now from every mention of every article of the story."""
    return fold_entities(reader.story_entity_mentions(story_id), limit)


def fold_mentions(rows: Iterable[tuple[str, str, int]], totals: Iterable[tuple[str, str, int]]) -> list[EntityCount]:
    """One article's (name, label, mentions) rows with the variants of a name together, counted by mentions, each
    labelled as most mentions of the name are across ``totals`` (name, label, mentions) rows (all articles)."""
    labels: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for name, label, mentions in totals:
        labels[entity_key(name)][label] += mentions
    groups: defaultdict[str, _Group] = defaultdict(_Group)
    for name, label, mentions in rows:
        group = groups[entity_key(name)]
        group.names[name] += mentions
        group.labels[label] += mentions
        group.mentions += mentions
    found = []
    for key, group in groups.items():
        overall = labels.get(key) or group.labels
        label = min(overall, key=lambda lab: (-overall[lab], lab))
        found.append(EntityCount(group.names.most_common(1)[0][0], label, group.mentions))
    return sorted(found, key=lambda e: (-e.articles, e.name))


def article_entities(reader: Reader, article_id: int) -> list[EntityCount]:
    """An article's entities with their mentions, the variants of a name together, each with the label most
    mentions of the name have in the database."""
    rows, totals = reader.article_entity_mentions(article_id)
    return fold_mentions(rows, totals)
