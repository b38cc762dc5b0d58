"""Which outlet published an article: its registered domain first, then the names the input gives."""

from __future__ import annotations

from dataclasses import dataclass

from crosscheck.domains import registered_domain
from crosscheck.models import UNKNOWN_OUTLET as UNKNOWN_OUTLET


@dataclass(frozen=True)
class Outlet:
    """An outlet as identified for one article: ``domain`` is None when only a name is known."""

    domain: str | None
    name: str

    @property
    def known(self) -> bool:
        return self.name != UNKNOWN_OUTLET


def outlet_for(url: str | None, source_name: str | None) -> Outlet:
    """Identify the outlet: the URL's registered domain, else the stated source name, else unknown."""
    name = (source_name or "").strip() or None
    domain = registered_domain(url) if url else None
    if domain:
        return Outlet(domain, name or domain)
    return Outlet(None, name or UNKNOWN_OUTLET)
