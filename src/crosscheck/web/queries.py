"""Read queries the web needs that :class:`~crosscheck.storage.Reader` does not offer (yet).

Kept tiny and read-only; candidates to move into ``Reader``.
"""

from __future__ import annotations

from crosscheck.storage import Reader

EXCERPT_CHARS = 280


def story_excerpts(reader: Reader, story_id: int, *, chars: int = EXCERPT_CHARS) -> dict[int, str]:
    """The opening of each of a story's articles (plain text, whitespace collapsed, cut at a word)."""
    rows = reader.conn.execute("SELECT id, substr(text, 1, ?) FROM articles WHERE story_id = ?", (chars + 40, story_id))
    return {int(r[0]): excerpt(str(r[1]), chars) for r in rows}


def excerpt(text: str, chars: int = EXCERPT_CHARS) -> str:
    """``text`` collapsed to one line and cut to at most ``chars`` characters at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= chars:
        return flat
    cut = flat[:chars].rsplit(" ", 1)[0] or flat[:chars]
    return cut.rstrip(" ,;:") + " …"
