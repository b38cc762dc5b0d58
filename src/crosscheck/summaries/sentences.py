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
    return list(_split(text, limit))


# A story's summary is rebuilt each time an ingest adds to it, from mostly the same reports: their sentences are
# kept for the reports of the stories most recently summarised (about 20 MB).
@lru_cache(maxsize=2048)
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
