"""Corrections on a hand-labelled month: an editor's fixes, and whether ingest, recluster and import keep them.

Ingests the month (as ``bench/clustering.py`` does), then plays an editor who knows the gold labels and makes up
to ``--corrections`` fixes, the largest error first: a predicted story mixing gold stories has each minority gold story
split out (``split``); a gold story spread over several predicted stories has each other fragment merged into
the one holding most of it when the fragment is wholly that story (``merge``), else its articles moved there
(``move``). Then it measures, in one run: the scores before and after the fixes; a ``recluster`` without and with
them (seconds, scores, corrections not kept); an export, an import into a fresh ingest of the month and a recluster
there (same stories as the corrected database's recluster?); and the ingest rate of the month into an empty
database and into one that holds the corrections first (the constraints' cost on the ingest path).

    .venv/bin/python bench/corrections.py [--month 2018-09] [--corrections 25]
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from _shared import save_results, shared_dir
from crosscheck import Pipeline, Settings, Store
from crosscheck.clustering.evaluation import score_clustering
from crosscheck.corrections import constraints_for, export_corrections, import_corrections, read_records
from crosscheck.demo import month_of_corpus
from crosscheck.storage.corrections import Correction, load_corrections


def stories(store: Store) -> dict[str, int]:
    """External id → story of every article."""
    return {ext: int(sid) for ext, sid in store.conn.execute("SELECT external_id, story_id FROM articles")}


def scores(store: Store, gold: dict[str, str]) -> dict[str, float]:
    found = score_clustering(stories(store), gold)
    return {"bcubed_f1": round(found.bcubed_f1, 4), "pairwise_f1": round(found.pairwise_f1, 4)}


def next_fix(store: Store, gold: dict[str, str]) -> tuple[str, tuple[int, ...]] | None:
    """The editor's next correction: ("split", (story, *articles)), ("merge", (into, other)) or ("move", (article,
    into)); the largest error first. None when the stories match the labels."""
    rows = store.conn.execute("SELECT id, external_id, story_id FROM articles WHERE duplicate_of IS NULL").fetchall()
    by_story: dict[int, list[tuple[int, str]]] = {}
    for article_id, ext, story_id in rows:
        if ext in gold:
            by_story.setdefault(int(story_id), []).append((int(article_id), gold[ext]))
    splits = []
    for story_id, members in by_story.items():
        counts = Counter(label for _, label in members)
        majority = counts.most_common(1)[0][0]
        for label, count in counts.items():
            if label != majority:
                splits.append((count, story_id, label))
    spread: dict[str, Counter[int]] = {}
    for story_id, members in by_story.items():
        for _, label in members:
            spread.setdefault(label, Counter())[story_id] += 1
    worst = max(((sum(c.values()) - c.most_common(1)[0][1], label) for label, c in spread.items() if len(c) > 1),
                default=None)  # fmt: skip
    if splits and (worst is None or max(splits)[0] >= worst[0]):  # the larger error first
        _, story_id, label = max(splits)
        return "split", (story_id, *[a for a, g in by_story[story_id] if g == label])
    if worst is None:
        return None
    counts = spread[worst[1]]
    main = counts.most_common(1)[0][0]
    other = min(s for s in counts if s != main)
    if all(g == worst[1] for _, g in by_story[other]):
        return "merge", (main, other)
    article = min(a for a, g in by_story[other] if g == worst[1])
    return "move", (article, main)


def correct(pipeline: Pipeline, gold: dict[str, str], limit: int) -> Counter[str]:
    made: Counter[str] = Counter()
    while sum(made.values()) < limit:
        fix = next_fix(pipeline.store, gold)
        if fix is None:
            break
        kind, ids = fix
        if kind == "split":
            pipeline.split_story(ids[0], articles=ids[1:], reason="bench")
        elif kind == "merge":
            pipeline.merge_stories(ids[0], ids[1], reason="bench")
        else:
            pipeline.move_article(ids[0], ids[1], reason="bench")
        made[kind] += 1
    return made


def broken(store: Store, corrections: list[Correction]) -> int:
    """How many corrections, each taken alone, the stored stories do not keep (by article key). A later correction
    may override part of an earlier one (a move into a story that a later split cuts), so this can exceed
    :func:`violations`."""
    story = {key: sid for key, sid in store.conn.execute("SELECT key, story_id FROM articles")}
    count = 0
    for correction in corrections:
        together = {story[r.key] for r in correction.together if r.key in story}
        apart = {story[r.key] for r in correction.apart if r.key in story}
        count += len(together) > 1 or bool(together & apart)
    return count


def violations(store: Store) -> int:
    """Must-link groups spread over several stories plus cannot-link pairs of groups sharing one, under the
    constraints all corrections together set (replayed oldest first): 0 when every correction is kept."""
    constraints = constraints_for(store, placed=False)
    story = dict(store.conn.execute("SELECT id, story_id FROM articles").fetchall())
    stories_of: dict[int, set[int]] = {}
    for article_id, group in constraints.group_of.items():
        stories_of.setdefault(group, set()).add(story[article_id])
    spread = sum(len(s) > 1 for s in stories_of.values())
    pairs = {(g, h) for g, others in constraints.apart.items() for h in others if g < h}
    shared = sum(bool(stories_of.get(g, set()) & stories_of.get(h, set())) for g, h in pairs)
    return spread + shared


def timed_recluster(pipeline: Pipeline) -> float:
    started = time.perf_counter()
    pipeline.recluster()
    return round(time.perf_counter() - started, 2)


def timed_ingest(pipeline: Pipeline, month_file: Path) -> float:
    started = time.perf_counter()
    report = pipeline.ingest([str(month_file)])
    return round(report.read / (time.perf_counter() - started), 1)


def run(month: str, limit: int, settings: Settings) -> dict[str, object]:
    shared = shared_dir()
    gold = {r["id"]: r["story"] for r in map(json.loads, (shared / f"gold/stories-{month}.jsonl").open())}
    results: dict[str, object] = {"month": month, "corrections_asked": limit}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        month_file = month_of_corpus(shared / "data/corpora/abp/articles.jsonl.gz", month, folder / "month.jsonl")
        with Store(folder / "plain.db") as store:
            pipeline = Pipeline(store, settings)
            pipeline.embedder.embed(["warm-up"])  # model loading is not part of the rate
            pipeline.recognizer.recognize(["warm-up"])
            results["ingest_articles_per_second_without_corrections"] = timed_ingest(pipeline, month_file)
            results["ingested"] = scores(store, gold)
            shutil.copy(folder / "plain.db", folder / "corrected.db")
            results["recluster_seconds_without_corrections"] = timed_recluster(pipeline)
            results["reclustered_without_corrections"] = scores(store, gold)
        with Store(folder / "corrected.db") as store:
            pipeline = Pipeline(store, settings, embedder=pipeline.embedder, recognizer=pipeline.recognizer)
            started = time.perf_counter()
            made = correct(pipeline, gold, limit)
            results["corrections_made"] = dict(made)
            results["seconds_per_correction"] = round((time.perf_counter() - started) / max(1, made.total()), 3)
            results["corrected"] = scores(store, gold)
            results["corrections_not_kept_alone_when_made"] = broken(store, load_corrections(store.conn))
            results["constraint_violations_when_made"] = violations(store)
            corrections = load_corrections(store.conn)
            results["recluster_seconds_with_corrections"] = timed_recluster(pipeline)
            results["reclustered_with_corrections"] = scores(store, gold)
            results["corrections_not_kept_alone_after_recluster"] = broken(store, corrections)
            results["constraint_violations_after_recluster"] = violations(store)
            exported = io.StringIO()
            export_corrections(store, exported)
            reference = stories(store)
        imported = [c for _, c in read_records(exported.getvalue().splitlines()) if not isinstance(c, str)]
        with Store(folder / "imported.db") as store:
            pipeline = Pipeline(store, settings, embedder=pipeline.embedder, recognizer=pipeline.recognizer)
            with store.transaction():
                import_corrections(store, imported)
            results["ingest_articles_per_second_with_corrections"] = timed_ingest(pipeline, month_file)
            results["ingested_with_imported_corrections"] = scores(store, gold)
            results["corrections_not_kept_alone_after_ingest"] = broken(store, corrections)
            results["constraint_violations_after_ingest"] = violations(store)
            pipeline.recluster()
            same = _partition(stories(store)) == _partition(reference)
            results["import_then_recluster_gives_the_same_stories"] = same
    return results


def _partition(story: dict[str, int]) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for ext, sid in story.items():
        groups.setdefault(sid, set()).add(ext)
    return {frozenset(g) for g in groups.values()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2018-09")
    parser.add_argument("--corrections", type=int, default=25, help="how many corrections the editor makes")
    args = parser.parse_args()
    results = run(args.month, args.corrections, Settings.from_env())
    print(json.dumps(results, indent=2))
    save_results(f"corrections-{args.month}", results)


if __name__ == "__main__":
    main()
