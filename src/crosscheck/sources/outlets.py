"""Which outlet published an article: its registered domain first, then the names the input gives."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

from crosscheck.models import UNKNOWN_OUTLET as UNKNOWN_OUTLET

_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")  # letters and digits (any script), inner hyphens

# The bundled public-suffix snapshot only: no network fetch, no cache directory.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@dataclass(frozen=True)
class Outlet:
    """An outlet as identified for one article: ``domain`` is None when only a name is known."""

    domain: str | None
    name: str

    @property
    def known(self) -> bool:
        return self.name != UNKNOWN_OUTLET


@lru_cache(maxsize=65536)
def registered_domain(url_or_host: str) -> str | None:
    """The registered domain of a URL or host name (``https://www.bbc.co.uk/news`` → ``bbc.co.uk``).

    Hosts on a suffix the public-suffix list does not know (such as ``.example`` or ``.test``) keep their last
    two labels; IP addresses and local names give None.
    """
    text = url_or_host.strip()
    try:
        host = urlsplit(text if "//" in text else f"//{text}").hostname
    except ValueError:  # malformed, e.g. an unclosed IPv6 bracket: no domain, not a crash
        return None
    if not host or not all(_LABEL.match(label) for label in host.rstrip(".").split(".")):
        return None  # empty labels, spaces or punctuation: not a host name
    parts = _EXTRACT(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}".lower()
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 2 and not labels[-1].isdigit():
        return ".".join(labels[-2:])
    return None


def outlet_for(url: str | None, source_name: str | None) -> Outlet:
    """Identify the outlet: the URL's registered domain, else the stated source name, else unknown."""
    name = (source_name or "").strip() or None
    domain = registered_domain(url) if url else None
    if domain:
        return Outlet(domain, name or domain)
    return Outlet(None, name or UNKNOWN_OUTLET)
