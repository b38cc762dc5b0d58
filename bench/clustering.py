"""Story clustering quality and speed on a hand-labelled month of the abp corpus.

Replays the month in date order through the same path ``crosscheck ingest`` uses (Pipeline.ingest on a JSONL
file) into a fresh database, then scores the story assignment against the gold labels, next to baselines
computed in the same run: all singletons, and single-pass clusterers (each article joins the most similar
earlier cluster of the last four days) over TF-IDF vectors and over MiniLM embeddings of title and first 1,500
characters, each at its best threshold on the month.

    .venv/bin/python bench/clustering.py [--month 2018-09] [--keep-db PATH]

``--keep-db`` keeps the database, whose stored features ``bench/clustering_cv.py`` replays without the models.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from _shared import save_results, shared_dir, timed_ingest
from crosscheck import Pipeline, Settings, Store
from crosscheck.clustering.embed import MiniLMEmbedder
from crosscheck.clustering.evaluation import score_clustering
from crosscheck.demo import month_of_corpus

TFIDF_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
EMBEDDING_THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


def baseline_text(row: dict[str, str]) -> str:
    """What the baselines read of an article: its title and first 1,500 characters."""
    return f"{row.get('title', '')} {row.get('content_original', '')[:1500]}"


def single_pass(
    rows: list[dict[str, str]], vectors: np.ndarray, threshold: float, window_days: int = 4
) -> dict[str, int]:
    """Baseline: each article joins the most similar earlier cluster (centroid cosine) within the window."""
    days = [date.fromisoformat(r["date"][:10]).toordinal() for r in rows]
    centroids: list[np.ndarray] = []
    last_day: list[int] = []
    labels: dict[str, int] = {}
    for i, row in enumerate(rows):
        best, best_sim = -1, threshold
        for c, centroid in enumerate(centroids):
            if abs(days[i] - last_day[c]) <= window_days:
                sim = float(vectors[i] @ centroid) / (float(np.linalg.norm(centroid)) or 1.0)
                if sim >= best_sim:
                    best, best_sim = c, sim
        if best < 0:
            centroids.append(vectors[i].copy())
            last_day.append(days[i])
            best = len(centroids) - 1
        else:
            centroids[best] += vectors[i]
            last_day[best] = max(last_day[best], days[i])
        labels[row["ID"]] = best
    return labels


def best_single_pass(
    rows: list[dict[str, str]], vectors: np.ndarray, thresholds: tuple[float, ...], gold: dict[str, str]
) -> dict[str, object]:
    """The single-pass baseline at the threshold with the best BCubed F1 on the month (its best case)."""
    threshold, best = max(
        ((t, score_clustering(single_pass(rows, vectors, t), gold)) for t in thresholds),
        key=lambda ts: ts[1].bcubed_f1,
    )
    return {"threshold": threshold, **best.as_dict()}


def run(month: str, settings: Settings, keep_db: Path | None = None) -> dict[str, object]:
    shared = shared_dir()
    gold = {
        r["id"]: r["story"]
        for r in map(json.loads, (shared / "gold" / f"stories-{month}.jsonl").read_text().splitlines())
    }
    with tempfile.TemporaryDirectory() as tmp:
        month_file = month_of_corpus(shared / "data/corpora/abp/articles.jsonl.gz", month, Path(tmp) / "month.jsonl")
        rows = sorted(map(json.loads, month_file.read_text().splitlines()), key=lambda r: (r["date"], r["ID"]))
        with Store(Path(tmp) / "bench.db") as store:
            pipeline = Pipeline(store, settings)
            report, seconds = timed_ingest(pipeline, [str(month_file)])
            predicted = {
                ext: sid for ext, sid in store.conn.execute("SELECT external_id, story_id FROM articles").fetchall()
            }
        if keep_db is not None:
            shutil.copy(Path(tmp) / "bench.db", keep_db)
    results: dict[str, object] = {
        "month": month,
        "articles": report.read,
        "seconds": round(seconds, 2),
        "articles_per_second": round(report.read / seconds, 1),
        "crosscheck": score_clustering(predicted, gold).as_dict(),
        "singletons": score_clustering({i: i for i in gold}, gold).as_dict(),
    }
    texts = [baseline_text(r) for r in rows]
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    results["tfidf_single_pass"] = best_single_pass(rows, tfidf, TFIDF_THRESHOLDS, gold)
    embeddings = MiniLMEmbedder(max_tokens=256).embed(texts).astype(float)
    results["embedding_single_pass"] = best_single_pass(rows, embeddings, EMBEDDING_THRESHOLDS, gold)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2018-09")
    parser.add_argument("--keep-db", type=Path, help="copy the database here (for bench/clustering_cv.py)")
    args = parser.parse_args()
    results = run(args.month, Settings.from_env(), args.keep_db)
    print(json.dumps(results, indent=2))
    save_results(f"clustering-{args.month}", results)


if __name__ == "__main__":
    main()
