""" "More like this": the stored articles nearest to one article by cosine of their stored embeddings.

The embeddings are loaded once per process into one float32 matrix (rows unit length, so cosine is a dot
product) and reloaded only when the database's articles change (count or highest id). A query is one
matrix-vector product, not a scan of the stored blobs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from crosscheck.storage.browse import Browser

_LOCK = threading.Lock()


@dataclass(frozen=True)
class EmbeddingMatrix:
    """Article ids and their embeddings, row by row, for one state of one database."""

    key: tuple[object, ...]
    ids: np.ndarray
    matrix: np.ndarray
    rows: dict[int, int]

    def nearest(self, article_id: int, *, limit: int, exclude: set[int] | None = None) -> list[tuple[int, float]]:
        """(article id, cosine) of the ``limit`` nearest articles, best first; [] without an embedding."""
        row = self.rows.get(article_id)
        if row is None or limit <= 0:
            return []
        scores = self.matrix @ self.matrix[row]
        skip = {article_id} | (exclude or set())
        take = min(len(scores), limit + len(skip))
        top = np.argpartition(-scores, take - 1)[:take] if take < len(scores) else np.arange(len(scores))
        ranked = sorted(top.tolist(), key=lambda i: (-float(scores[i]), int(self.ids[i])))
        found = [(int(self.ids[i]), float(scores[i])) for i in ranked if int(self.ids[i]) not in skip]
        return found[:limit]


_MATRICES: dict[str, EmbeddingMatrix] = {}


def embedding_matrix(browser: Browser, db_key: str) -> EmbeddingMatrix:
    """The matrix of the database ``db_key`` (its path or address), loaded again only when articles change."""
    key = (db_key, *browser.articles_state())
    with _LOCK:  # one load at a time; concurrent requests wait rather than load the same matrix twice
        cached = _MATRICES.get(db_key)
        if cached is None or cached.key != key:
            ids, matrix = browser.embeddings()
            norms = np.linalg.norm(matrix, axis=1, keepdims=True) if matrix.size else np.ones((0, 1), np.float32)
            matrix = (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32)  # stored unit length; made sure
            cached = EmbeddingMatrix(key, ids, matrix, {int(a): i for i, a in enumerate(ids.tolist())})
            _MATRICES[db_key] = cached
        return cached
