"""Exact-duplicate fingerprints: the same words in the same order, whatever the case, spacing or punctuation."""

from __future__ import annotations

import hashlib
import re

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_text(text: str) -> str:
    """Case-folded words separated by single spaces."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def text_hash(text: str) -> str:
    """SHA-256 of the normalised text, hex."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int) -> set[bytes]:
    """The set of ``size``-word shingles of the normalised text (the whole text when it is shorter)."""
    words = normalize_text(text).split()
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}
