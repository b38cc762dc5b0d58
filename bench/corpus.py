"""The whole abp corpus (37,554 articles) through ``ingest``: speed, peak memory, per-article cost as the store grows.

Runs ``Pipeline.ingest`` on the corpus file, as ``crosscheck ingest`` does, into a fresh SQLite database, and
records after every chunk how long it took (the write stage separately, and the story refresh within it) and the
memory of the ingest process and its language workers; their peak is sampled every half second. The per-article
cost is reported as the median over the chunks written around 1k, 5k, 10k, 20k and 37k stored articles: flat
means no step compares a new article with every stored one.

    .venv/bin/python bench/corpus.py [--limit N] [--db PATH] [--workers N]

``--db`` keeps the database (for ``bench/web_load.py``). Results go to ``bench/results/corpus-abp*.json``; run with
``CROSSCHECK_ENTITY_RECOGNIZER=names`` to measure names by rule instead of spaCy's entity recognition.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _shared import ROOT, shared_dir
from crosscheck import Settings, Store

MARKS = (1_000, 5_000, 10_000, 20_000, 37_000)
PAGE = os.sysconf("SC_PAGE_SIZE")


def _pss(pid: int) -> int:
    """Proportional set size: resident bytes with each shared page divided among the processes sharing it."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of a process and all its descendants, from /proc.

    The RSS sum counts the libraries every process maps (PyTorch, spaCy) once per process; PSS counts them once.
    """
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
    total_rss, total_pss, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total_rss += rss.get(pid, 0)
        total_pss += _pss(pid)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total_rss, total_pss


def process_memory(pid: int) -> int:
    """Resident bytes of one process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class MemorySampler(threading.Thread):
    """Keeps the peaks of :func:`tree_memory` of this process, sampled every half second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.peak_pss = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            rss, pss = tree_memory(os.getpid())
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)


def timed(method: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    return wrapper


def limited_copy(source: Path, limit: int, target: Path) -> Path:
    """The first ``limit`` lines of the gzipped corpus, as a plain JSONL file."""
    import gzip

    with gzip.open(source, "rt", encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for n, line in enumerate(lines):
            if n >= limit:
                break
            out.write(line)
    return target


def cost_at_marks(chunks: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Median milliseconds per article, in all and in the write stage, over the chunks around each mark."""
    found: dict[str, dict[str, float]] = {}
    for mark in MARKS:
        near = [c for c in chunks if abs(c["stored"] - mark) <= 1_024]
        if near:
            found[str(mark)] = {
                "chunks": len(near),
                "ms_per_article": round(statistics.median(c["ms_per_article"] for c in near), 1),
                "write_ms_per_article": round(statistics.median(c["write_ms_per_article"] for c in near), 1),
                "summaries_ms_per_article": round(statistics.median(c["summaries_ms_per_article"] for c in near), 1),
            }
    return found


def run(corpus: Path, db: Path, settings: Settings, partial: Path) -> dict[str, object]:
    # Imported here, not at the top: language workers are spawned and re-import this script's top level, and
    # should carry what they carry under `crosscheck ingest`, not the whole pipeline.
    from crosscheck import Pipeline

    chunks: list[dict[str, float]] = []
    write_spent: list[float] = []
    refresh_spent: list[float] = []
    sampler = MemorySampler()
    sampler.start()
    with Store(db) as store:
        pipeline = Pipeline(store, settings)
        pipeline.embedder.embed(["warm-up"])  # model loading is not part of the throughput
        pipeline._store_chunk = timed(pipeline._store_chunk, write_spent)  # type: ignore[method-assign]
        pipeline._refresh_stories = timed(pipeline._refresh_stories, refresh_spent)  # type: ignore[method-assign]
        marks = {"start": time.perf_counter(), "read": 0.0, "last": 0.0, "done": 0}

        def progress(stage: str, done: int, total: int | None) -> None:
            now = time.perf_counter()
            if stage != "clustering":
                marks["read"] = marks["last"] = now
                return
            size = done - marks["done"]
            rss, pss = tree_memory(os.getpid())
            chunks.append(
                {
                    "stored": done,
                    "seconds": round(now - marks["start"], 1),
                    "ms_per_article": 1000 * (now - marks["last"]) / size,
                    "write_ms_per_article": 1000 * (sum(write_spent) + sum(refresh_spent)) / size,
                    "summaries_ms_per_article": 1000 * sum(refresh_spent) / size,
                    "rss_mb_with_workers": rss / 2**20,
                    "pss_mb_with_workers": pss / 2**20,
                    "rss_mb_ingest_process": process_memory(os.getpid()) / 2**20,
                }
            )
            write_spent.clear()
            refresh_spent.clear()
            marks["last"], marks["done"] = now, done
            if len(chunks) % 10 == 0:
                print(f"{done} articles, {now - marks['start']:.0f} s, {sampler.peak / 2**20:.0f} MB", flush=True)
                partial.write_text(json.dumps(chunks))  # a run stopped early keeps what it measured

        report = pipeline.ingest([str(corpus)], progress=progress)
        ended = time.perf_counter()
        stories = store.reader.counts()["stories"]
    sampler.stop.set()
    sampler.join()
    seconds = ended - marks["start"]
    return {
        "articles_read": report.read,
        "articles_added": report.added,
        "duplicates": report.duplicates,
        "failures": len(report.failures),
        "stories": stories,
        "model_workers": settings.model_workers,
        "entity_recognizer": settings.entity_recognizer,
        "seconds": round(seconds, 1),
        "reading_seconds": round(marks["read"] - marks["start"], 1),
        "settle_seconds": round(ended - marks["last"], 1),
        "articles_per_second": round(report.added / seconds, 1),
        "peak_rss_mb_with_workers": round(sampler.peak / 2**20),
        "peak_pss_mb_with_workers": round(sampler.peak_pss / 2**20),
        "cost_at": cost_at_marks(chunks),
        "chunks": [{k: round(v, 1) for k, v in c.items()} for c in chunks],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles of the corpus file")
    parser.add_argument("--db", type=Path, help="keep the database here (it must not exist yet)")
    parser.add_argument("--workers", type=int, help="model_workers (default: the setting)")
    args = parser.parse_args()
    settings = Settings.from_env()
    if args.workers is not None:
        settings = dataclasses.replace(settings, model_workers=args.workers)
    corpus = shared_dir() / "data/corpora/abp/articles.jsonl.gz"
    with tempfile.TemporaryDirectory() as tmp:
        if args.limit:
            corpus = limited_copy(corpus, args.limit, Path(tmp) / "corpus.jsonl")
        db = args.db or Path(tmp) / "corpus.db"
        if db.exists():
            parser.error(f"{db} exists: give a new path")
        name = f"corpus-abp{'-' + str(args.limit) if args.limit else ''}-w{settings.model_workers}"
        if settings.entity_recognizer != "spacy":
            name += f"-{settings.entity_recognizer}"
        results = run(corpus, db, settings, ROOT / "bench" / "results" / f"{name}-partial.json")
    print(json.dumps({k: v for k, v in results.items() if k != "chunks"}, indent=2))
    (ROOT / "bench" / "results" / f"{name}.json").write_text(json.dumps(results, indent=2))
    (ROOT / "bench" / "results" / f"{name}-partial.json").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
