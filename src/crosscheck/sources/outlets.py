"""Which outlet published an article: its registered domain first, then the names the input gives."""
# crosscheck.sources.publisher imports this module for registered_domain: outlet_for imports it late.

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

UNKNOWN_OUTLET = "unknown outlet"
_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")  # letters and digits (any script), inner hyphens

# The bundled public-suffix snapshot only: no network fetch, no cache directory.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@dataclass(frozen=True)
class Outlet:
    """An outlet as identified for one article: ``domain`` is None when only a name is known."""

    domain: str | None
    name: str
    note: str | None = None  # where the text was read from when that is not its publisher ("republished by …")

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
    """Identify the outlet: the URL's registered domain, else the stated source name, else unknown.

    The domain names the outlet by the stated name only where that name can be the domain's outlet (not a
    columnist's name), else by the domain. A hosting platform's domain (github.com) gives way to the outlet the
    source line names, and the host is kept as a note ("republished by thebadely.github.io").
    """
    from crosscheck.sources.publisher import HOSTING_DOMAINS, display_name, names_domain, stated_source

    stated = stated_source(source_name)
    name = display_name(stated.name) if stated else None
    domain = registered_domain(url) if url else None
    if domain in HOSTING_DOMAINS and stated and name:
        host = urlsplit(url or "").hostname or domain
        return Outlet(None, name, f"republished by {stated.republished_by or host}")
    if domain:
        return Outlet(domain, name if stated and name and names_domain(stated.name, domain) else domain)
    return Outlet(None, name or UNKNOWN_OUTLET)
