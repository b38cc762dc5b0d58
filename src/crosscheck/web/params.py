"""Request parameters shared by the pages and the JSON API."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Path, Query, Request

from crosscheck.settings import Settings
from crosscheck.storage import Reader
from crosscheck.web.db import get_reader

# Must match Reader's STORY_ORDERS (a test checks it): "recent" newest first, "coverage" most covered first.
StoryOrder = Literal["recent", "coverage"]

SQLITE_MAX_INT = 2**63 - 1


def get_settings(request: Request) -> Settings:
    """FastAPI dependency: the settings the app read when it was created."""
    settings: Settings = request.app.state.settings
    return settings


ReaderDep = Annotated[Reader, Depends(get_reader)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StoryId = Annotated[int, Path(ge=1, le=SQLITE_MAX_INT, description="Story id")]
ArticleId = Annotated[int, Path(ge=1, le=SQLITE_MAX_INT, description="Article id")]
SearchQuery = Annotated[
    str, Query(max_length=500, description="Words to find in titles and texts (all must occur); empty finds nothing")
]
OrderParam = Annotated[
    StoryOrder, Query(description="`recent`: newest first; `coverage`: most independent reports first")
]
LikeParam = Annotated[
    int | None, Query(ge=1, le=SQLITE_MAX_INT, description="An article id: find the articles nearest to it by meaning")
]
