"""Scores of a clustering against gold labels: BCubed, pairwise and adjusted mutual information.

Both arguments map item ids to cluster labels; only items present in the gold are scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sklearn.metrics import adjusted_mutual_info_score


@dataclass(frozen=True)
class ClusterScores:
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    ami: float
    items: int
    predicted_clusters: int
    gold_clusters: int

    def as_dict(self) -> dict[str, float]:
        return {k: round(float(v), 4) for k, v in asdict(self).items()}


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _pairs(sizes: Counter[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def score_clustering(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> ClusterScores:
    """BCubed and pairwise precision/recall/F1 and AMI of ``predicted`` against ``gold``."""
    items = [i for i in gold if i in predicted]
    if not items:
        raise ValueError("no item of the gold labels was clustered")
    pred_sizes = Counter(predicted[i] for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    both = Counter((predicted[i], gold[i]) for i in items)
    precision = sum(both[(predicted[i], gold[i])] / pred_sizes[predicted[i]] for i in items) / len(items)
    recall = sum(both[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in items) / len(items)
    true_pairs = _pairs(both)
    pred_pairs, gold_pairs = _pairs(pred_sizes), _pairs(gold_sizes)
    pair_p = true_pairs / pred_pairs if pred_pairs else 1.0
    pair_r = true_pairs / gold_pairs if gold_pairs else 1.0
    ami = adjusted_mutual_info_score([str(gold[i]) for i in items], [str(predicted[i]) for i in items])
    return ClusterScores(
        precision, recall, _f1(precision, recall), pair_p, pair_r, _f1(pair_p, pair_r), float(ami),
        len(items), len(pred_sizes), len(gold_sizes),
    )  # fmt: skip
