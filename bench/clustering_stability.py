"""How much the labelled month's clustering scores move when the article features change a little.

The features of an ingest depend on choices that have nothing to do with which articles belong together, such as
how many characters of each article entity recognition reads (``entity_chars``). Each such variant is a slightly
different, equally plausible view of the same articles; the spread of the scores over the variants says how much
of a difference between two settings is real. This script ingests the month once per value of ``entity_chars``
(through ``bench/clustering.py``'s path, or reuses databases it kept), replays each through placement and
the split, as an ingest does, with every pair of split constants of a small grid, and reports for each pair the
mean, standard deviation, minimum and maximum of BCubed F1 and pairwise F1 over the variants. For comparison,
the same spread at the defaults for placement alone (split off), for each placed story split alone (without the
stories near it), and for average linkage of the whole month at once with calendar days (as in
``bench/clustering_signals.py``).

With ``--embedding-chars`` each ``entity_chars`` value is ingested with each embedding input length too, and the
results also give every variant's scores at the defaults and their means for each value of either setting: what
reading more or less of each article for entities, or embedding more or less of its lead, does to the clustering.

    .venv/bin/python bench/clustering_stability.py [--entity-chars 2000,3000,...] [--embedding-chars 600,1000]
        [--keep-dir DIR]
    .venv/bin/python bench/clustering_stability.py --db a.db --db b.db ...

Results go to ``bench/results/clustering-stability-<month>.json``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from _shared import save_results
from clustering import run as ingest_month
from clustering_cv import Month, load_month, place, placed_and_split, scores, split
from crosscheck import Settings
from crosscheck.clustering.evaluation import ClusterScores
from crosscheck.clustering.index import day_number
from crosscheck.clustering.segment import pair_similarity

ENTITY_CHARS = (2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000)
DAY_PENALTIES = (0.02, 0.03, 0.04, 0.05, 0.06)
DEVELOPMENT_THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35)


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "mean": round(statistics.fmean(values), 4),
        "sd": round(statistics.pstdev(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def variant_databases(
    month: str, base: Settings, entity_chars: list[int], embedding_chars: list[int], keep_dir: Path
) -> list[tuple[Path, int, int]]:
    """One database of the month per pair of ``entity_chars`` and ``embedding_chars`` values, with the pair (an
    existing database in ``keep_dir`` is reused)."""
    keep_dir.mkdir(parents=True, exist_ok=True)
    variants = []
    for embedding, entity in itertools.product(embedding_chars, entity_chars):
        suffix = "" if embedding == base.embedding_chars else f"-embedding-chars-{embedding}"
        path = keep_dir / f"{month}-entity-chars-{entity}{suffix}.db"
        if not path.exists():
            ingest_month(month, replace(base, entity_chars=entity, embedding_chars=embedding), path)
        variants.append((path, entity, embedding))
    return variants


def by_variant(months: list[Month], variants: list[tuple[Path, int, int]], base: Settings) -> dict[str, object]:
    """Each variant's scores at the defaults, and their means for each value of either feature setting."""
    rows = []
    for month, (path, entity, embedding) in zip(months, variants, strict=True):
        result = scores(month, placed_and_split(month, base))
        rows.append(
            {
                "database": str(path),
                "entity_chars": entity,
                "embedding_chars": embedding,
                "bcubed_f1": round(result.bcubed_f1, 4),
                "pairwise_f1": round(result.pairwise_f1, 4),
                "ami": round(result.ami, 4),
            }
        )
    means: dict[str, dict[int, dict[str, float]]] = {}
    for factor in ("entity_chars", "embedding_chars"):
        for value in sorted({int(r[factor]) for r in rows}):  # type: ignore[call-overload]
            group = [r for r in rows if r[factor] == value]
            means.setdefault(factor, {})[value] = {
                key: round(statistics.fmean(float(r[key]) for r in group), 4)  # type: ignore[arg-type]
                for key in ("bcubed_f1", "pairwise_f1", "ami")
            }
    return {"variants": rows, "means": means}


