"""Who published an article, from what its input states: a source line's own outlet when the address is a
hosting platform's, and whether a stated name can be the name of the outlet at an address at all.

A stated source is often not the publisher's name: corpora put a columnist ("John Fund" on nationalreview.com),
feeds put a label ("CNN (Web News)"), and republished texts name the original outlet and the host that copied
them ("BBC News - text as republished … by thebadely.github.io"). The registered domain is trusted first; a
stated name is the outlet's name only where it can spell that domain (:func:`names_domain`), and a hosting
platform's domain (github.com) gives way to the outlet its source line names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from crosscheck.sources.names import split_name

# Domains whose pages are hosted for others (code hosts, blog platforms, archives): no outlet of their own.
HOSTING_DOMAINS = frozenset(
    {"github.com", "github.io", "githubusercontent.com", "gitlab.com", "gitlab.io", "bitbucket.org",
     "blogspot.com", "wordpress.com", "medium.com", "tumblr.com", "archive.org", "archive.ph", "archive.today",
     "netlify.app", "pages.dev", "vercel.app", "sites.google.com", "googleusercontent.com"}
)  # fmt: skip
# Words a domain adds to an outlet's name ("Associated Press" at apnews.com, "Yle" at yleuutiset.fi).
_DOMAIN_AFFIXES = ("news", "online", "daily", "media", "tv", "web", "the", "now", "uutiset")
_REPUBLISHED = re.compile(
    r"^(?P<name>.+?)\s*[-–—,;:(]\s*[^()]*?\b(?:re-?published|reposted|republication|syndicated|mirrored|copied|"
    r"archived)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_BY = re.compile(r"\bby\s+(?P<by>[\w.-]*\w)", re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_DROPPED = frozenset({"online", "web", "digital"})
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class StatedSource:
    """A source line read: the outlet it names, and who republished the text when it says so."""

    name: str
    republished_by: str | None
    republished: bool


def stated_source(line: str | None) -> StatedSource | None:
    """The outlet a source line names, without its republication clause ("BBC News - text as republished …
    by thebadely.github.io" → BBC News, republished by thebadely.github.io); None for an empty line."""
    text = " ".join((line or "").split())
    if not text:
        return None
    match = _REPUBLISHED.match(text)
    if match is None:
        return StatedSource(text, None, False)
    by = _BY.search(match.group("rest"))
    return StatedSource(match.group("name").strip(), by.group("by") if by else None, True)


@lru_cache(maxsize=4096)
def display_name(name: str) -> str:
    """An outlet's name without a feed's qualifiers: "CNN (Web News)" → CNN, "New York Times - News" → New York
    Times, "Fox Online News" → Fox News, "BBC News (BBC Verify)" → BBC News."""
    parts = split_name(name)
    base = parts.base if parts.section != "other" else name
    base = _PARENTHESES.sub("", base).strip() or base
    words = [w for w in base.split() if w.lower() not in _DROPPED]
    return " ".join(words) or base


def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(name.lower().replace("&", " ")) if w != "and")


@cache
def _spells(words: tuple[str, ...], label: str) -> bool:
    """Whether ``label`` is the words in order, each whole, by its initial, by a prefix of three letters or
    more, or left out (at least one used), with a generic affix allowed at either end."""

    @cache
    def go(i: int, j: int, used: bool) -> bool:
        if j == len(label):
            return used
        if i == len(words):
            return used and label[j:] in _DOMAIN_AFFIXES
        word = words[i]
        for k in range(len(word), 0, -1):
            if (k == 1 or k >= 3 or k == len(word)) and label.startswith(word[:k], j) and go(i + 1, j + k, True):
                return True
        return go(i + 1, j, used)

    if go(0, 0, False):
        return True
    return any(label.startswith(a) and len(label) > len(a) and _spells(words, label[len(a) :]) for a in _DOMAIN_AFFIXES)


def names_domain(name: str, domain: str) -> bool:
    """Whether a stated name can be the name of the outlet at ``domain`` ("New York Times" at nytimes.com, "Wall
    Street Journal" at wsj.com); a columnist's name at a magazine's domain cannot."""
    label = "".join(_WORD.findall(domain.lower().split(".", 1)[0]))
    words = _words(display_name(name))
    return bool(label and words) and _spells(words, label)
