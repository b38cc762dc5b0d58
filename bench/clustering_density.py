"""Over-merging where many reports look alike: how pair similarities sit within and across the labelled stories of
each labelled month, where the split's wrong merges are, and links judged against the local background.

Reads the features stored by ``bench/clustering_lomo.py`` (``bench/results/lomo/``; build them with its
``--build-only``). Each month is clustered at once by average linkage over the split's link, as the split does
when a month fits in one pool (the labelled months do), so a grid of constants costs seconds. Parts:

- **diagnosis**: per month, the pair similarity (the clusterer's mix of embedding and term cosines) of pairs of
  one gold story and of pairs of different ones (mean, quantiles, share whose hand-set link reaches the cut), the
  share of reports alone in their gold story, how well the link and the embedding cosine (as is, and with the
  month's mean embedding taken off) rank same-story pairs (ROC AUC), the pool's density (mean similarity of each
  report to its 10 nearest), the hand-set link's scores at cuts from 0.2 to 0.4, and its wrong merges: the
  pairs of gold stories one group holds most often, with the entity names their reports share most;
- **corrections**, each a change of the split's similarity or cut relative to the local background, its
  constants (the cut among them) chosen on four months by the mean of BCubed F1 and pairwise F1 and scored on
  the fifth: ``fixed`` (the hand-set link, its day penalty and cut chosen again: the control), ``density_cut``
  (the cut moves with the pool's density), ``background`` (each similarity less a share of the two reports'
  mean similarity to their k nearest reports, or to the whole pool: a CSLS-like hubness correction),
  ``centred`` and ``local_centred`` (embeddings less a share of the pool's mean embedding, or of the mean of
  their k nearest), ``pool_idf`` (term weights scaled again by an IDF over the pool, so terms that flood it
  count less). Beside them, all singletons and the hand-set link; and, in sample, the setting of each with the
  best mean pairwise F1 among those that lift 2020-03 above its all-singletons BCubed F1.

``--replay`` scores each held-out month through ``Pipeline.recluster`` (placement and the split, the path an
ingest takes; the correction stands in for the split's similarity) instead of clustering it at once: minutes.

    .venv/bin/python bench/clustering_density.py [--months 2020-03,2018-09] [--no-corrections] [--replay]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sqlite3
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.metrics import roc_auc_score

from _shared import save_results
from clustering_lomo import CACHE, MONTHS, cache_key, load_gold, reclustered
from crosscheck import Settings
from crosscheck.clustering import ArticleFeatures
from crosscheck.clustering.evaluation import score_clustering
from crosscheck.clustering.segment import day_distance, pair_similarity

DAY_PENALTY = 0.04
CUT = 0.25
CUTS = tuple(round(c, 3) for c in np.arange(-0.3, 0.6001, 0.025))
NEAREST = (10, 30)


@dataclass
class Month:
    """A labelled month's stored features in publication order, their gold stories and entity names."""

    name: str
    features: list[ArticleFeatures]
    external: list[str]  # gold id of each feature row
    gold: dict[str, str]
    entities: list[set[str]]


def load_month(month: str, settings: Settings) -> Month:
    """The month's features from its cached database (read only; copies are scored with their original)."""
    path = CACHE / f"{month}-{cache_key(settings)}.db"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute(
        """SELECT a.id, a.external_id, a.published, f.embedding, f.terms FROM articles a
           JOIN article_features f ON f.article_id = a.id WHERE a.duplicate_of IS NULL
           ORDER BY a.published IS NULL, a.published, a.id"""
    ).fetchall()
    names: dict[int, set[str]] = {}
    for article_id, name in conn.execute(
        "SELECT ae.article_id, e.name FROM article_entities ae JOIN entities e ON e.id = ae.entity_id"
    ):
        names.setdefault(int(article_id), set()).add(str(name))
    conn.close()
    features = [
        ArticleFeatures(
            int(r[0]),
            r[2],
            np.frombuffer(r[3], dtype=np.float32).copy(),
            {int(k): float(v) for k, v in json.loads(r[4] or "{}").items()},
        )
        for r in rows
    ]
    return Month(
        month, features, [str(r[1]) for r in rows], load_gold(month), [names.get(int(r[0]), set()) for r in rows]
    )


