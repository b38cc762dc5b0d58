"""Summaries: a story's headline, extractive bullets with citations, and why its articles belong together."""

from crosscheck.summaries.bullets import select_bullets
from crosscheck.summaries.headline import choose_headline
from crosscheck.summaries.sentences import split_sentences

__all__ = ["choose_headline", "select_bullets", "split_sentences"]
