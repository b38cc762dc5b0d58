"""Story clustering held out one labelled month at a time (leave one month out over the five labelled months).

Each labelled month of the abp corpus is ingested once through ``Pipeline.ingest`` into a database kept under
``bench/results/lomo/`` (its embeddings, entities and term weights: the model work, several minutes for all five
months on two cores), so later runs cost seconds. Then, for each month held out in turn:

- **hand-set**: the shipped clusterer, replayed from the stored features through ``Pipeline.recluster`` (the
  placement and the split an ingest runs, which ends where one ingest of the month ends);
- **learned**: the pair model of ``clustering/matcher.py``, trained on the other four months (its cut chosen on
  those months only), written to a file and replayed through ``Pipeline.recluster`` with
  ``story_matcher=learned`` and that file;
- baselines in the same run: all singletons, and single-pass TF-IDF at its best threshold on the held-out month
  (its best case: an upper bound for that baseline).

Scores: BCubed and pairwise precision / recall / F1 (``clustering/evaluation.py``), each month and the mean.

    .venv/bin/python bench/clustering_lomo.py [--months 2018-09,2016-10] [--rebuild]
    .venv/bin/python bench/clustering_lomo.py --rate 2018-09   # articles/s of one ingest with each matcher
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from _shared import ROOT, save_results, shared_dir, timed_ingest
from clustering import TFIDF_THRESHOLDS, baseline_text, best_single_pass
from crosscheck import Pipeline, Settings, Store
from crosscheck.clustering.evaluation import score_clustering
from crosscheck.demo import month_of_corpus

MONTHS = ("2018-09", "2016-10", "2017-08", "2019-07", "2020-03")
METHODS = ("search", "logistic")
COLUMNS = ("singletons", "tfidf_single_pass", "hand_set", "learned_search", "learned_logistic")
CACHE = ROOT / "bench" / "results" / "lomo"


def gold_path(month: str) -> Path:
    """The gold labels of a labelled month (2018-09 at the top of ``gold/``, the others under ``gold/train/``)."""
    gold = shared_dir() / "gold"
    top = gold / f"stories-{month}.jsonl"
    return top if top.exists() else gold / "train" / f"stories-{month}.jsonl"


def load_gold(month: str) -> dict[str, str]:
    """Article id → gold story of a labelled month."""
    return {r["id"]: r["story"] for r in map(json.loads, gold_path(month).read_text().splitlines())}


def cache_key(settings: Settings) -> str:
    """The settings that change the stored features: a cached database is reused only for the same ones."""
    return f"{settings.entity_recognizer}-{settings.entity_chars}-{settings.embedding_chars}"


def month_rows(month: str) -> tuple[Path, list[dict[str, str]]]:
    """The month's articles as a JSONL file (kept in the cache) and as rows in publication order."""
    corpus = shared_dir() / "data/corpora/abp/articles.jsonl.gz"
    path = month_of_corpus(corpus, month, CACHE / f"abp-{month}.jsonl")
    rows = sorted(map(json.loads, path.read_text().splitlines()), key=lambda r: (r["date"], r["ID"]))
    return path, rows


def month_db(month: str, settings: Settings, rebuild: bool = False) -> tuple[Path, dict[str, object]]:
    """The cached database of one ingest of the month, built if absent; and what building it measured."""
    path = CACHE / f"{month}-{cache_key(settings)}.db"
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists() and not rebuild:
        return path, json.loads(info_path.read_text())
    month_file, _ = month_rows(month)
    partial = path.with_suffix(".part")
    partial.unlink(missing_ok=True)
    with Store(partial) as store:
        pipeline = Pipeline(store, settings)
        report, seconds = timed_ingest(pipeline, [str(month_file)])
        labels = stored_labels(store)
    info: dict[str, object] = {
        "articles": report.read,
        "ingest_seconds": round(seconds, 1),
        "articles_per_second": round(report.read / seconds, 2),
        "ingest": score_clustering(labels, load_gold(month)).as_dict(),
    }
    partial.replace(path)
    info_path.write_text(json.dumps(info, indent=2))
    return path, info


def stored_labels(store: Store) -> dict[str, int]:
    """Gold id → story id as stored."""
    rows = store.conn.execute("SELECT external_id, story_id FROM articles").fetchall()
    return {str(ext): int(sid) for ext, sid in rows}


def reclustered(db: Path, settings: Settings) -> tuple[dict[str, int], float]:
    """Gold id → story after ``Pipeline.recluster`` of a copy of ``db`` with ``settings``; and its seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copy(db, copy)
        with Store(copy) as store:
            pipeline = Pipeline(store, settings, embedder=_NoModel(), recognizer=_NoModel())  # type: ignore[arg-type]
            started = time.perf_counter()
            pipeline.recluster()
            seconds = time.perf_counter() - started
            return stored_labels(store), seconds


class _NoModel:
    """Stands in for the models, which a recluster from stored features never calls."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"recluster called the model ({name})")


def tfidf_baseline(month: str) -> dict[str, object]:
    """Single-pass TF-IDF at its best threshold on the month (the baseline's best case)."""
    _, rows = month_rows(month)
    gold = load_gold(month)
    texts = [baseline_text(r) for r in rows]
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    return best_single_pass(rows, np.asarray(tfidf), TFIDF_THRESHOLDS, gold)


