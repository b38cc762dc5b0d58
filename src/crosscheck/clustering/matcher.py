"""A learned matcher: how strongly two reports are linked, by weights learned from labelled pairs.

The split (:mod:`.segment`) groups the reports of a story and of the stories dated near it by average linkage.
With ``story_matcher = "hand-set"`` two reports are linked by the clusterer's similarity less a constant per
news day between them; with ``"learned"`` by a weighted sum of the signals listed in :data:`FEATURES` (or, for a
model made with ``--method logistic``, the probability a logistic regression gives that they tell one story).
The model is a small JSON file of weights and the cut, both chosen in training (:mod:`.training`: from labelled
months by ``bench/train_matcher.py``, from an editor's corrections by ``crosscheck stories train-matcher``), which
records what it learned from; nothing is downloaded or fitted at run time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from crosscheck.clustering.clusterer import ArticleFeatures
from crosscheck.clustering.index import day_number
from crosscheck.clustering.lexical import WORD_FEATURES

SHIPPED = Path(__file__).with_name("matcher.json")
MATCHERS = ("hand-set", "learned")

FEATURES = (
    "embedding_cosine",  # MiniLM, title and lead
    "term_cosine",  # TF-IDF of words and entity names
    "embedding_x_term",
    "entity_jaccard",  # entity names the two share, of those either has
    "shared_entities",  # log(1 + how many)
    "news_days",  # days on which the pool was reported between the two
    "calendar_days",  # log(1 + days between the two)
    "undated",  # either has no date
    "rank_near",  # log(1 + the nearer of each one's rank among the other's neighbours, by embedding cosine)
    "rank_far",  # log(1 + the farther)
)


@dataclass(frozen=True)
class PairModel:
    """A linear link over :data:`FEATURES` (standardised by ``mean`` and ``scale``), and the cut of the average linkage.

    With ``logistic`` the link is a probability (a logistic regression); without, the linear score itself, on the
    scale of the hand-set link (whose weights are the search's starting point).
    """

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    cut: float  # groups of reports stay one story while their average link is at least this
    logistic: bool = True
    trained_on: dict[str, object] = field(default_factory=dict)

    def link(self, signals: Iterable[np.ndarray]) -> np.ndarray:
        """The link of every pair (P(same story) when ``logistic``), from one array per feature: an n × n matrix
        (:func:`pair_signals`) or one value per pair (the columns of a pairs × features table).

        Summed one signal at a time: a pool of 2,000 reports holds 4 million pairs.
        """
        logit: np.ndarray | float = self.intercept
        for signal, mean, scale, coef in zip(signals, self.mean, self.scale, self.coef, strict=True):
            logit = logit + (coef / scale) * (signal - mean)
        score = np.asarray(logit, dtype=np.float64)
        return np.asarray(1.0 / (1.0 + np.exp(-score))) if self.logistic else score

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> PairModel:
        """Read a model file; a clear error names the file when it is missing, malformed or for other features."""
        try:
            data = json.loads(path.read_text())
            model = cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise ValueError(f"story matcher {path}: not a readable model file ({exc})") from exc
        if list(model.features) != list(FEATURES):
            raise ValueError(f"story matcher {path}: made for features {model.features}, this version has {FEATURES}")
        return model


@lru_cache(maxsize=4)
def load_matcher(path: str) -> PairModel:
    """The model at ``path`` (empty: the one shipped with crosscheck), read once per process."""
    return PairModel.load(Path(path) if path else SHIPPED)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def _sparse(members: Sequence[ArticleFeatures], entities_only: bool) -> csr_matrix:
    """Members' term weights (or a 1 per entity name) as rows of a sparse matrix, term rows of unit length."""
    columns: dict[int, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, member in enumerate(members):
        items = [(f, w) for f, w in member.terms.items() if not entities_only or f >= WORD_FEATURES]
        norm = 1.0 if entities_only else float(np.sqrt(sum(w * w for _, w in items))) or 1.0
        for feature, weight in items:
            rows.append(row)
            cols.append(columns.setdefault(feature, len(columns)))
            values.append(1.0 if entities_only else weight / norm)
    return csr_matrix((values, (rows, cols)), shape=(len(members), max(1, len(columns))))


def _ranks(similarity: np.ndarray) -> np.ndarray:
    """ranks[a, b]: the place of b among a's most similar members (0: the most similar other)."""
    scores = similarity.copy()
    np.fill_diagonal(scores, -np.inf)
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(len(scores))[None, :].repeat(len(scores), axis=0), axis=1)
    return ranks


def pair_signals(members: Sequence[ArticleFeatures], news_days: np.ndarray) -> Iterator[np.ndarray]:
    """The signals of every two members, one n × n matrix each, in the order of :data:`FEATURES`.

    ``news_days`` is the split's distance in news days (:func:`crosscheck.clustering.segment.day_distance`).
    """
    embeddings = _unit_rows(np.stack([m.embedding for m in members]).astype(np.float64))
    dense = embeddings @ embeddings.T
    yield dense
    terms = _sparse(members, entities_only=False)
    lexical = np.asarray((terms @ terms.T).todense())
    yield lexical
    yield dense * lexical
    del lexical
    names = _sparse(members, entities_only=True)
    shared = np.asarray((names @ names.T).todense())
    counts = np.asarray(names.sum(axis=1)).ravel()
    union = counts[:, None] + counts[None, :] - shared
    yield np.where(union > 0, shared / np.where(union > 0, union, 1.0), 0.0)
    del union
    yield np.log1p(shared)
    del shared
    yield news_days
    days = [day_number(m.day) for m in members]
    known = np.array([d is not None for d in days])
    values = np.array([d if d is not None else 0 for d in days], dtype=np.float64)
    both = known[:, None] & known[None, :]
    yield np.log1p(np.where(both, np.abs(values[:, None] - values[None, :]), 0.0))
    yield (~both).astype(np.float64)
    ranks = _ranks(dense)
    yield np.log1p(np.minimum(ranks, ranks.T).astype(np.float64))
    yield np.log1p(np.maximum(ranks, ranks.T).astype(np.float64))


def learned_link(members: Sequence[ArticleFeatures], news_days: np.ndarray, path: str) -> tuple[np.ndarray, float]:
    """The link of every two members under the model at ``path``, and the model's cut."""
    model = load_matcher(path)
    return model.link(pair_signals(members, news_days)), model.cut