def plain_terms(month: Month) -> np.ndarray:
    """Half the term cosine of every two reports (the mix less it leaves half the embedding cosine)."""
    return np.asarray(0.5 * pair_similarity(month.features, 0.0))


def upper(matrix: np.ndarray) -> np.ndarray:
    """The pairs of a square matrix (above the diagonal)."""
    return matrix[np.triu_indices(len(matrix), k=1)]


def nearest_mean(similarity: np.ndarray, k: int) -> np.ndarray:
    """Each report's mean similarity to its ``k`` most similar other reports."""
    others = similarity.copy()
    np.fill_diagonal(others, -np.inf)
    k = min(k, len(others) - 1)
    return np.asarray(np.sort(others, axis=1)[:, -k:].mean(axis=1))


def diagnose(month: Month) -> dict[str, object]:
    """Pair similarities within and across gold stories, the pool's density, and the wrong merges at the cut."""
    similarity = pair_similarity(month.features, 0.5)
    link = similarity - DAY_PENALTY * day_distance(month.features)
    stories = np.array([month.gold.get(e, e) for e in month.external])
    same = upper(stories[:, None] == stories[None, :])
    pairs, links = upper(similarity), upper(link)

    def summary(values: np.ndarray) -> dict[str, float]:
        quantiles = np.quantile(values, [0.5, 0.9, 0.99]) if len(values) else [0.0] * 3
        return {"pairs": len(values), "mean": round(float(values.mean()), 3)} | {
            f"q{q}": round(float(v), 3) for q, v in zip((50, 90, 99), quantiles, strict=True)
        }

    sizes = Counter(stories.tolist())
    alone = np.array([sizes[s] == 1 for s in stories])
    others = link.copy()
    np.fill_diagonal(others, -np.inf)
    labels = cluster(link, CUT)
    scored = score_clustering(dict(zip(month.external, labels.tolist(), strict=True)), month.gold)
    return {
        "articles": len(month.features),
        "gold_stories": len(set(stories)),
        "within": summary(pairs[same]),
        "across": summary(pairs[~same]),
        "across_link_at_cut": round(float((links[~same] >= CUT).mean()), 4),
        "within_link_at_cut": round(float((links[same] >= CUT).mean()), 4),
        "alone_share": round(float(alone.mean()), 3),
        "alone_with_a_link_at_cut": round(float((others[alone].max(axis=1) >= CUT).mean()), 3),
        "auc": {
            "link": round(float(roc_auc_score(same, links)), 3),
            "embedding": round(float(roc_auc_score(same, upper(centred(0.0)(month.features) - plain_terms(month)))), 3),
            "embedding_centred": round(
                float(roc_auc_score(same, upper(centred(1.0)(month.features) - plain_terms(month)))), 3
            ),
        },
        "density_k10": round(float(nearest_mean(similarity, 10).mean()), 3),
        "density_k30": round(float(nearest_mean(similarity, 30).mean()), 3),
        "pool_mean": round(float(pairs.mean()), 3),
        "hand_set": short(scored.bcubed_f1, scored.pairwise_f1),
        "hand_set_at_cuts": {str(cut): at_cut(month, link, cut) for cut in (0.2, 0.25, 0.3, 0.35, 0.4)},
        "wrong_merges": wrong_merges(month, labels, stories),
    }


def at_cut(month: Month, link: np.ndarray, cut: float) -> str:
    """BCubed F1 / pairwise F1 of the month clustered at once at ``cut``."""
    s = score_clustering(dict(zip(month.external, cluster(link, cut).tolist(), strict=True)), month.gold)
    return short(s.bcubed_f1, s.pairwise_f1)


