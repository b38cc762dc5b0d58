"""An article's identity: the key it is stored under, one key per page revision."""

from __future__ import annotations

import hashlib

from crosscheck.models import ParsedArticle


def article_key(article: ParsedArticle, digest: str) -> str:
    """The identity of an input item: its URL when it has one, else its id within its format and its text."""
    if article.url:
        basis = "url\0" + article.url.split("#", 1)[0].strip()
    else:
        basis = f"item\0{article.format}\0{article.external_id}\0{digest}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def revision_key(url: str, revision: int) -> str:
    """The article key of revision ``revision`` (2 or later) of the page at ``url``."""
    return hashlib.sha256(f"url\0{url}\0revision {revision}".encode()).hexdigest()
