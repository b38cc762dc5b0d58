"""Which outlet published an article: its registered domain first, then the names the input gives, then the agency
its opening dateline names."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from crosscheck.domains import registered_domain
from crosscheck.models import UNKNOWN_OUTLET as UNKNOWN_OUTLET
from crosscheck.sources.datelines import CREDITED_NOTE, dateline_agency
from crosscheck.sources.publisher import HOSTING_DOMAINS, display_name, names_domain, stated_source


@dataclass(frozen=True)
class Outlet:
    """An outlet as identified for one article: ``domain`` is None when only a name is known."""

    domain: str | None
    name: str
    # How the outlet was found when the input does not state it: "republished by …" (read from another site than
    # its publisher's), "credited in the dateline" (wire copy naming its agency: "WASHINGTON (AP) —")
    note: str | None = None

    @property
    def known(self) -> bool:
        return self.name != UNKNOWN_OUTLET


def outlet_for(url: str | None, source_name: str | None, text: str | None = None) -> Outlet:
    """Identify the outlet: the URL's registered domain, else the stated source name, else the agency the
    opening dateline of ``text`` credits (with the note "credited in the dateline"), else unknown.

    The domain names the outlet by the stated name only where that name can be the domain's outlet (not a
    columnist's name), else by the domain. A hosting platform's domain (github.com) gives way to the outlet the
    source line names, and the host is kept as a note ("republished by thebadely.github.io").
    """
    stated = stated_source(source_name)
    name = display_name(stated.name) if stated else None
    domain = registered_domain(url) if url else None
    if domain in HOSTING_DOMAINS and stated and name:
        host = urlsplit(url or "").hostname or domain
        return Outlet(None, name, f"republished by {stated.republished_by or host}")
    if domain:
        return Outlet(domain, name if stated and name and names_domain(stated.name, domain) else domain)
    if name:
        return Outlet(None, name)
    agency = dateline_agency(text) if text else None
    if agency:
        return Outlet(agency.domain, agency.name, CREDITED_NOTE)
    return Outlet(None, UNKNOWN_OUTLET)
