"""Canonical article URLs: one article reached by two addresses is one article.

courlan (trafilatura's URL library) normalises the URL: lower-case scheme and host, default port dropped, dot
segments resolved, query parameters sorted, and tracking parameters (utm_*, fbclid, gclid, …) removed. On top of
that the fragment goes, and so do AMP variants: the Google AMP cache address, an ``amp.`` host, an ``amp`` path
segment or ``.amp`` suffix, and ``amp`` / ``outputType=amp`` parameters. A page's own canonical link is preferred
when it stays on the page's site (see :func:`choose_url`).
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

from crosscheck.domains import registered_domain
from crosscheck.models import ParsedArticle

_AMP_CACHE = re.compile(r"^[^/]+\.cdn\.ampproject\.org$", re.IGNORECASE)
_AMP_PARAMS = {"amp", "_amp", "amp_js_v", "usqp"}
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)


def canonical_url(url: str | None) -> str | None:
    """The canonical form of an http(s) URL; None for anything else (another scheme, no host, unparseable)."""
    if not url:
        return None
    try:
        split = urlsplit(url.strip())
        if split.scheme.lower() not in {"http", "https"} or not split.hostname:
            return None
        parts = _without_amp(_from_amp_cache((split.scheme, split.netloc, split.path, split.query, split.fragment)))
        normal = normalize_url(urlunsplit(parts), strict=False, trailing_slash=False)
    except ValueError:  # an invalid port, a malformed IPv6 host, or courlan refusing the URL
        return None
    return normal.split("#", 1)[0]


def same_site(first: str, second: str) -> bool:
    """True when both URLs are on one registered domain (www.bbc.co.uk and bbc.co.uk are; IPs must be equal)."""
    domain = registered_domain(first)
    if domain is None:
        return urlsplit(first).hostname == urlsplit(second).hostname
    return domain == registered_domain(second)


def choose_url(declared: str | None, fetched: str) -> str:
    """The URL to store for a page fetched from ``fetched`` that declares ``declared`` as its canonical link.

    The declared link wins only on the same site: a page may not claim another outlet's address.
    """
    fetched_canonical = canonical_url(fetched) or fetched
    chosen = canonical_url(declared)
    if chosen and same_site(chosen, fetched_canonical):
        return chosen
    return fetched_canonical


def with_canonical_url(article: ParsedArticle, *, fetched: str) -> ParsedArticle:
    """The article with its canonical URL: a feed entry's link normalised (it may point to any site: feeds of
    aggregators do), a page's declared canonical link only on the page's own site."""
    url = canonical_url(article.url) if article.format == "feed" else choose_url(article.url, fetched)
    return dataclasses.replace(article, url=url)


def _from_amp_cache(parts: tuple[str, str, str, str, str]) -> tuple[str, str, str, str, str]:
    """``https://www-example-com.cdn.ampproject.org/c/s/www.example.com/a`` → ``https://www.example.com/a``."""
    _, netloc, path, query, fragment = parts
    if not _AMP_CACHE.match(netloc.rsplit("@", 1)[-1].split(":", 1)[0]):
        return parts
    segments = path.split("/")  # "", content type ("c" page, "v" viewer), "s" for https, origin host, path…
    if len(segments) < 4 or segments[1] not in {"c", "v"}:
        return parts
    secure = segments[2] == "s"
    host = segments[3] if secure else segments[2]
    rest = segments[4:] if secure else segments[3:]
    return ("https" if secure else "http", host, "/" + "/".join(rest), query, fragment)


def _without_amp(parts: tuple[str, str, str, str, str]) -> tuple[str, str, str, str, str]:
    scheme, netloc, path, query, _ = parts
    if netloc.lower().startswith("amp."):
        netloc = netloc[4:]
    segments = [segment for segment in path.split("/") if segment.lower() != "amp"]
    if segments:
        segments[-1] = _AMP_SUFFIX.sub("", segments[-1])
    path = "/".join(segments).rstrip("/") or "/"  # /a/b/ and /a/b are one page, with a query or without
    pairs = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if key.lower() not in _AMP_PARAMS and not (key.lower() == "outputtype" and value.lower() == "amp")
    ]
    return (scheme, netloc, path, urlencode(pairs), "")
