"""Whether a model learned from the labels chooses a figure's subject better than the extractor's rules.

For every required labelled figure the extractor matches (both labelled sets), the candidates are the names and
noun phrases of the figure's sentence (entities by their root, places in their canonical form; other nouns as
``things.noun_phrase`` names them), plus the extractor's own subject when no candidate is the same thing. Each
candidate gets a few structural features: whether it is the extractor's pick or the article's main name, its
dependency relation, whether the figure modifies it, its tree distance to the figure, whether it comes first,
whether it is the subject of the figure's clause or of a verb of saying, its entity type, how often its head word
occurs in the article and whether it does in the opening, and its length. A model scores the candidates and the
best is the figure's subject. Scored leaving one article out (trained on the other 28 articles of both sets),
as "the same thing" (``subject_names.same_subject``), beside the extractor's rules on the same figures:

    .venv/bin/python bench/claims_subject_model.py
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from _shared import save_results, shared_dir
from claims import _labelled
from crosscheck.claims import ClaimExtractor
from crosscheck.claims.evaluate import _matches, load_gold
from crosscheck.claims.extract import _plain
from crosscheck.claims.gazetteer import canonical_place
from crosscheck.claims.memory import Memory
from crosscheck.claims.nlp import pipeline
from crosscheck.claims.subject_names import same_subject, subject_words
from crosscheck.claims.subjects import SPEECH_VERBS
from crosscheck.claims.things import noun_phrase
from crosscheck.claims.tokens import lemma, pos
from crosscheck.figures import Claim

DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "poss", "compound", "conj", "appos", "attr", "npadvmod")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP")


@dataclass
class Figure:
    """One matched labelled figure: its candidates' features and whether each is the labelled subject."""

    labelled_set: str
    article: str
    rules_right: bool
    features: list[list[float]]
    right: list[bool]


@dataclass
class Article:
    """What the features read from a whole article."""

    main_name: str | None
    word_counts: Counter[str]
    opening: set[str]
    entities: dict[int, Any]


def _tree_distance(a: Any, b: Any) -> int:
    up: dict[int, int] = {}
    node, steps = a, 0
    while True:
        up[node.i] = steps
        if node.head.i == node.i:
            break
        node, steps = node.head, steps + 1
    node, steps = b, 0
    while node.i not in up:
        if node.head.i == node.i:
            return 20
        node, steps = node.head, steps + 1
    return steps + up[node.i]


def _clause_subject(anchor: Any) -> Any:
    node = anchor
    for _ in range(10):
        if pos(node) in ("VERB", "AUX"):
            found = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
            if found:
                return found[0]
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _candidates(sent: Any, skip: set[int], article: Article) -> dict[str, tuple[Any, str]]:
    found: dict[str, tuple[Any, str]] = {}
    for token in sent:
        if token.i in skip or not token.tag_.startswith("NN"):
            continue
        entity = article.entities.get(token.i)
        if entity is not None and token.i != entity.root.i:
            continue
        name = (
            (canonical_place(entity.text) or entity.text) if entity is not None else noun_phrase(token, frozenset(skip))
        )
        if name:
            found.setdefault(name, (token, entity.label_ if entity is not None else ""))
    return found


def _features(name: str, token: Any, kind: str, anchor: Any, claim: Claim, article: Article) -> list[float]:
    sent = anchor.sent
    speakers = {c.i for v in sent if lemma(v) in SPEECH_VERBS and pos(v) == "VERB" for c in v.children
                if c.dep_ == "nsubj"}  # fmt: skip
    subject = _clause_subject(anchor)
    words = subject_words(name)
    head = words[-1] if words else ""
    kind = "GPE" if kind == "LOC" else kind
    return [
        float(same_subject(name, claim.subject)),
        float(bool(article.main_name) and same_subject(name, str(article.main_name))),
        *(float(token.dep_ == d) for d in DEPS),
        float(anchor.head.i == token.i),
        math.log1p(_tree_distance(anchor, token)),
        float(token.i < anchor.i),
        float(subject is not None and subject.i == token.i),
        *(float(kind == e) for e in ENTITY_TYPES),
        math.log1p(article.word_counts.get(head, 0)),
        float(head in article.opening),
        float(token.i in speakers),
        math.log1p(len(words)),
    ]


