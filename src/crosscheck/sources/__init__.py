"""Sources: the outlets that publish articles."""

from crosscheck.domains import registered_domain
from crosscheck.sources.outlets import UNKNOWN_OUTLET, Outlet, outlet_for

__all__ = ["UNKNOWN_OUTLET", "Outlet", "outlet_for", "registered_domain"]
