"""Train the learned story matcher (``clustering/matcher.py``) on the labelled months and write its model file.

Every labelled month is ingested once into ``bench/results/lomo/`` (the cache of ``bench/clustering_lomo.py``:
the models run there, several minutes the first time). Each month's reports are taken as one pool, as the split
sees the stories of a month (all within ``story_max_gap_days``); every pair of reports gives the signals of
:data:`crosscheck.clustering.matcher.FEATURES` and whether the labels put the two in one story. A logistic
regression is fitted on the pairs of all training months. The cut of the average linkage is chosen inside the
training months: each is held out in turn, a model fitted on the others clusters it (average linkage over the
month at each cut of a grid), and the cut with the best mean of BCubed F1 and pairwise F1 over those held-out
months is kept. The scored month of ``bench/clustering_lomo.py`` is never among them.

    .venv/bin/python bench/train_matcher.py [--out src/crosscheck/clustering/matcher.json]

writes the model trained on all five labelled months, with what it was trained on and its inner held-out scores.
The pair signals and the logistic regression are :mod:`crosscheck.clustering.training`'s, which
``crosscheck stories train-matcher`` uses with an editor's corrections as labels instead of gold files.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from _shared import ROOT
from crosscheck import Settings, Store
from crosscheck.clustering import ArticleFeatures, training
from crosscheck.clustering.matcher import FEATURES, SHIPPED, PairModel
from crosscheck.clustering.training import REGULARISATION, upper_pair_signals

CUTS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


@dataclass
class MonthPairs:
    """The pair signals of one labelled month (upper triangle, one row per pair) and what the labels say."""

    ids: list[str]  # gold id of each original report, in publication order
    copies: dict[str, str]  # gold id of a copy → gold id of its original
    gold: dict[str, str]
    signals: np.ndarray  # pairs × features
    same: np.ndarray  # pairs: one story in the labels


def month_pairs(db: Path, gold: dict[str, str]) -> MonthPairs:
    """Read the stored features of a month's database (a copy: opening may migrate it) into pairs."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.db"
        shutil.copy(db, copy)
        with Store(copy) as store:
            replay = list(store.clustering_replay())
            rows = store.conn.execute("SELECT id, external_id, duplicate_of FROM articles").fetchall()
    external = {int(i): str(e) for i, e, _ in rows}
    copies = {external[int(i)]: external[int(d)] for i, _, d in rows if d is not None}
    members = [ArticleFeatures(a, day, emb, terms) for a, _, day, emb, terms in replay if emb is not None]
    ids = [external[m.article_id] for m in members]
    (first, second), signals = upper_pair_signals(members)
    labels = np.array([gold.get(i, f"unlabelled:{i}") for i in ids])
    return MonthPairs(ids, copies, gold, signals, labels[first] == labels[second])


def fit(months: list[MonthPairs], cut: float, trained_on: dict[str, object]) -> PairModel:
    """A logistic regression on the pairs of ``months`` (signals standardised), with the given cut."""
    signals = np.concatenate([m.signals for m in months])
    same = np.concatenate([m.same for m in months])
    return training.fit(signals, same, cut, trained_on)


def month_link(model: PairModel, month: MonthPairs) -> np.ndarray:
    """The model's link of every pair of the month (the condensed upper triangle)."""
    return model.link(month.signals.T)


def cluster_month(month: MonthPairs, link: np.ndarray, cut: float) -> dict[str, str]:
    """Gold id → group when the month is clustered at once by average linkage of ``link``, as the split does."""
    distance = np.clip(1.0 - link, 0.0, None)
    labels = fcluster(linkage(distance, method="average"), t=1.0 - cut, criterion="distance")
    groups = {i: str(label) for i, label in zip(month.ids, labels, strict=True)}
    return groups | {c: groups[o] for c, o in month.copies.items() if o in groups}


