"""Folding the surface forms of one entity together for display: "Nato" and "NATO", "Rutte" and "Mark Rutte".

Within one story a short name almost always means the full name it ends ("Rutte" after "Mark Rutte"), and a
recogniser's label varies between mentions ("Trump" as PERSON and as ORG); the most frequent label wins.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from crosscheck.storage.reader import Reader
from crosscheck.storage.records import EntityCount


@dataclass
class _Group:
    articles: set[int] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    mentions: int = 0


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _full_names(groups: dict[str, _Group]) -> dict[str, str]:
    """Map a one-word person name to the only longer person name in the story that ends with it."""
    people = [k for k, g in groups.items() if g.labels.most_common(1)[0][0] == "PERSON"]
    endings: defaultdict[str, list[str]] = defaultdict(list)
    for key in people:
        words = key.split()
        if len(words) > 1:
            endings[words[-1]].append(key)
    return {key: endings[key][0] for key in groups if " " not in key and len(endings.get(key, [])) == 1}


def fold_entities(rows: Iterable[tuple[str, str, int, int]], limit: int) -> list[EntityCount]:
    """Fold (name, label, article id, mentions) rows into entities counted by distinct articles."""
    groups: defaultdict[str, _Group] = defaultdict(_Group)
    for name, label, article_id, mentions in rows:
        group = groups[_key(name)]
        group.articles.add(article_id)
        group.names[name] += mentions
        group.labels[label] += mentions
        group.mentions += mentions
    for short, full in _full_names(groups).items():
        into, gone = groups[full], groups.pop(short)
        into.articles |= gone.articles
        into.labels.update(gone.labels)
        into.mentions += gone.mentions
    ranked = sorted(groups.values(), key=lambda g: (-len(g.articles), -g.mentions, g.names.most_common(1)[0][0]))
    return [
        EntityCount(g.names.most_common(1)[0][0], g.labels.most_common(1)[0][0], len(g.articles))
        for g in ranked[:limit]
    ]


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
