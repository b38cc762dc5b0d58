"""Duplicates: exact copies (normalised text hash) and near copies (MinHash LSH)."""

from crosscheck.dedup.fingerprint import normalize_text, text_hash
from crosscheck.dedup.near import NearDuplicateIndex

__all__ = ["NearDuplicateIndex", "normalize_text", "text_hash"]
