"""Figures: the numbers coverage states (who said them, about whom, for when) and how they compare."""

from crosscheck.claims.claim import ArticleFigures, Claim
from crosscheck.claims.extract import ClaimExtractor
from crosscheck.claims.quotes import Quote

__all__ = ["ArticleFigures", "Claim", "ClaimExtractor", "Quote"]