def wrong_merges(month: Month, labels: np.ndarray, stories: np.ndarray, top: int = 8) -> dict[str, object]:
    """The false pairs of a clustering: how many, their clusters, and the gold story pairs merged most often."""
    merged: Counter[tuple[str, str]] = Counter()
    shared: dict[tuple[str, str], Counter[str]] = {}
    for cluster_label in set(labels.tolist()):
        members = np.flatnonzero(labels == cluster_label)
        for a, b in itertools.combinations(members, 2):
            if stories[a] != stories[b]:
                key = (min(stories[a], stories[b]), max(stories[a], stories[b]))
                merged[key] += 1
                shared.setdefault(key, Counter()).update(month.entities[a] & month.entities[b])
    clusters = Counter(labels.tolist())
    impure = [c for c in clusters if len(set(stories[labels == c])) > 1]
    return {
        "false_pairs": sum(merged.values()),
        "impure_clusters": len(impure),
        "largest_cluster": max(clusters.values()),
        "largest_cluster_gold_stories": len(set(stories[labels == clusters.most_common(1)[0][0]])),
        "top": [
            {"stories": list(key), "false_pairs": n, "shared": [e for e, _ in shared[key].most_common(6)]}
            for key, n in merged.most_common(top)
        ],
    }


def cluster(link: np.ndarray, cut: float) -> np.ndarray:
    """Average-linkage groups of a link matrix, merged while their average link is at least ``cut``."""
    return np.asarray(fcluster(dendrogram(link), t=1.0 - cut, criterion="distance"))


