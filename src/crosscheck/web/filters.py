"""The story-list filters shared by the home page and ``/api/stories``: parameters, query string, and the list.

Date, outlet and entity filter in SQL (:class:`~crosscheck.storage.browse.Browser`); lean and "blindspots only"
filter through the lean index (:mod:`crosscheck.web.leans`), since lean comes from the rater files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Depends, Query
from pydantic import AfterValidator

from crosscheck.settings import Settings
from crosscheck.storage import Reader, StoryRecord
from crosscheck.storage.browse import Browser, StoryFilters
from crosscheck.web.leans import LeanIndex, lean_index

LeanParam = Literal["", "left", "center", "right", "mixed", "unrated"]
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day_of(name: str) -> AfterValidator:
    """A check that the parameter ``name`` is a calendar day written ``YYYY-MM-DD``, or empty (an HTML form sends
    empty fields); its error is one plain sentence naming the parameter."""

    def check(value: str) -> str:
        value = value.strip()
        try:
            if not value or (_DAY.fullmatch(value) and date.fromisoformat(value)):
                return value
        except ValueError:
            pass
        raise ValueError(f"the parameter {name!r} must be a calendar day written YYYY-MM-DD, such as 2018-09-30")

    return AfterValidator(check)


@dataclass(frozen=True)
class HomeFilters:
    """Every filter of the story list; empty values do not filter."""

    date_from: str = ""
    date_to: str = ""
    outlet: str = ""
    entity: str = ""
    lean: LeanParam = ""
    blindspots: bool = False

    @property
    def sql(self) -> StoryFilters:
        return StoryFilters(self.date_from, self.date_to, self.outlet, self.entity)

    @property
    def needs_index(self) -> bool:
        """Whether the lean index must filter (lean or blindspots asked for)."""
        return bool(self.lean or self.blindspots)

    @property
    def active(self) -> bool:
        return self.sql.active or self.needs_index

    def query(self) -> dict[str, str]:
        """The filters as query parameters (only those set), for links that keep them."""
        pairs = {"from": self.date_from, "to": self.date_to, "outlet": self.outlet, "entity": self.entity,
                 "lean": self.lean, "blindspots": "true" if self.blindspots else ""}  # fmt: skip
        return {k: v for k, v in pairs.items() if v}

    def query_string(self, **extra: str | int) -> str:
        return urlencode({**self.query(), **{k: str(v) for k, v in extra.items()}})


def home_filters(
    date_from: Annotated[
        str,
        Query(alias="from", max_length=40, description="Only stories with articles on or after this day (YYYY-MM-DD)"),
        _day_of("from"),
    ] = "",
    date_to: Annotated[
        str,
        Query(alias="to", max_length=40, description="Only stories with articles on or before this day (YYYY-MM-DD)"),
        _day_of("to"),
    ] = "",
    outlet: Annotated[
        str,
        Query(
            max_length=300,
            description="Only stories with an article from this outlet (its domain, e.g. `reuters.com`, or its name)",
        ),
    ] = "",
    entity: Annotated[
        str,
        Query(
            max_length=300,
            description="Only stories with an article mentioning this entity (its exact name, e.g. `NATO`)",
        ),
    ] = "",
    lean: Annotated[
        LeanParam,
        Query(
            description="Only stories whose rated independent reports lean this way: "
            "`left`, `center`, `right` (the side with most), `mixed` (a tie) or "
            "`unrated` (no rated report)"
        ),
    ] = "",
    blindspots: Annotated[bool, Query(description="`true`: only blindspot stories (see `/api/blindspots`)")] = False,
) -> HomeFilters:
    """FastAPI dependency: the story-list filters of a request."""
    return HomeFilters(date_from, date_to, outlet.strip(), entity.strip(), lean, blindspots)


HomeFiltersDep = Annotated[HomeFilters, Depends(home_filters)]


@dataclass(frozen=True)
class StoryList:
    """One page of the filtered, ordered stories, the number passing the filters, and the lean index."""

    stories: list[StoryRecord]
    total: int
    index: LeanIndex


def filtered_stories(
    reader: Reader, filters: HomeFilters, settings: Settings, *, order: str, limit: int, offset: int
) -> StoryList:
    """The stories passing ``filters`` in ``order``: SQL pages directly unless lean or blindspots filter."""
    browser = Browser(reader.conn)
    index = lean_index(reader.conn, settings)
    if not filters.needs_index:
        total = browser.count_stories(filters.sql)
        return StoryList(browser.stories(filters.sql, order=order, limit=limit, offset=offset), total, index)
    wanted = index.matching(filters.lean, filters.blindspots)
    ids = [i for i in browser.story_ids(filters.sql, order=order) if i in wanted]
    return StoryList(browser.stories_by_ids(ids[offset : offset + limit]), len(ids), index)
