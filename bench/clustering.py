"""Story clustering quality and speed on a hand-labelled month of the abp corpus.

Replays the month in date order through the same path ``crosscheck ingest`` uses (Pipeline.ingest on a JSONL
file) into a fresh database, then scores the story assignment against the gold labels, next to baselines
computed in the same run: all singletons, and a single-pass TF-IDF cosine clusterer at its best threshold.

    .venv/bin/python bench/clustering.py [--month 2018-09] [--keep-db PATH]

``--keep-db`` keeps the database, whose stored features ``bench/clustering_cv.py`` replays without the models.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from _shared import save_results, shared_dir
from crosscheck import Pipeline, Settings, Store
from crosscheck.clustering.evaluation import score_clustering
from crosscheck.demo import month_of_corpus


def tfidf_single_pass(rows: list[dict[str, str]], threshold: float, window_days: int = 4) -> dict[str, int]:
    """Baseline: each article joins the most similar earlier cluster (centroid cosine) within the window."""
    texts = [f"{r.get('title', '')} {r.get('content_original', '')[:1500]}" for r in rows]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    days = [date.fromisoformat(r["date"][:10]).toordinal() for r in rows]
    centroids: list[np.ndarray] = []
    last_day: list[int] = []
    labels: dict[str, int] = {}
    for i, row in enumerate(rows):
        best, best_sim = -1, threshold
        for c, centroid in enumerate(centroids):
            if abs(days[i] - last_day[c]) <= window_days:
                sim = float(matrix[i] @ centroid) / (float(np.linalg.norm(centroid)) or 1.0)
                if sim >= best_sim:
                    best, best_sim = c, sim
        if best < 0:
            centroids.append(matrix[i].copy())
            last_day.append(days[i])
            best = len(centroids) - 1
        else:
            centroids[best] += matrix[i]
            last_day[best] = max(last_day[best], days[i])
        labels[row["ID"]] = best
    return labels


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
            pipeline.embedder.embed(["warm-up"])  # model loading is not part of the throughput
            pipeline.recognizer.recognize(["warm-up"])
            started = time.perf_counter()
            report = pipeline.ingest([str(month_file)])
            seconds = time.perf_counter() - started
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
    best = max(
        ((t, score_clustering(tfidf_single_pass(rows, t), gold)) for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)),
        key=lambda ts: ts[1].bcubed_f1,
    )
    results["tfidf_single_pass"] = {"threshold": best[0], **best[1].as_dict()}
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
