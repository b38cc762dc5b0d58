"""When two subjects name the same thing: "Trump" and "Donald Trump", "U.S." and "United States", "nonfarm
payrolls" and "US nonfarm payrolls", "R.R. Donnelley & Sons Company" and "R.R. Donnelley".

Two names are the same thing when they are equal once case, articles, the spelling of the United States and
company suffixes are set aside, or when one is a narrower form of the other: all its words are in the other and
it ends in the same head word. A different head is a different thing: "House" is not "House Republicans".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_US = re.compile(r"\b(?:u\.?s\.?a?\.?|united states(?: of america)?|america)(?=\s|$)")
_WORDS = re.compile(r"[a-z0-9][a-z0-9.&'-]*")
_SET_ASIDE = frozenset({"the", "a", "an", "company", "co", "co.", "inc", "inc.", "corp", "corp.", "corporation",
                        "ltd", "ltd.", "llc", "plc", "&", "sons", "group"})  # fmt: skip


def subject_words(name: str) -> tuple[str, ...]:
    """The words that tell a subject apart, in order: lower case, the US spelled one way, no articles or
    company suffixes."""
    folded = _US.sub("us", name.lower().replace("’", "'").removesuffix("'s"))
    return tuple(w.strip(".'-") or w for w in _WORDS.findall(folded) if w not in _SET_ASIDE)


def _narrower(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether words ``a`` name ``b`` in fewer words: all of them in ``b``, ending in the same head."""
    return bool(a) and len(a) < len(b) and a[-1] == b[-1] and set(a) <= set(b)


def same_subject(one: str, other: str) -> bool:
    """Whether two subjects name the same thing (equal after normalising, or one a narrower form of the other)."""
    a, b = subject_words(one), subject_words(other)
    if not a or not b:
        return a == b
    return a == b or _narrower(a, b) or _narrower(b, a)


def fold_subjects(names: Iterable[str]) -> dict[str, str]:
    """Each name of one story's figures → the name its rows go by. Spellings of one name take the one given
    most often; a narrower form takes the fuller name, when exactly one fuller name fits it ("Trump" →
    "Donald Trump", but not when the story also names "Lara Trump")."""
    counts = Counter(names)
    words = {name: subject_words(name) for name in counts}
    spelled: dict[tuple[str, ...], str] = {}
    for name, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        spelled.setdefault(words[name], name)
    by_head: dict[str, list[tuple[str, ...]]] = {}  # a fuller form ends in the same head word: compare only those
    for form in spelled:
        if form:
            by_head.setdefault(form[-1], []).append(form)
    folded: dict[str, str] = {}
    for name in counts:
        own = words[name]
        fuller = [f for f in by_head.get(own[-1], []) if _narrower(own, f)] if own else []
        broadest = [f for f in fuller if not any(_narrower(f, g) for g in fuller)]
        folded[name] = spelled[broadest[0]] if len(broadest) == 1 else spelled.get(own, name)
    return folded
