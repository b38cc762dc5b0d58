"""Which signals tell the labelled month's stories apart: pairwise ROC AUC of each, alone and combined.

A clustering can only be as good as its similarity ranks pairs of reports. This reads the month's stored features
and texts (a database from ``bench/clustering.py --keep-db PATH``) and scores, over every pair of reports at most
``story_max_gap_days`` apart, how well each signal ranks same-story pairs above the others: on all pairs, and on
the hard ones, those the clusterer's own similarity puts at 0.3 or more (where its decisions are made). Signals:
the clusterer's (embedding cosine, term cosine, their mix, the day gap, the link the split uses), and others it
does not use (TF-IDF over the whole text, entity overlap, shared quotations, shared numbers, shared 8-word
passages). Combinations are logistic regressions and gradient-boosted trees, each week scored by a model fitted
on the other weeks' pairs. Finally the whole month is clustered at once, by average linkage with the split's
link, over a grid of its two constants: the best a non-incremental clustering with the same similarity reaches.

    .venv/bin/python bench/clustering_signals.py --db month.db [--month 2018-09] [--hard-from other.db]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from _shared import save_results
from clustering_cv import Month, load_month, scores
from crosscheck import Settings
from crosscheck.clustering.index import day_number
from crosscheck.clustering.segment import pair_similarity

HARD = 0.3  # the clusterer's similarity from which a pair is a real decision
PENALTIES = (0.0, 0.01, 0.02, 0.03, 0.04)
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)  # wide, for other embedding models too
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT")
YEARS = {str(y) for y in range(1900, 2100)}


def _shared(sets: list[set[object]]) -> np.ndarray:
    """How many items every two sets share."""
    n = len(sets)
    out = np.zeros((n, n))
    for a, b in itertools.combinations(range(n), 2):
        out[a, b] = out[b, a] = len(sets[a] & sets[b])
    return out


def _jaccard(sets: list[set[object]]) -> np.ndarray:
    shared = _shared(sets)
    sizes = np.array([len(s) for s in sets], dtype=float)
    union = sizes[:, None] + sizes[None, :] - shared
    return np.asarray(np.divide(shared, union, out=np.zeros_like(shared), where=union > 0))


def _shingles(text: str, width: int) -> set[object]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + width]) for i in range(max(0, len(words) - width + 1))}


def _tfidf_cosine(texts: list[str]) -> np.ndarray:
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    return np.asarray((matrix @ matrix.T).todense())


def signals(db: Path, month_name: str) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, Month]:
    """Each signal as a report × report matrix, the same-story matrix, the day of each report, and the month."""
    month = load_month(db, month_name)
    feats = month.features
    ids = [f.article_id for f in feats]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copy(db, copy)
        conn = sqlite3.connect(copy)
        texts = dict(conn.execute("SELECT id, text FROM articles").fetchall())
        entities: dict[int, set[object]] = {}
        for article, name, label in conn.execute(
            "SELECT ae.article_id, e.name, e.label FROM article_entities ae JOIN entities e ON e.id = ae.entity_id"
        ):
            if label in ENTITY_LABELS:
                entities.setdefault(article, set()).add((name.casefold(), label))
        quotes: dict[int, set[object]] = {}
        for article, quote in conn.execute("SELECT article_id, text FROM quotes"):
            quotes.setdefault(article, set()).update(_shingles(quote, 5))
        conn.close()
    settings = Settings()
    vectors = np.stack([f.embedding for f in feats]).astype(float)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    days = np.array([day_number(f.day) or 0 for f in feats], dtype=float)
    gap = np.abs(days[:, None] - days[None, :])
    mix = pair_similarity(feats, settings.embedding_weight)
    terms = pair_similarity(feats, 0.0)
    body = [texts[i] for i in ids]
    numbers = [set(re.findall(r"\b\d[\d,.]*\d\b|\b\d\b", t)) - YEARS for t in body]
    found = {
        "embedding cosine": vectors @ vectors.T,
        "term cosine": terms,
        "clusterer similarity (mix)": mix,
        "day gap (negated)": -gap,
        "split link (mix - 0.04 x days)": mix - settings.development_day_penalty * gap,
        "TF-IDF of the whole text": _tfidf_cosine(body),
        "entity Jaccard": _jaccard([entities.get(i, set()) for i in ids]),
        "shared quotation 5-grams": _shared([quotes.get(i, set()) for i in ids]),
        "shared numbers": _shared(numbers),
        "shared 8-word passages": _shared([_shingles(t, 8) for t in body]),
    }
    gold = [month.gold[month.external[i]] for i in ids]
    same = np.array([[a == b for b in gold] for a in gold])
    return found, same, days, month


def _cross_validated(make: Callable[[], Any], x: np.ndarray, y: np.ndarray, week: np.ndarray) -> np.ndarray:
    out = np.zeros(len(y))
    for held in np.unique(week):
        model = make()
        model.fit(x[week != held], y[week != held])
        out[week == held] = model.predict_proba(x[week == held])[:, 1]
    return out


def pair_scores(
    found: dict[str, np.ndarray], same: np.ndarray, days: np.ndarray, hard_by: np.ndarray | None = None
) -> dict[str, dict[str, float]]:
    """ROC AUC of each signal and of combinations, on all pairs within the gap and on the hard ones (those that
    ``hard_by``, by default the clusterer similarity of ``found``, puts at ``HARD`` or more)."""
    upper = np.triu_indices(len(days), 1)
    gap = np.abs(days[:, None] - days[None, :])[upper]
    within = gap <= Settings().story_max_gap_days
    y = same[upper][within]
    columns = {name: matrix[upper][within] for name, matrix in found.items()}
    hard = (found["clusterer similarity (mix)"] if hard_by is None else hard_by)[upper][within] >= HARD
    result = {
        name: {"all": roc_auc_score(y, v), "hard": roc_auc_score(y[hard], v[hard])} for name, v in columns.items()
    }
    for name in ("shared quotation 5-grams", "shared numbers", "shared 8-word passages"):
        present = columns[name][hard] > 0
        result[name]["hard same-story pairs sharing any"] = float(present[y[hard]].mean())
        result[name]["hard other pairs sharing any"] = float(present[~y[hard]].mean())
    first = days[days > 0].min()
    week = np.minimum((np.maximum(days[upper[0]], days[upper[1]])[within] - first) // 7, 3)
    combos = {
        "mix + day gap": ["clusterer similarity (mix)", "day gap (negated)"],
        "all signals": list(columns),
    }
    for name, names in combos.items():
        x = np.stack([columns[n] for n in names], axis=1)
        for kind, make in (
            ("logistic regression", lambda: LogisticRegression(max_iter=1000)),
            ("boosted trees", lambda: HistGradientBoostingClassifier(max_depth=3, max_iter=200)),
        ):
            p = _cross_validated(make, x, y, week)
            result[f"{name}, {kind}"] = {"all": roc_auc_score(y, p), "hard": roc_auc_score(y[hard], p[hard])}
    result["pairs"] = {"all": float(len(y)), "hard": float(hard.sum())}
    result["same-story pairs"] = {"all": float(y.sum()), "hard": float(y[hard].sum())}
    return result


def whole_month_linkage(found: dict[str, np.ndarray], month: Month) -> dict[str, object]:
    """Average linkage of the whole month at once with the split's link: the best point of a grid."""
    mix, gap = found["clusterer similarity (mix)"], -found["day gap (negated)"]
    features = month.features
    best: dict[str, object] = {}
    best_value = -1.0
    for penalty, threshold in itertools.product(PENALTIES, THRESHOLDS):
        distance = np.clip(1.0 - (mix - penalty * gap), 0.0, None)
        np.fill_diagonal(distance, 0.0)
        tree = linkage(distance[np.triu_indices(len(features), 1)], method="average")
        labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
        s = scores(month, {f.article_id: int(label) for f, label in zip(features, labels, strict=True)})
        if s.bcubed_f1 + s.pairwise_f1 > best_value:
            best_value = s.bcubed_f1 + s.pairwise_f1
            best = {"day_penalty": penalty, "threshold": threshold, **s.as_dict()}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a database the month was ingested into")
    parser.add_argument("--month", default="2018-09")
    parser.add_argument(
        "--hard-from",
        type=Path,
        help="a database of the same month whose clusterer similarity picks the hard pairs (to compare embedding "
        "models on the same pairs; default: --db)",
    )
    args = parser.parse_args()
    found, same, days, month = signals(args.db, args.month)
    hard_by = None
    if args.hard_from:  # only its similarity is needed, not every signal
        hard_by = pair_similarity(load_month(args.hard_from, args.month).features, Settings().embedding_weight)
    results = {
        "pairs": pair_scores(found, same, days, hard_by),
        "whole_month_average_linkage": whole_month_linkage(found, month),
    }
    print(json.dumps(results, indent=2))
    save_results(f"clustering-signals-{args.month}", results)


if __name__ == "__main__":
    main()
