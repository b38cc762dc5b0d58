"""The web UI and JSON API: server-rendered story pages over a read-only database (see :func:`create_app`)."""

from crosscheck.web.app import create_app

__all__ = ["create_app"]
