"""What ``story_threshold`` changes: the bundled examples, ingested once, reclustered at several values of it with
the split on (the default ``development_threshold``) and off (0), and the stories compared.

    .venv/bin/python bench/story_threshold.py [--db examples.db]

Prints, for each value, the number of stories, and for each setting of the split how many different groupings
of the articles the values give (and which values give which). Writes ``bench/results/story_threshold.json``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from _shared import ROOT, save_results
from crosscheck import Pipeline, Settings, Store

THRESHOLDS = (0.2, 0.3, 0.45, 0.6, 0.8, 1.0)
EXAMPLES = ROOT / "src" / "crosscheck" / "examples" / "articles"


def grouping(db: Path) -> frozenset[frozenset[str]]:
    """The articles (by file name) of each story."""
    with Store(db) as store:
        rows = store.conn.execute("SELECT external_id, story_id FROM articles").fetchall()
    stories: dict[int, set[str]] = {}
    for name, story in rows:
        stories.setdefault(int(story), set()).add(str(name))
    return frozenset(frozenset(s) for s in stories.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an ingest of the examples to reuse (made when absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.db or Path(tmp) / "examples.db"
        if not source.exists():
            with Store(source) as store:
                Pipeline(store, Settings()).ingest([str(EXAMPLES)])
        results: dict[str, object] = {}
        for split in (Settings().development_threshold, 0.0):
            found: dict[frozenset[frozenset[str]], list[float]] = {}
            counts = {}
            for threshold in THRESHOLDS:
                db = Path(tmp) / f"{threshold}-{split}.db"
                shutil.copy(source, db)
                with Store(db) as store:
                    Pipeline(
                        store, replace(Settings(), story_threshold=threshold, development_threshold=split)
                    ).recluster()
                stories = grouping(db)
                found.setdefault(stories, []).append(threshold)
                counts[threshold] = len(stories)
            label = f"development_threshold={split}"
            results[label] = {"stories": counts, "groupings": list(found.values())}
            print(f"{label}: stories {counts}; {len(found)} different groupings: {list(found.values())}")
    print(f"written to {save_results('story_threshold', results)}")


if __name__ == "__main__":
    main()
