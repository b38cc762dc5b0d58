"""Sources: the outlets that publish articles."""

from crosscheck.sources.outlets import UNKNOWN_OUTLET, Outlet, outlet_for, registered_domain

__all__ = ["UNKNOWN_OUTLET", "Outlet", "outlet_for", "registered_domain"]