def dendrogram(link: np.ndarray) -> np.ndarray:
    """The average-linkage tree of a link matrix (distance 1 − link, clipped at 0)."""
    distance = np.clip(1.0 - link, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    return np.asarray(linkage(upper(distance), method="average"))


def short(bcubed: float, pairwise: float) -> str:
    """BCubed F1 / pairwise F1."""
    return f"{bcubed:.3f} / {pairwise:.3f}"


# --- corrections -----------------------------------------------------------------------------------------------

Similarity = Callable[[Sequence[ArticleFeatures]], np.ndarray]  # a pool's pair similarities, before the day penalty


def plain(members: Sequence[ArticleFeatures]) -> np.ndarray:
    """The split's similarity: the clusterer's mix of embedding and term cosines."""
    return pair_similarity(members, 0.5)


def background(k: int, share: float) -> Similarity:
    """Similarity less ``share`` of the two reports' mean background: each report's mean similarity to its ``k``
    nearest reports of the pool (0: to all of them), as CSLS corrects hubs in cross-lingual retrieval."""

    def similarity(members: Sequence[ArticleFeatures]) -> np.ndarray:
        mixed = plain(members)
        level = nearest_mean(mixed, k) if k else (mixed.sum(axis=1) - np.diag(mixed)) / max(1, len(mixed) - 1)
        return np.asarray(mixed - share * (level[:, None] + level[None, :]) / 2)

    return similarity


def centred(share: float, k: int = 0) -> Similarity:
    """The mix with each embedding less ``share`` of the background: the pool's mean embedding (``k`` 0) or the
    mean of the report's ``k`` nearest reports' embeddings; the direction every report of a flooding topic shares."""

    def similarity(members: Sequence[ArticleFeatures]) -> np.ndarray:
        vectors = np.stack([m.embedding for m in members]).astype(np.float64)
        vectors /= np.where((n := np.linalg.norm(vectors, axis=1, keepdims=True)) > 0, n, 1.0)
        if k:
            cosine = vectors @ vectors.T
            np.fill_diagonal(cosine, -np.inf)
            level = vectors[np.argsort(-cosine, axis=1)[:, : min(k, len(members) - 1)]].mean(axis=1)
        else:
            level = np.broadcast_to(vectors.mean(axis=0), vectors.shape)
        moved = [
            ArticleFeatures(m.article_id, m.day, v, m.terms)
            for m, v in zip(members, vectors - share * level, strict=True)
        ]
        return pair_similarity(moved, 0.5)

    return similarity


def pool_idf(power: float) -> Similarity:
    """The mix with each term weight scaled again by (1 + log(N / its document frequency in the pool)) ** power."""

    def similarity(members: Sequence[ArticleFeatures]) -> np.ndarray:
        df: Counter[int] = Counter(f for m in members for f in m.terms)
        n = len(members)
        scaled = [
            ArticleFeatures(
                m.article_id, m.day, m.embedding, {f: w * (1 + np.log(n / df[f])) ** power for f, w in m.terms.items()}
            )
            for m in members
        ]
        return pair_similarity(scaled, 0.5)

    return similarity


def density_cut(slope: float) -> Similarity:
    """The mix less ``slope`` × (the pool's density − 0.3): the same as a cut that rises by ``slope`` per unit of
    density (each report's mean similarity to its 10 nearest, averaged over the pool)."""

    def similarity(members: Sequence[ArticleFeatures]) -> np.ndarray:
        mixed = plain(members)
        return np.asarray(mixed - slope * (float(nearest_mean(mixed, 10).mean()) - 0.3))

    return similarity


def corrections() -> dict[str, list[tuple[dict[str, float], Similarity]]]:
    """Each correction's grid of constants besides the cut (with its day penalty), the hand-set link first."""
    p = DAY_PENALTY
    return {
        "fixed": [({"day_penalty": q}, plain) for q in (0.03, 0.04, 0.05)],
        "density_cut": [({"day_penalty": p, "slope": s}, density_cut(s)) for s in (-2.0, -1.0, -0.5, 0.5, 1.0, 2.0)],
        "background": [
            ({"day_penalty": p, "k": k, "share": s}, background(k, s)) for k in (10, 30, 0) for s in (0.25, 0.5, 1.0)
        ],
        "centred": [({"day_penalty": p, "share": s}, centred(s)) for s in (0.5, 0.75, 1.0)],
        "local_centred": [
            ({"day_penalty": p, "k": k, "share": s}, centred(s, k)) for k in (10, 30) for s in (0.5, 1.0)
        ],
        "pool_idf": [({"day_penalty": p, "power": q}, pool_idf(q)) for q in (0.5, 1.0, 2.0)],
    }


Scores = dict[str, tuple[float, float]]  # month → (BCubed F1, pairwise F1)
Candidate = tuple[dict[str, float], Similarity, Scores]


def candidates(months: Sequence[Month], grid: list[tuple[dict[str, float], Similarity]]) -> list[Candidate]:
    """Every point of a grid at every cut of :data:`CUTS`, each month clustered at once (one tree per point)."""
    out: list[Candidate] = []
    for constants, similarity in grid:
        trees = {
            m.name: dendrogram(similarity(m.features) - constants["day_penalty"] * day_distance(m.features))
            for m in months
        }
        for cut in CUTS:
            scores: Scores = {}
            for month in months:
                labels = fcluster(trees[month.name], t=1.0 - cut, criterion="distance")
                s = score_clustering(dict(zip(month.external, labels.tolist(), strict=True)), month.gold)
                scores[month.name] = (s.bcubed_f1, s.pairwise_f1)
            out.append(({**constants, "cut": cut}, similarity, scores))
    return out


def objective(scores: Scores, months: Iterable[str]) -> float:
    """Mean of BCubed F1 and pairwise F1 over ``months`` (as ``bench/train_matcher.py`` chooses)."""
    return statistics.mean((scores[m][0] + scores[m][1]) / 2 for m in months)


def choose(points: list[Candidate], held: str, names: Sequence[str]) -> Candidate:
    """The point best on every month but ``held``."""
    return max(points, key=lambda c: objective(c[2], [n for n in names if n != held]))


def mean_row(rows: dict[str, dict[str, object]]) -> dict[str, float]:
    """Mean BCubed F1 and pairwise F1 of per-month rows."""
    return {k: round(statistics.mean(float(r[k]) for r in rows.values()), 4) for k in ("bcubed_f1", "pairwise_f1")}  # type: ignore[arg-type]


def floor_frontier(points: list[Candidate], floor: float) -> dict[str, object] | None:
    """In sample, the point with the best mean pairwise F1 among those that lift 2020-03 above ``floor``."""
    lifted = [c for c in points if "2020-03" in c[2] and c[2]["2020-03"][0] > floor]
    if not lifted:
        return None
    constants, _, scores = max(lifted, key=lambda c: statistics.mean(p for _, p in c[2].values()))
    return {
        "constants": constants,
        "months": {m: short(*v) for m, v in scores.items()},
        "mean": short(statistics.mean(b for b, _ in scores.values()), statistics.mean(p for _, p in scores.values())),
    }


def replayed(
    month: str, similarity: Similarity, constants: dict[str, float], settings: Settings
) -> tuple[float, float]:
    """A month replayed through ``Pipeline.recluster`` (placement and the split, as an ingest runs them) with the
    split's similarity replaced by ``similarity`` and its constants; (BCubed F1, pairwise F1)."""
    from crosscheck.clustering import segment

    cut = constants["cut"]
    lift = max(0.0, 0.1 - cut)  # the split is off at a cut of 0: move link and cut up together
    shipped = segment.pair_similarity
    segment.pair_similarity = lambda members, _weight: similarity(members) + lift  # type: ignore[assignment]
    try:
        db = CACHE / f"{month}-{cache_key(settings)}.db"
        changed = replace(settings, development_threshold=cut + lift, development_day_penalty=constants["day_penalty"])
        labels, _ = reclustered(db, changed)
    finally:
        segment.pair_similarity = shipped  # type: ignore[assignment]
    s = score_clustering(labels, load_gold(month))
    return s.bcubed_f1, s.pairwise_f1


def held_out(months: Sequence[Month], settings: Settings, replay: bool) -> dict[str, object]:
    """Every correction, its constants chosen on four months and scored on the fifth, beside the hand-set link and
    all singletons; with ``replay``, each held-out score through ``Pipeline.recluster``."""
    names = [m.name for m in months]
    results: dict[str, object] = {"singletons": {}, "hand_set": {}}
    for month in months:
        single = score_clustering({i: i for i in month.gold}, month.gold)
        results["singletons"][month.name] = {"bcubed_f1": single.bcubed_f1, "pairwise_f1": single.pairwise_f1}  # type: ignore[index]
        if replay:
            hand = replayed(month.name, plain, {"cut": CUT, "day_penalty": DAY_PENALTY}, settings)
        else:
            link = plain(month.features) - DAY_PENALTY * day_distance(month.features)
            s = score_clustering(dict(zip(month.external, cluster(link, CUT).tolist(), strict=True)), month.gold)
            hand = (s.bcubed_f1, s.pairwise_f1)
        results["hand_set"][month.name] = {"bcubed_f1": hand[0], "pairwise_f1": hand[1]}  # type: ignore[index]
    for key in ("singletons", "hand_set"):
        results[key]["mean"] = mean_row(results[key])  # type: ignore[index, arg-type]
    for name, grid in corrections().items():
        points = candidates(months, grid)
        rows: dict[str, dict[str, object]] = {}
        for month in names:
            constants, similarity, scores = choose(points, month, names)
            bcubed, pairwise = replayed(month, similarity, constants, settings) if replay else scores[month]
            rows[month] = {"constants": constants, "bcubed_f1": bcubed, "pairwise_f1": pairwise}
        results[name] = {**rows, "mean": mean_row(rows), "in_sample_above_floor": floor_frontier(points, FLOOR_2020_03)}
        print(name, json.dumps(results[name], default=float), flush=True)
    return results


FLOOR_2020_03 = 0.799  # all singletons on 2020-03 (BCubed F1)


def table(results: dict[str, object]) -> str:
    """Held-out BCubed F1 / pairwise F1 of each correction, each month and the mean, as a markdown table."""
    rows = list(results)
    months = [m for m in results["singletons"] if m != "mean"]  # type: ignore[union-attr]
    lines = ["| | " + " | ".join(months) + " | mean |", "| --- |" + " --- |" * (len(months) + 1)]
    for key in rows:
        row: dict[str, dict[str, float]] = results[key]  # type: ignore[assignment]
        cells = [short(row[m]["bcubed_f1"], row[m]["pairwise_f1"]) for m in [*months, "mean"]]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", default=",".join(MONTHS), help="months to read (default: all five)")
    parser.add_argument("--no-corrections", action="store_true", help="only the diagnosis")
    parser.add_argument(
        "--replay", action="store_true", help="score each held-out month through Pipeline.recluster (minutes)"
    )
    args = parser.parse_args()
    settings = Settings.from_env()
    months = [load_month(m, settings) for m in args.months.split(",")]
    results: dict[str, object] = {"diagnosis": {}}
    for month in months:
        results["diagnosis"][month.name] = diagnose(month)  # type: ignore[index]
        print(month.name, json.dumps(results["diagnosis"][month.name]), flush=True)  # type: ignore[index]
    if not args.no_corrections:
        results["held_out"] = held_out(months, settings, args.replay)
        print(table(results["held_out"]))  # type: ignore[arg-type]
    save_results("clustering-density-replay" if args.replay else "clustering-density", results)


if __name__ == "__main__":
    main()
