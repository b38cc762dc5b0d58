"""Figures: the numbers coverage states (who said them, about whom, for when) and how they compare."""

from crosscheck.claims.extract import ClaimExtractor
from crosscheck.figures import ArticleFigures, Claim, Quote

__all__ = ["ArticleFigures", "Claim", "ClaimExtractor", "Quote"]