def evaluate(months: tuple[str, ...], settings: Settings, rebuild: bool) -> dict[str, object]:
    """Every month held out in turn: baselines, the hand-set clusterer and the learned matcher."""
    dbs = {m: month_db(m, settings, rebuild) for m in MONTHS}
    results: dict[str, object] = {"settings": cache_key(settings), "months": {}}
    for month in months:
        gold = load_gold(month)
        db, info = dbs[month]
        row: dict[str, object] = {"articles": len(gold), "ingest": info}
        row["singletons"] = score_clustering({i: i for i in gold}, gold).as_dict()
        row["tfidf_single_pass"] = tfidf_baseline(month)
        labels, seconds = reclustered(db, settings)
        row["hand_set"] = {**score_clustering(labels, gold).as_dict(), "recluster_seconds": round(seconds, 1)}
        training = {m: (dbs[m][0], load_gold(m)) for m in MONTHS if m != month}
        for method in METHODS:
            row[f"learned_{method}"] = learned(db, gold, training, settings, method)
        results["months"][month] = row  # type: ignore[index]
        print(
            month,
            json.dumps({k: short(v) for k, v in row.items() if isinstance(v, dict) and "bcubed_f1" in v}),
            flush=True,
        )
    results["mean"] = means(results["months"])  # type: ignore[arg-type]
    return results


def learned(
    db: Path, gold: dict[str, str], training: dict[str, tuple[Path, dict[str, str]]], settings: Settings, method: str
) -> dict[str, object]:
    """The held-out month reclustered with a matcher trained on the other months only."""
    from train_matcher import train_for

    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "matcher.json"
        started = time.perf_counter()
        model = train_for(training, settings, model_path, method)
        train_seconds = time.perf_counter() - started
        labels, seconds = reclustered(db, replace(settings, story_matcher="learned", matcher_path=str(model_path)))
    return {
        **score_clustering(labels, gold).as_dict(),
        "recluster_seconds": round(seconds, 1),
        "train_seconds": round(train_seconds, 1),
        "cut": model.cut,
        "coef": dict(zip(model.features, model.coef, strict=True)),
    }


def short(scores: dict[str, object]) -> str:
    """BCubed F1 / pairwise F1 of a row's scores."""
    return f"{scores['bcubed_f1']:.3f} / {scores['pairwise_f1']:.3f}"


def means(rows: dict[str, dict[str, object]]) -> dict[str, dict[str, float]]:
    """Mean of each method's BCubed F1 and pairwise F1 over the held-out months."""
    out: dict[str, dict[str, float]] = {}
    for method in COLUMNS:
        scored = [r[method] for r in rows.values()]
        out[method] = {
            key: round(statistics.mean(float(s[key]) for s in scored), 4)  # type: ignore[index]
            for key in ("bcubed_f1", "pairwise_f1")
        }
    return out


def table(results: dict[str, object]) -> str:
    """The results as a markdown table: each month, then the mean (BCubed F1 / pairwise F1)."""
    lines = [
        "| held-out month | all singletons | single-pass TF-IDF (best threshold) | hand-set (default) "
        "| learned, searched link | learned, logistic regression |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    rows: dict[str, dict[str, dict[str, float]]] = results["months"]  # type: ignore[assignment]
    for month, row in [*rows.items(), ("mean", results["mean"])]:  # type: ignore[list-item]
        cells = [f"{row[m]['bcubed_f1']:.3f} / {row[m]['pairwise_f1']:.3f}" for m in COLUMNS]
        lines.append(f"| {month} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ingest_rates(month: str, settings: Settings) -> dict[str, object]:
    """Articles per second of one ingest of the month with each matcher (the shipped model file), in one run."""
    month_file, _ = month_rows(month)
    gold = load_gold(month)
    rates: dict[str, object] = {}
    for matcher in ("hand-set", "learned"):
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "rate.db") as store:
            pipeline = Pipeline(store, replace(settings, story_matcher=matcher))
            pipeline.embedder.embed(["warm-up"])
            pipeline.recognizer.recognize(["warm-up"])
            started = time.perf_counter()
            report = pipeline.ingest([str(month_file)])
            seconds = time.perf_counter() - started
            scores = score_clustering(stored_labels(store), gold)
        rates[matcher] = {
            "seconds": round(seconds, 1),
            "articles_per_second": round(report.read / seconds, 2),
            "bcubed_f1": round(scores.bcubed_f1, 4),
            "pairwise_f1": round(scores.pairwise_f1, 4),
        }
        print(matcher, json.dumps(rates[matcher]), flush=True)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", default=",".join(MONTHS), help="months to hold out (default: all five)")
    parser.add_argument("--rebuild", action="store_true", help="ingest the months again (features changed)")
    parser.add_argument("--build-only", action="store_true", help="only ingest the months into the cache")
    parser.add_argument("--rate", metavar="MONTH", help="only time one ingest of MONTH with each matcher")
    args = parser.parse_args()
    settings = Settings.from_env()
    CACHE.mkdir(parents=True, exist_ok=True)
    if args.rate:
        save_results(f"clustering-rate-{args.rate}", ingest_rates(args.rate, settings))
        return
    if args.build_only:
        for month in MONTHS:
            print(month, json.dumps(month_db(month, settings, args.rebuild)[1]), flush=True)
        return
    results = evaluate(tuple(args.months.split(",")), settings, args.rebuild)
    print(table(results))
    save_results("clustering-lomo", results)


if __name__ == "__main__":
    main()
