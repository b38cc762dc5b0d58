"""Distinctive terms: TF-IDF over hashed words, with document frequencies kept across ingests.

Hashing (scikit-learn's HashingVectorizer) needs no fitted vocabulary, so the weights stay comparable as the
corpus grows; the document-frequency table is persisted by the store. Named entities join the same sparse
vector under their own feature ids, so one cosine and one inverted index cover words and entities.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

WORD_FEATURES = 2**20
ENTITY_WEIGHT = 2.0  # an entity name says more about the event than any one of its words
TITLE_REPEAT = 2  # the title counts as much as twice the lead
MAX_TERMS = 80


def entity_feature(name: str) -> int:
    """The feature id of a named entity, in a range of its own above the word features."""
    return WORD_FEATURES + (zlib.crc32(name.casefold().encode("utf-8")) % WORD_FEATURES)


def is_entity_feature(feature: int) -> bool:
    return feature >= WORD_FEATURES


class TermWeighter:
    """TF-IDF weights of hashed word and entity features, with incrementally updated document frequencies."""

    def __init__(self, state: bytes | None = None) -> None:
        self._vectorizer = HashingVectorizer(
            n_features=WORD_FEATURES,
            stop_words="english",
            alternate_sign=False,
            norm=None,
            token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
        )
        self.df: dict[int, int] = {}
        self.documents = 0
        if state:
            self._load(state)

    def _load(self, state: bytes) -> None:
        data = np.frombuffer(zlib.decompress(state), dtype=np.int64)
        self.documents = int(data[0])
        pairs = data[1:].reshape(-1, 2)
        self.df = {int(k): int(v) for k, v in pairs}

    def dump(self) -> bytes:
        """The document frequencies, compressed, for the store."""
        flat = [self.documents]
        for key, value in self.df.items():
            flat.extend((key, value))
        return zlib.compress(np.asarray(flat, dtype=np.int64).tobytes())

    def counts(self, title: str, lead: str, entities: list[str]) -> dict[int, float]:
        """Raw term counts of a title, its lead and its entity names."""
        matrix = self._vectorizer.transform([" ".join([title] * TITLE_REPEAT + [lead])])
        counts = {int(i): float(v) for i, v in zip(matrix.indices, matrix.data, strict=True)}
        for name in entities:
            feature = entity_feature(name)
            counts[feature] = counts.get(feature, 0.0) + ENTITY_WEIGHT
        return counts

    def observe(self, counts: dict[int, float]) -> None:
        """Count one more document containing these features."""
        self.documents += 1
        for feature in counts:
            self.df[feature] = self.df.get(feature, 0) + 1

    def weigh(self, counts: dict[int, float]) -> dict[int, float]:
        """Unit-length TF-IDF vector (sublinear tf), keeping the strongest :data:`MAX_TERMS` features."""
        n = self.documents + 1
        weights = {
            f: (1.0 + math.log(c)) * (math.log((n + 1) / (self.df.get(f, 0) + 1)) + 1.0) for f, c in counts.items()
        }
        top = sorted(weights.items(), key=lambda kv: kv[1], reverse=True)[:MAX_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {f: w / norm for f, w in top}


def cosine(a: dict[int, float], b: dict[int, float]) -> float:
    """Cosine of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(f, 0.0) for f, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0
