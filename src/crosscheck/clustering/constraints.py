"""Editors' corrections as clustering constraints: articles that must share a story, and articles kept apart.

A :class:`Constraints` holds *groups* (articles that must share a story: must-link) and pairs of groups that
must not share one (cannot-link), over article ids of one database. The clusterer consults it when it places
an article (a member of a group joins the story where its group already is; no article joins a story holding a
group it is kept apart from), when it reconsiders a story of one report, and when it splits stories into
developments. Articles no correction names are placed as usual. :mod:`crosscheck.corrections` builds one from
the stored corrections.

It also follows where each constrained article is, so that the checks cost a look-up, not a scan: every
placement the clusterer makes goes through :meth:`Constraints.placed`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class Constraints:
    """Must-link groups and cannot-link pairs of groups over article ids, and where their articles are now."""

    group_of: dict[int, int] = field(default_factory=dict)  # article id → group number
    apart: dict[int, set[int]] = field(default_factory=dict)  # group → the groups it must not share a story with
    reasons: dict[int, str] = field(default_factory=dict)  # group → why its articles are together
    _where: dict[int, int] = field(default_factory=dict)  # constrained article → its story
    _present: dict[int, Counter[int]] = field(default_factory=dict)  # story → how many articles of each group
    _stories: dict[int, Counter[int]] = field(default_factory=dict)  # group → how many of its articles per story

    @classmethod
    def of(
        cls, groups: Sequence[Iterable[int]], apart: Iterable[tuple[int, int]] = (), reasons: Sequence[str] = ()
    ) -> Constraints:
        """Constraints from groups (by position; an article in two groups stays in the later one) and pairs of
        group positions kept apart. A pair naming one group twice is ignored."""
        made = cls()
        for number, members in enumerate(groups):
            for article_id in members:
                made.group_of[article_id] = number
        for first, second in apart:
            if first != second:
                made.apart.setdefault(first, set()).add(second)
                made.apart.setdefault(second, set()).add(first)
        made.reasons = {number: reason for number, reason in enumerate(reasons) if reason}
        return made

    def __bool__(self) -> bool:
        return bool(self.group_of)

    # --- where the constrained articles are ---------------------------------------------------------

    def placed(self, article_id: int, story_id: int) -> None:
        """Record that an article is now in a story (no-op for an article no constraint names)."""
        group = self.group_of.get(article_id)
        if group is None:
            return
        previous = self._where.get(article_id)
        if previous is not None:
            _take(self._present[previous], group)
            _take(self._stories[group], previous)
        self._where[article_id] = story_id
        self._present.setdefault(story_id, Counter())[group] += 1
        self._stories.setdefault(group, Counter())[story_id] += 1

    def story_of_group(self, article_id: int) -> int | None:
        """The story holding another placed member of this article's group, if any: where it must go."""
        group = self.group_of.get(article_id)
        if group is None or not self._stories.get(group):
            return None
        counts = self._stories[group].copy()
        own = self._where.get(article_id)
        if own is not None:
            _take(counts, own)
        return counts.most_common(1)[0][0] if counts else None

    def allows(self, article_id: int, story_id: int) -> bool:
        """Whether an article may join a story: it holds no group the article's group is kept apart from."""
        group = self.group_of.get(article_id)
        if group is None or group not in self.apart:
            return True
        counts = self._present.get(story_id)
        return not counts or not any(counts.get(other) for other in self.apart[group])

    # --- pairs, for the split ----------------------------------------------------------------------

    def linked(self, first: int, second: int) -> bool:
        """Whether two articles must share a story."""
        group = self.group_of.get(first)
        return group is not None and group == self.group_of.get(second)

    def kept_apart(self, first: int, second: int) -> bool:
        """Whether two articles must not share a story."""
        a, b = self.group_of.get(first), self.group_of.get(second)
        return a is not None and b is not None and b in self.apart.get(a, ())

    def reason_for(self, article_id: int) -> str | None:
        """Why an article was put with its group, when a correction says so."""
        group = self.group_of.get(article_id)
        return None if group is None else self.reasons.get(group)


def _take(counts: Counter[int], key: int) -> None:
    counts[key] -= 1
    if counts[key] <= 0:
        del counts[key]
