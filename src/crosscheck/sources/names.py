"""Outlet names, hosts and sections as raters and articles write them, reduced to comparable keys.

Raters name outlets their own way ("CNN (Web News)", "New York Times - Opinion", "TheBlaze.com") and address
them by home page, sub-domain or section URL; articles carry full URLs and whatever name their source states.
These helpers turn all of that into keys that can be compared: a name key, a host scope and a section.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from crosscheck.domains import registered_domain

# Leading host labels that do not make a different outlet (www.cnn.com, edition.cnn.com and cnn.com are one).
GENERIC_HOST_LABELS = frozenset({"www", "www1", "www2", "www3", "m", "mobile", "amp", "online", "edition", "us", "uk"})
# Words that mark opinion content, in a rater's section name or in an article's URL path. Not "blog": news
# outlets run news blogs (npr.org/blogs/thetwo-way) that raters count as news.
OPINION_WORDS = frozenset(
    {"opinion", "opinions", "editorial", "editorials", "commentary", "op-ed", "oped", "op-eds", "column", "columns",
     "columnist", "columnists"}
)  # fmt: skip
# Qualifiers that only say "the news side" of an outlet.
NEWS_WORDS = frozenset({"news", "online", "web", "digital", "online news", "web news"})
_DROPPED_WORDS = ("online", "web", "digital")
_QUALIFIED = re.compile(r"^(?P<base>.+?)\s*(?:\((?P<paren>[^()]*)\)|\s[-–—]\s*(?P<dash>[^-–—]+))\s*$")
_DOMAIN_LIKE = re.compile(r"^[a-z0-9][a-z0-9.-]*\.(?:com|org|net|us|info|news|co\.uk|co|tv|io)$", re.IGNORECASE)
_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php|aspx?)$")


@dataclass(frozen=True)
class NameParts:
    """A rater's outlet name split into the outlet and its section qualifier."""

    base: str
    section: str  # "main", "opinion" or "other" (a qualifier that is neither news nor opinion)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A comparable key: ASCII lower-case letters and digits only, "&" and "and" dropped ("AT&T" → att)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return "".join(w for w in re.sub(r"[^a-z0-9]+", " ", text.replace("&", " ")).split() if w != "and")


def split_name(name: str) -> NameParts:
    """Separate a section qualifier: "CNN - Editorial" → (CNN, opinion); "NPR (Online News)" → (NPR, main)."""
    text = " ".join(name.split())
    match = _QUALIFIED.match(text)
    if match:
        qualifier = (match.group("paren") or match.group("dash") or "").strip().lower()
        words = set(re.split(r"[^a-z-]+", qualifier))
        if words & OPINION_WORDS:
            return NameParts(match.group("base"), "opinion")
        if qualifier in NEWS_WORDS or words <= NEWS_WORDS | {""}:
            return NameParts(match.group("base"), "main")
        return NameParts(text, "other")
    head, _, last = text.rpartition(" ")
    if head and last.lower() in OPINION_WORDS:
        return NameParts(head, "opinion")
    return NameParts(text, "main")


def _toggle_the(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0].lower() == "the" else ["the", *words]


@lru_cache(maxsize=65536)
def name_candidates(name: str) -> tuple[str, ...]:
    """Keys to look a name up by, most literal first: the full name, without its section qualifier, without
    "Online"/"Web", without a final "News"; then each of those with a leading "The" dropped (or added)."""
    parts = split_name(name)
    trimmed = [w for w in parts.base.split() if w.lower() not in _DROPPED_WORDS]
    forms = [name.split(), parts.base.split(), trimmed]
    if len(trimmed) > 1 and trimmed[-1].lower() == "news":
        forms.append(trimmed[:-1])
    forms += [_toggle_the(words) for words in forms if words]
    keys = [name_key(" ".join(words)) for words in forms]
    return tuple(k for i, k in enumerate(keys) if k and k not in keys[:i])


def domain_in_name(name: str) -> str | None:
    """The registered domain when a name is itself a domain ("WND.com", "Fair.org"), else None."""
    text = name.strip()
    return registered_domain(text) if _DOMAIN_LIKE.match(text) else None


@dataclass(frozen=True)
class Scope:
    """What part of the web an entry or an article address covers."""

    domain: str
    host: str  # without generic leading labels (www, edition, …); at least the domain
    path: tuple[str, ...]  # lower-case path segments, page suffixes (.html) removed

    @property
    def opinion(self) -> bool:
        """Whether the path has an opinion segment (/opinion/, /opinions/, /editorial/, …)."""
        return any(segment in OPINION_WORDS for segment in self.path)


@lru_cache(maxsize=65536)
def scope_of(locator: str) -> Scope | None:
    """The scope of a URL, host or ``host/path`` locator, or None when it names no registered domain."""
    text = locator.strip()
    try:
        parts = urlsplit(text if "//" in text else f"//{text}")
        hostname = parts.hostname
    except ValueError:  # a malformed address (bad port, bad IPv6 literal) covers nothing
        return None
    domain = registered_domain(hostname) if hostname else None  # cached per host: articles share hosts
    if not domain or not hostname:
        return None
    labels = hostname.lower().rstrip(".").split(".")
    keep = len(domain.split("."))
    while len(labels) > keep and labels[0] in GENERIC_HOST_LABELS:
        labels = labels[1:]
    segments = [s for s in parts.path.lower().split("/") if s]
    if segments:
        segments[-1] = _PAGE_SUFFIX.sub("", segments[-1])
    return Scope(domain, ".".join(labels), tuple(s for s in segments if s))


def host_covers(entry_host: str, article_host: str) -> bool:
    """Whether an entry for ``entry_host`` covers an article on ``article_host`` (itself or a sub-domain)."""
    return article_host == entry_host or article_host.endswith("." + entry_host)
