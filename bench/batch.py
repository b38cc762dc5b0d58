"""``crosscheck batch`` (Spark, local mode) against ``crosscheck ingest``: speed, where time goes, agreement.

On a dataset of the abp corpus, split into a few JSONL files so reading is parallel too, it runs the ingest path
once and the batch path once per Spark master, each into a fresh database, then compares every batch database
with the ingest one (same articles, same duplicate sets, BCubed F1 between the two story assignments) and, for
the labelled month, scores both against the gold stories.

Models are warmed before timing on both paths (ingest: in this process; batch: by a small run through the same
Spark session, which loads them in each Python worker); Spark's session start is timed apart.

    .venv/bin/python bench/batch.py --month 2018-09
    .venv/bin/python bench/batch.py --limit 3000            # the first 3,000 articles of abp by date
    .venv/bin/python bench/batch.py --all --masters "local[2]" --reference abp.db

``--reference`` compares with a database ``ingest`` already built from the same articles (``bench/corpus.py
--db``) instead of running ingest again: the whole corpus takes the better part of an hour on each path.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from _shared import ROOT, shared_dir
from crosscheck import Pipeline, Settings, Store
from crosscheck.batch import run_batch, spark_session, spark_unavailable
from crosscheck.batch.compare import agreement, snapshot_file
from crosscheck.clustering.evaluation import score_clustering
from crosscheck.storage import connect

EXAMPLES = ROOT / "src" / "crosscheck" / "examples" / "articles"


def dataset_rows(month: str | None, limit: int | None) -> list[dict[str, Any]]:
    """The abp articles of ``month``, or the first ``limit`` by date, in (date, ID) order."""
    corpus = shared_dir() / "data" / "corpora" / "abp" / "articles.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if month:
        rows = [r for r in rows if str(r.get("date", "")).startswith(month)]
    rows.sort(key=lambda r: (str(r.get("date", "")), str(r.get("ID", ""))))
    return rows[:limit] if limit else rows


def write_shards(rows: list[dict[str, Any]], folder: Path, shards: int) -> list[str]:
    """The rows as ``shards`` JSONL files, dealt round-robin."""
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"part-{n:02d}.jsonl" for n in range(shards)]
    for n, path in enumerate(files):
        path.write_text("".join(json.dumps(r) + "\n" for r in rows[n::shards]), encoding="utf-8")
    return [str(folder)]


def run_ingest(inputs: list[str], db: Path, settings: Settings) -> dict[str, Any]:
    with Store(db) as store:
        pipeline = Pipeline(store, settings)
        pipeline.embedder.embed(["warm-up"])  # model loading is not part of the throughput
        pipeline.recognizer.recognize(["warm-up"])
        pipeline.figures.extract_many([("Warm-up: 3% more.", None)])
        started = time.perf_counter()
        report = pipeline.ingest(inputs)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "articles_per_second": round(report.read / seconds, 2), "read": report.read}


def run_spark(master: str, inputs: list[str], db: Path, settings: Settings, threads: int) -> dict[str, Any]:
    started = time.perf_counter()
    session = spark_session(master, task_threads=threads)
    session_seconds = time.perf_counter() - started
    try:
        with Store(db.with_name(db.stem + "-warmup.db")) as store:
            warm = time.perf_counter()
            run_batch(session, [str(EXAMPLES)], store, settings)
            warm_seconds = time.perf_counter() - warm
        with Store(db) as store:
            started = time.perf_counter()
            result = run_batch(session, inputs, store, settings)
            seconds = time.perf_counter() - started
    finally:
        session.stop()
    return {
        "master": master,
        "task_threads": threads,
        "session_start_seconds": round(session_seconds, 2),
        "warmup_seconds": round(warm_seconds, 2),
        "seconds": round(seconds, 2),
        "articles_per_second": round(result.report.read / seconds, 2),
        **result.as_dict(),
    }


def gold_scores(db: Path, month: str) -> dict[str, float]:
    gold_file = shared_dir() / "gold" / f"stories-{month}.jsonl"
    gold = {r["id"]: r["story"] for r in map(json.loads, gold_file.read_text().splitlines())}
    conn = connect(db, readonly=True)
    try:
        predicted = dict(conn.execute("SELECT external_id, story_id FROM articles").fetchall())
    finally:
        conn.close()
    return score_clustering(predicted, gold).as_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", help="a labelled month of abp, e.g. 2018-09")
    parser.add_argument("--limit", type=int, help="the first N articles of abp by date (with --month: of it)")
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--all", action="store_true", help="the whole abp corpus")
    parser.add_argument("--shards", type=int, default=8, help="JSONL files the dataset is split into")
    parser.add_argument("--reference", type=Path, help="an ingest database of the same articles: ingest not rerun")
    args = parser.parse_args()
    if args.month is None and args.limit is None and not args.all:
        parser.error("give --month, --limit or --all")
    if (why := spark_unavailable()) is not None:
        raise SystemExit(f"Spark cannot run: {why}")
    settings = Settings.from_env()
    label = f"{args.month or 'abp'}{f'-first{args.limit}' if args.limit else ''}{'-all' if args.all else ''}"
    cores = os.cpu_count() or 1
    results: dict[str, Any] = {"dataset": label, "cpus": cores, "load_average_at_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        if args.all:  # the corpus file itself, as bench/corpus.py reads it: articles are matched by location
            inputs = [str(shared_dir() / "data" / "corpora" / "abp" / "articles.jsonl.gz")]
        else:
            inputs = write_shards(dataset_rows(args.month, args.limit), Path(tmp) / "data", args.shards)
        ingest_db = args.reference or Path(tmp) / "ingest.db"
        if args.reference is None:
            results["ingest"] = run_ingest(inputs, ingest_db, settings)
        else:
            results["ingest"] = {"reference": str(args.reference)}
        print(json.dumps(results["ingest"]), flush=True)
        reference = snapshot_file(ingest_db)
        if args.month:
            results["ingest"]["gold"] = gold_scores(ingest_db, args.month)
        runs = []
        for n, master in enumerate(args.masters):
            db = Path(tmp) / f"batch-{n}.db"
            threads = max(1, cores // _local_cores(master, cores))  # the whole machine in each configuration
            run = run_spark(master, inputs, db, settings, threads)
            run["agreement_with_ingest"] = agreement(snapshot_file(db), reference)
            if args.month:
                run["gold"] = gold_scores(db, args.month)
            print(json.dumps(run), flush=True)
            runs.append(run)
        results["batch"] = runs
    results["load_average_at_end"] = os.getloadavg()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"batch-{label}.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


def _local_cores(master: str, cores: int) -> int:
    """Task slots of a local master: local[N] → N, local[*] → all cores, anything else → all cores."""
    inside = master.removeprefix("local[").removesuffix("]")
    return int(inside) if master.startswith("local[") and inside.isdigit() else cores


if __name__ == "__main__":
    main()
