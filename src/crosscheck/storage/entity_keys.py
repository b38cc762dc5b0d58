"""The key that the variants of one entity's name share, in Python and in SQL, so lookups find every variant."""

from __future__ import annotations

import unicodedata

_DROPPED = str.maketrans({".": "", "'": "", "’": "", "-": " "})

# The same key in SQL, for an ``entities e`` row: equal to :func:`entity_key` for names in ASCII (SQL's lower()
# folds ASCII letters only), so lookups match the stored variants of a name.
ENTITY_KEY_SQL = "lower(replace(replace(replace(replace(e.name, '.', ''), '''', ''), '’', ''), '-', ' '))"


def entity_key(name: str) -> str:
    """The key names of one entity share: case, accents, full stops, apostrophes and hyphens ignored."""
    text = unicodedata.normalize("NFKD", name.translate(_DROPPED))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())
