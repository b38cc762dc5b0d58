"""Where an input came from, and what reading it yields: shared by the readers of every format."""

from __future__ import annotations

from dataclasses import dataclass

from crosscheck.models import IngestFailure, ParsedArticle

Item = ParsedArticle | IngestFailure


@dataclass(frozen=True)
class Origin:
    """Where an input came from: how to name what it yields and what its container said about it."""

    location: str  # the path or URL as given; failures and articles are located by it
    name: str  # file name (or last URL path segment), a format hint
    external_id: str  # id of a single-article input: the file name (without .gz) or the fetched URL
    url: str | None = None  # the address the content was fetched from
    charset: str | None = None  # charset declared outside the document (HTTP header)
    content_type: str = ""  # HTTP content type, a format hint
