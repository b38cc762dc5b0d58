"""Who rates outlets: the raters crosscheck knows by name, and which of them derive from another."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rater:
    """A rater (or a dataset of outlet facts): ``derived_from`` names the rater whose labels it republishes."""

    id: str
    name: str
    url: str
    derived_from: str | None = None


KNOWN_RATERS: dict[str, Rater] = {
    r.id: r
    for r in (
        Rater("mbfc", "Media Bias/Fact Check", "https://mediabiasfactcheck.com/"),
        Rater("allsides", "AllSides", "https://www.allsides.com/media-bias/ratings"),
        Rater("baly", "Baly et al. (MBFC labels)", "https://github.com/ramybaly/News-Media-Reliability", "mbfc"),
        Rater("localnews", "U.S. local news dataset 2018 (Yin)", "https://github.com/yinleon/LocalNewsDataset"),
        Rater("owners", "Ownership file", ""),
    )
}


def rater(rater_id: str) -> Rater:
    """The rater with this id; raters named only in a user's CSV are their own, derived from no one."""
    return KNOWN_RATERS.get(rater_id) or Rater(rater_id, rater_id, "")


def rater_name(rater_id: str) -> str:
    """The display name of a rater."""
    return rater(rater_id).name