def _read_article(doc: Any, plain: str) -> Article:
    memory = Memory()
    memory.learn_names(plain)
    for sentence in doc.sents:
        memory.observe(sentence, 0)
    words = [t.lower_ for t in doc if t.is_alpha]
    return Article(memory.topic()[0], Counter(words), set(words[:60]), {t.i: e for e in doc.ents for t in e})


def _figure(doc: Any, claim: Claim, label: dict[str, Any], article: Article, where: tuple[str, str]) -> Figure | None:
    span = doc.char_span(claim.figure_start, claim.figure_end, alignment_mode="expand")
    if span is None:
        return None
    anchor, skip = span.root, {t.i for t in span}
    candidates = _candidates(anchor.sent, skip, article)
    rows = [(name, _features(name, tok, kind, anchor, claim, article)) for name, (tok, kind) in candidates.items()]
    if not any(same_subject(name, claim.subject) for name in candidates):
        rows.append((claim.subject, [1.0] + [0.0] * (len(_blank_features()) - 1)))
    subject = label["subject"]
    return Figure(*where, same_subject(claim.subject, subject), [f for _, f in rows],
                  [same_subject(name, subject) for name, _ in rows])  # fmt: skip


def _blank_features() -> list[float]:
    return [0.0] * (2 + len(DEPS) + 4 + len(ENTITY_TYPES) + 4)


def read_figures() -> list[Figure]:
    """Every matched required labelled figure of both sets, with its candidates."""
    nlp, extractor = pipeline(), ClaimExtractor()
    figures: list[Figure] = []
    for labelled_set, (names, texts, gold) in _labelled(shared_dir()).items():
        labels = load_gold(gold)
        for name, (text, _), found in zip(names, texts, extractor.extract_many(texts), strict=True):
            plain = _plain(text)
            doc = nlp(plain)
            article = _read_article(doc, plain)
            unmatched = list(labels.get(name, []))
            for claim in found.claims:
                label = next((g for g in unmatched if _matches(claim, g)), None)
                if label is None:
                    continue
                unmatched.remove(label)
                figure = None if label.get("optional") else _figure(doc, claim, label, article, (labelled_set, name))
                if figure is not None:
                    figures.append(figure)
    return figures


def leave_one_article_out(figures: Sequence[Figure], make: Callable[[], Any]) -> dict[str, dict[str, int]]:
    """Figures whose chosen subject is the same thing as the label, per set, each article scored by a model
    trained on the others; beside the rules' count on the same figures."""
    result: dict[str, dict[str, int]] = {}
    for article in sorted({(f.labelled_set, f.article) for f in figures}):
        train = [f for f in figures if (f.labelled_set, f.article) != article]
        x = np.array([row for f in train for row in f.features])
        y = np.array([right for f in train for right in f.right])
        model = make().fit(x, y)
        for figure in (f for f in figures if (f.labelled_set, f.article) == article):
            counts = result.setdefault(figure.labelled_set, {"figures": 0, "rules": 0, "model": 0, "reachable": 0})
            scores = model.predict_proba(np.array(figure.features))[:, 1]
            counts["figures"] += 1
            counts["rules"] += figure.rules_right
            counts["model"] += figure.right[int(np.argmax(scores))]
            counts["reachable"] += any(figure.right)
    return result


def main() -> None:
    figures = read_figures()
    models: dict[str, Callable[[], Any]] = {
        "logistic C=0.1": lambda: LogisticRegression(C=0.1, max_iter=2000),
        "logistic C=1": lambda: LogisticRegression(C=1.0, max_iter=2000),
        "logistic C=10": lambda: LogisticRegression(C=10.0, max_iter=2000),
        "boosted trees": lambda: GradientBoostingClassifier(n_estimators=100, max_depth=2, random_state=0),
    }
    result = {name: leave_one_article_out(figures, make) for name, make in models.items()}
    print(json.dumps(result, indent=2))
    save_results("claims-subject-model", result)


if __name__ == "__main__":
    main()