def _spread(runs: list[ClusterScores]) -> dict[str, object]:
    return {
        "bcubed_f1": _summary([s.bcubed_f1 for s in runs]),
        "pairwise_f1": _summary([s.pairwise_f1 for s in runs]),
        "per_database": [round(s.bcubed_f1, 4) for s in runs],
        "per_database_pairwise": [round(s.pairwise_f1, 4) for s in runs],
    }


def whole_month_linkage(month: Month, settings: Settings) -> ClusterScores:
    """Average linkage of all the month's reports at once, link = similarity − day penalty × calendar days."""
    features = month.features
    days = np.array([day_number(f.day) or 0 for f in features], dtype=float)
    link = pair_similarity(features, settings.embedding_weight)
    link -= settings.development_day_penalty * np.abs(days[:, None] - days[None, :])
    distance = np.clip(1.0 - link, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(distance[np.triu_indices(len(features), 1)], method="average")
    labels = fcluster(tree, t=1.0 - settings.development_threshold, criterion="distance")
    return scores(month, {f.article_id: int(label) for f, label in zip(features, labels, strict=True)})


def grid_scores(months: list[Month], base: Settings) -> list[dict[str, object]]:
    """For each pair of split constants: the spread of the month's scores over the variants."""
    rows = []
    for penalty, threshold in itertools.product(DAY_PENALTIES, DEVELOPMENT_THRESHOLDS):
        settings = replace(base, development_day_penalty=penalty, development_threshold=threshold)
        runs = [scores(m, placed_and_split(m, settings)) for m in months]
        rows.append({"development_day_penalty": penalty, "development_threshold": threshold, **_spread(runs)})
    return rows


def references(months: list[Month], base: Settings) -> dict[str, object]:
    """The spread without the split, and with the whole month clustered at once, at the default constants."""
    off = replace(base, development_threshold=0.0)
    return {
        "placement_only": _spread([scores(m, split(m, place(m, base), off)) for m in months]),
        "each_story_split_alone": _spread([scores(m, split(m, place(m, base), base)) for m in months]),
        "whole_month_average_linkage": _spread([whole_month_linkage(m, base) for m in months]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2018-09")
    parser.add_argument("--entity-chars", default=",".join(map(str, ENTITY_CHARS)), help="comma-separated values")
    parser.add_argument(
        "--embedding-chars",
        help="comma-separated values (default: the setting); each is paired with every entity value",
    )
    parser.add_argument("--keep-dir", type=Path, help="keep (and reuse) the variant databases here")
    parser.add_argument("--db", type=Path, action="append", help="use these databases instead of ingesting")
    args = parser.parse_args()
    base = Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        embedding = args.embedding_chars or str(base.embedding_chars)
        # Databases given with --db are scored as variants; what they were ingested with is not known here.
        variants = (
            []
            if args.db
            else variant_databases(
                args.month,
                base,
                [int(v) for v in args.entity_chars.split(",")],
                [int(v) for v in embedding.split(",")],
                args.keep_dir or Path(tmp),
            )
        )
        databases = args.db or [path for path, _, _ in variants]
        months = [load_month(db, args.month) for db in databases]
        rows = grid_scores(months, base)
        reference = references(months, base)
        features = by_variant(months, variants, base) if variants else None
    results = {
        "month": args.month,
        "entity_recognizer": base.entity_recognizer,
        "databases": [str(db) for db in databases],
        "grid": rows,
        **reference,
    }
    if features is not None:
        results["features"] = features
        print("means at the defaults by feature setting", features["means"])
    for name, spread in reference.items():
        print(name, spread["bcubed_f1"], spread["pairwise_f1"])  # type: ignore[index]
    for row in sorted(rows, key=lambda r: -r["bcubed_f1"]["mean"] - r["pairwise_f1"]["mean"])[:8]:  # type: ignore[index]
        print(row["development_day_penalty"], row["development_threshold"], row["bcubed_f1"], row["pairwise_f1"])
    suffix = "" if base.entity_recognizer == "spacy" else f"-{base.entity_recognizer}"
    save_results(f"clustering-stability-{args.month}{suffix}", results)


if __name__ == "__main__":
    main()
