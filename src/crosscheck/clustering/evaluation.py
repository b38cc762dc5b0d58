"""Scores of a clustering against gold labels: BCubed, pairwise and adjusted mutual information.

Both arguments map item ids to cluster labels; only items present in the gold are scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Mapping
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


def score_clustering(
    predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable], items: Collection[str] | None = None
) -> ClusterScores:
    """BCubed and pairwise precision/recall/F1 and AMI of ``predicted`` against ``gold``.

    With ``items``, only those items are scored, but against whole clusters: BCubed averages over them, pairwise
    counts the pairs with at least one of them, AMI compares the two labellings restricted to them. So a part
    of the data (a held-out week) is scored without cutting the clusters that reach beyond it.
    """
    everything = [i for i in gold if i in predicted]
    scored = [i for i in everything if items is None or i in items]
    if not scored:
        raise ValueError("no item of the gold labels was clustered")
    pred_sizes = Counter(predicted[i] for i in everything)
    gold_sizes = Counter(gold[i] for i in everything)
    both = Counter((predicted[i], gold[i]) for i in everything)
    precision = sum(both[(predicted[i], gold[i])] / pred_sizes[predicted[i]] for i in scored) / len(scored)
    recall = sum(both[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in scored) / len(scored)
    outside = [i for i in everything if items is not None and i not in items]
    true_pairs = _pairs(both) - _pairs(Counter((predicted[i], gold[i]) for i in outside))
    pred_pairs = _pairs(pred_sizes) - _pairs(Counter(predicted[i] for i in outside))
    gold_pairs = _pairs(gold_sizes) - _pairs(Counter(gold[i] for i in outside))
    pair_p = true_pairs / pred_pairs if pred_pairs else 1.0
    pair_r = true_pairs / gold_pairs if gold_pairs else 1.0
    ami = adjusted_mutual_info_score([str(gold[i]) for i in scored], [str(predicted[i]) for i in scored])
    return ClusterScores(
        precision, recall, _f1(precision, recall), pair_p, pair_r, _f1(pair_p, pair_r), float(ami),
        len(scored), len({predicted[i] for i in scored}), len({gold[i] for i in scored}),
    )  # fmt: skip
