"""Sentence splitting with spaCy's rule-based sentencizer (no model needed, fast)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import spacy

# List markers that pages saved as text keep at the start of lines ("- ", "• ", "1. ").
_LIST_MARKER = re.compile(r"^(?:[-–—•*·]+|\d{1,2}[.)])\s+")


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str, *, limit: int = 40) -> list[str]:
    """The first ``limit`` sentences of a text, whitespace-normalised; paragraph breaks always end one."""
    if len(text) > CACHED_CHARS:
        return list(_split.__wrapped__(text, limit))
    return list(_split(text, limit))


# A story's summary is rebuilt each time an ingest adds to it, from mostly the same reports, so the sentences of
# the reports most recently summarised are kept: at most 1,024 texts of up to 16,000 characters (a few MB for
# news articles, 32 MB at worst).
CACHED_CHARS = 16_000


@lru_cache(maxsize=1024)
def _split(text: str, limit: int) -> tuple[str, ...]:
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = _LIST_MARKER.sub("", paragraph.strip())
        if not paragraph:
            continue
        for sent in _sentencizer()(paragraph).sents:
            cleaned = " ".join(sent.text.split())
            if cleaned:
                sentences.append(cleaned)
                if len(sentences) >= limit:
                    return tuple(sentences)
    return tuple(sentences)
