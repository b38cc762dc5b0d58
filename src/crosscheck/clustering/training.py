"""Training the learned story matcher (:mod:`.matcher`): pair signals of a pool of reports, labelled pairs, a
logistic regression over them, and the model file that says what it was trained on.

Two sources of labels use it. ``bench/train_matcher.py`` labels every pair of a month's reports from the gold
files of the research corpus. A newsroom has no gold files: its labels are its editors' corrections
(:func:`corrections_pairs`), which ``crosscheck stories train-matcher`` learns from.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from crosscheck.clustering.clusterer import ArticleFeatures
from crosscheck.clustering.matcher import FEATURES, PairModel, pair_signals
from crosscheck.clustering.segment import day_distance

REGULARISATION = 1.0  # scikit-learn's default C; not tuned
MIN_PAIRS_EACH = 10  # corrected pairs needed of each kind (together, apart) before a regression is fitted
CORRECTIONS_CUT = 0.5  # with balanced classes, where a pair is as likely one story as two


def upper_pair_signals(members: Sequence[ArticleFeatures]) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The signals of every two members of a pool (a split's pool: news days and ranks are read within it): the
    positions of each pair (upper triangle) and one row of :data:`FEATURES` per pair."""
    upper = np.triu_indices(len(members), k=1)
    signals = np.stack([s[upper] for s in pair_signals(members, day_distance(members))], axis=1)
    return (upper[0], upper[1]), signals


def fit(
    signals: np.ndarray,
    same: np.ndarray,
    cut: float,
    trained_on: dict[str, object],
    *,
    balanced: bool = False,
) -> PairModel:
    """A logistic regression on labelled pairs (one row of signals each, standardised), with the given cut.

    ``balanced`` weighs the two kinds of pairs equally, however many of each there are.
    """
    mean, scale = signals.mean(axis=0), signals.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    regression = LogisticRegression(C=REGULARISATION, max_iter=2000, class_weight="balanced" if balanced else None).fit(
        (signals - mean) / scale, same
    )
    return PairModel(
        features=list(FEATURES),
        mean=[round(float(v), 6) for v in mean],
        scale=[round(float(v), 6) for v in scale],
        coef=[round(float(v), 6) for v in regression.coef_[0]],
        intercept=round(float(regression.intercept_[0]), 6),
        cut=cut,
        trained_on=trained_on,
    )


# --- learning from corrections --------------------------------------------------------------------------


class TooFewPairs(ValueError):
    """The corrections label too few pairs of stored reports to learn from."""


@dataclass
class LabelledPairs:
    """Pairs of stored reports that corrections label: article ids, signals and whether they share a story."""

    pairs: list[tuple[int, int]]  # (smaller id, larger id)
    signals: np.ndarray  # pairs × features
    same: np.ndarray  # pairs: True where the corrections put the two together
    corrections: int
    pool: int  # reports the signals were read among


def labelled_ids(key_pairs: Sequence[tuple[str, str, bool]], id_of: dict[str, int]) -> dict[tuple[int, int], bool]:
    """The pairs of article keys that corrections label, as pairs of stored originals (copies stand for their
    original). A pair labelled both ways (through a copy and its original) is left out, and so is a pair whose
    articles are not both stored."""
    labels: dict[tuple[int, int], bool] = {}
    conflicting: set[tuple[int, int]] = set()
    for first, second, same in key_pairs:
        a, b = id_of.get(first), id_of.get(second)
        if a is None or b is None or a == b:
            continue
        pair = (min(a, b), max(a, b))
        if labels.get(pair, same) != same:
            conflicting.add(pair)
        labels[pair] = same
    return {pair: same for pair, same in labels.items() if pair not in conflicting}


def corrections_pairs(
    corrections: int,
    labels: dict[tuple[int, int], bool],
    members: Sequence[ArticleFeatures],
) -> LabelledPairs:
    """The signals of the labelled pairs, read within the pool ``members`` (the reports of the stories that hold
    the corrected articles); a pair with a report outside the pool (no stored features) is left out."""
    position = {m.article_id: p for p, m in enumerate(members)}
    kept = sorted(pair for pair in labels if pair[0] in position and pair[1] in position)
    if len(members) < 2 or not kept:
        return LabelledPairs([], np.empty((0, len(FEATURES))), np.empty(0, dtype=bool), corrections, len(members))
    matrices = list(pair_signals(members, day_distance(members)))
    rows = np.array([position[a] for a, _ in kept]), np.array([position[b] for _, b in kept])
    signals = np.stack([matrix[rows] for matrix in matrices], axis=1)
    same = np.array([labels[pair] for pair in kept], dtype=bool)
    return LabelledPairs(kept, signals, same, corrections, len(members))


def check_enough(labelled: LabelledPairs) -> None:
    """:class:`TooFewPairs` saying how many pairs were found and how many are needed, unless there are enough."""
    together = int(labelled.same.sum())
    apart = len(labelled.same) - together
    if together < MIN_PAIRS_EACH or apart < MIN_PAIRS_EACH:
        raise TooFewPairs(
            f"too few corrected pairs to learn from: {_count(labelled.corrections, 'correction')} label "
            f"{_count(together, 'pair')} together and {apart} apart among the stored reports; at least "
            f"{MIN_PAIRS_EACH} of each are needed"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def train_on_corrections(labelled: LabelledPairs, provenance: dict[str, object]) -> PairModel:
    """A logistic regression on the pairs the corrections label, the two kinds weighed equally, cut at 0.5.

    ``provenance`` (the database, the settings the features were read with) is recorded in the model with the
    counts of corrections, pairs and positives. :class:`TooFewPairs` when there are not enough of either kind.
    """
    check_enough(labelled)
    started = time.perf_counter()
    together = int(labelled.same.sum())
    trained_on: dict[str, object] = {
        "method": "logistic",
        "labels": "corrections",
        **provenance,
        "corrections": labelled.corrections,
        "reports_in_pool": labelled.pool,
        "pairs": len(labelled.pairs),
        "same_story_pairs": together,
        "apart_pairs": len(labelled.pairs) - together,
        "unlabelled_pairs": "left out",
        "regularisation_C": REGULARISATION,
        "class_weight": "balanced",
    }
    model = fit(labelled.signals, labelled.same, CORRECTIONS_CUT, trained_on, balanced=True)
    link = model.link(labelled.signals.T)  # one column of pair values per signal
    agree = (link >= model.cut) == labelled.same
    model.trained_on["pairs_on_the_right_side_of_the_cut"] = round(float(agree.mean()), 4)
    model.trained_on["train_seconds"] = round(time.perf_counter() - started, 2)
    return model