def quick_scores(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float]:
    """BCubed F1 and pairwise F1 (as ``score_clustering``, without its slower AMI)."""
    items = [i for i in gold if i in predicted]
    both = Counter((predicted[i], gold[i]) for i in items)
    pred = Counter(predicted[i] for i in items)
    true = Counter(gold[i] for i in items)
    precision = sum(both[(predicted[i], gold[i])] / pred[predicted[i]] for i in items) / len(items)
    recall = sum(both[(predicted[i], gold[i])] / true[gold[i]] for i in items) / len(items)

    def pairs(counts: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    hits = pairs(both)  # type: ignore[arg-type]
    pair_p = hits / pairs(pred) if pairs(pred) else 1.0  # type: ignore[arg-type]
    pair_r = hits / pairs(true) if pairs(true) else 1.0  # type: ignore[arg-type]

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    return f1(precision, recall), f1(pair_p, pair_r)


def objective(model: PairModel, months: list[MonthPairs]) -> tuple[float, float]:
    """Mean BCubed F1 and mean pairwise F1 of the months, each clustered at once with the model."""
    scored = [quick_scores(cluster_month(m, month_link(model, m), model.cut), m.gold) for m in months]
    return statistics.mean(b for b, _ in scored), statistics.mean(p for _, p in scored)


def choose_cut(months: dict[str, MonthPairs]) -> tuple[float, dict[str, dict[str, float]]]:
    """The probability cut with the best mean of BCubed F1 and pairwise F1 over the months, each held out from
    the fit of the logistic regression that clusters it."""
    grid: dict[float, list[tuple[float, float]]] = {cut: [] for cut in CUTS}
    for held, month in months.items():
        model = fit([m for name, m in months.items() if name != held], 0.0, {})
        link = month_link(model, month)
        for cut in CUTS:
            grid[cut].append(quick_scores(cluster_month(month, link, cut), month.gold))
    means = {
        cut: {
            "bcubed_f1": round(statistics.mean(b for b, _ in s), 4),
            "pairwise_f1": round(statistics.mean(p for _, p in s), 4),
        }
        for cut, s in grid.items()
    }
    best = max(CUTS, key=lambda c: means[c]["bcubed_f1"] + means[c]["pairwise_f1"])
    return best, {str(c): v for c, v in means.items()}


HAND_SET = {"embedding_cosine": 0.5, "term_cosine": 0.5, "news_days": -0.04}  # the hand-set link, cut 0.25
STEPS = {"news_days": (-0.01, -0.005, 0.005, 0.01), "cut": (-0.04, -0.02, -0.01, 0.01, 0.02, 0.04)}
DEFAULT_STEPS = (-0.2, -0.1, -0.05, 0.05, 0.1, 0.2)


def search(
    months: list[MonthPairs], features: tuple[str, ...] = FEATURES, rounds: int = 4
) -> tuple[PairModel, list[dict[str, object]]]:
    """A linear link on the hand-set's scale, its weights and cut searched one at a time (from the hand-set link)
    for the best mean of BCubed F1 and pairwise F1 of the training months, each clustered at once.

    ``features`` names the columns of the months' signals (:data:`FEATURES` unless a benchmark adds some).
    """
    coef = {name: HAND_SET.get(name, 0.0) for name in features}
    cut = 0.25
    n = len(features)

    def model_of(weights: dict[str, float], at: float) -> PairModel:
        return PairModel(list(features), [0.0] * n, [1.0] * n, [weights[f] for f in features], 0.0, at, logistic=False)

    best = sum(objective(model_of(coef, cut), months))
    history: list[dict[str, object]] = [{"start": "hand-set", "objective": round(best / 2, 4)}]
    for _ in range(rounds):
        improved = False
        for name in (*(f for f in features if f != "undated"), "cut"):
            for step in STEPS.get(name, DEFAULT_STEPS):
                weights, at = dict(coef), cut
                if name == "cut":
                    at = round(cut + step, 4)
                else:
                    weights[name] = round(weights[name] + step, 4)
                value = sum(objective(model_of(weights, at), months))
                if value > best + 1e-4:
                    best, coef, cut, improved = value, weights, at, True
                    history.append({"changed": name, "to": weights.get(name, at), "objective": round(best / 2, 4)})
        if not improved:
            break
    return model_of(coef, cut), history


def train_for(
    training: dict[str, tuple[Path, dict[str, str]]], settings: Settings, out: Path, method: str = "search"
) -> PairModel:
    """Train on these months (name → database, gold labels), every constant chosen within them; write the model.

    ``method``: ``search`` (the linear link's weights and cut searched for the best clustering of the months) or
    ``logistic`` (a logistic regression on their pairs, its cut chosen month by month held out).
    """
    started = time.perf_counter()
    months = {name: month_pairs(db, gold) for name, (db, gold) in sorted(training.items())}
    trained_on: dict[str, object] = {
        "method": method,
        "months": sorted(months),
        "articles": sum(len(m.gold) for m in months.values()),
        "pairs": sum(len(m.same) for m in months.values()),
        "same_story_pairs": int(sum(int(m.same.sum()) for m in months.values())),
        "features_read_with": f"entity_recognizer={settings.entity_recognizer}, entity_chars={settings.entity_chars}, "
        f"embedding_chars={settings.embedding_chars}",
        "command": f"python bench/train_matcher.py --method {method}",
    }
    if method == "logistic":
        cut, grid = choose_cut(months)
        trained_on |= {"regularisation_C": REGULARISATION, "cut_grid_held_out_within_training": grid}
        model = fit(list(months.values()), cut, trained_on)
    else:
        model, history = search(list(months.values()))
        model = replace(model, trained_on=trained_on | {"search": history})
    b, p = objective(model, list(months.values()))
    model.trained_on["training_months_clustered_at_once"] = {"bcubed_f1": round(b, 4), "pairwise_f1": round(p, 4)}
    model.trained_on["train_seconds"] = round(time.perf_counter() - started, 1)
    model.save(out)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SHIPPED, help="where to write the model file")
    parser.add_argument("--method", choices=("search", "logistic"), default="search")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from clustering_lomo import CACHE, MONTHS, load_gold, month_db

    settings = Settings.from_env()
    CACHE.mkdir(parents=True, exist_ok=True)
    training = {m: (month_db(m, settings)[0], load_gold(m)) for m in MONTHS}
    model = train_for(training, settings, args.out, args.method)
    print(json.dumps(model.trained_on, indent=2))
    print(f"cut {model.cut}; written to {args.out}")


if __name__ == "__main__":
    main()
