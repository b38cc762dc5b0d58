"""Near-duplicate detection with MinHash LSH (datasketch): wire copies reprinted with small edits."""

from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from crosscheck.dedup.fingerprint import shingles

# 32-bit hash values: half the storage of 64-bit ones, and no collision bias on long texts. Stored signatures
# carry no trace of their scheme, so it is fixed here.
SCHEME = "affine32"


def signature(text: str, *, num_perm: int, shingle_words: int) -> LeanMinHash:
    """The MinHash signature of a text's word shingles (no index needed, so it can be computed anywhere)."""
    minhash = MinHash(num_perm=num_perm, scheme=SCHEME)
    minhash.update_batch(list(shingles(text, shingle_words)))
    return LeanMinHash(minhash)


class NearDuplicateIndex:
    """An in-memory LSH index over the MinHash signatures of stored original articles.

    Signatures are persisted by the store, so the index is rebuilt on start-up rather than recomputed.
    """

    def __init__(self, *, threshold: float, num_perm: int, shingle_words: int) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[int, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def signature(self, text: str) -> LeanMinHash:
        """The MinHash signature of a text's word shingles, with this index's parameters."""
        return signature(text, num_perm=self.num_perm, shingle_words=self.shingle_words)

    def from_values(self, values: np.ndarray) -> LeanMinHash:
        """A signature from stored hash values."""
        return LeanMinHash(seed=1, hashvalues=values.astype(np.uint32), scheme=SCHEME)

    def add(self, article_id: int, signature: LeanMinHash) -> None:
        if article_id in self._signatures:
            return
        self._lsh.insert(article_id, signature)
        self._signatures[article_id] = signature

    def find(self, signature: LeanMinHash) -> int | None:
        """The earliest-stored article whose estimated shingle Jaccard reaches the threshold, if any."""
        matches = [
            key for key in self._lsh.query(signature) if self._signatures[key].jaccard(signature) >= self.threshold
        ]
        return min(matches) if matches else None
