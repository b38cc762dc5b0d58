"""crosscheck: one news story from every side.

The public API is small: :class:`Settings`, :class:`Store` (write) and :class:`Reader` (read) for storage,
:class:`Pipeline` to ingest, and :func:`read_inputs` to parse inputs without storing them. Heavy parts (the
embedding and entity models) load only when a pipeline first needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crosscheck.models import IngestFailure, IngestReport, ParsedArticle
from crosscheck.settings import Settings
from crosscheck.storage import Reader, Store

if TYPE_CHECKING:
    from crosscheck.ingest import read_inputs
    from crosscheck.pipeline import Pipeline

__version__ = "0.1.0"

__all__ = [
    "IngestFailure",
    "IngestReport",
    "ParsedArticle",
    "Pipeline",
    "Reader",
    "Settings",
    "Store",
    "__version__",
    "read_inputs",
]


def __getattr__(name: str) -> Any:
    # Imported on first use so that `import crosscheck` stays light for the CLI and the web server.
    if name == "Pipeline":
        from crosscheck.pipeline import Pipeline

        return Pipeline
    if name == "read_inputs":
        from crosscheck.ingest import read_inputs

        return read_inputs
    raise AttributeError(f"module 'crosscheck' has no attribute {name!r}")
