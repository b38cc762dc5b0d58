"""Registered domains of URLs and host names, from the bundled public-suffix list: one site, one domain.

Outlets are identified by it (:mod:`crosscheck.sources.outlets`) and canonical URLs compare sites by it
(:mod:`crosscheck.ingest.canonical`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")  # letters and digits (any script), inner hyphens

# The bundled public-suffix snapshot only: no network fetch, no cache directory.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


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
