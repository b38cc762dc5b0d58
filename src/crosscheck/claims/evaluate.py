"""Scoring extracted claims against hand-annotated ones (``gold/seed-claims.jsonl`` in the shared data).

Per article, predicted and gold claims are matched one to one on (value, value_high, unit), values equal to
within 0.1% or 0.0001. Gold claims marked ``optional`` are marginal: a prediction matching one is neither
rewarded nor penalised, and missing one costs nothing. Subject and kind accuracy are measured over the matched
(non-optional) pairs. Each score also keeps one per unit (the gold claim's unit for matches and misses, the
predicted unit for extra claims).

Subjects are compared two ways. ``subject_exact`` asks for the gold string itself. ``subject_accuracy`` asks
whether the two name the same thing (:func:`crosscheck.claims.subject_names.same_subject`): equal once case,
articles, the spelling of the United States and company suffixes are set aside, or one a narrower form of the
other with the same head word ("Trump" of "Donald Trump", "nonfarm payrolls" of "US nonfarm payrolls"), never a
different head ("House" is not "House Republicans").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.claims.subject_names import same_subject
from crosscheck.figures import Claim


@dataclass
class Score:
    """Counts behind precision, recall, F1 and the accuracy of subject and kind on matched claims."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    subject_right: int = 0
    subject_exact_right: int = 0
    kind_right: int = 0
    errors: list[str] = field(default_factory=list)
    by_unit: dict[str, Score] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def subject_accuracy(self) -> float:
        return self.subject_right / self.true_positives if self.true_positives else 0.0

    @property
    def subject_exact(self) -> float:
        return self.subject_exact_right / self.true_positives if self.true_positives else 0.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_right / self.true_positives if self.true_positives else 0.0

    def unit(self, unit: str) -> Score:
        """The score of one unit's claims (created on first use)."""
        return self.by_unit.setdefault(unit, Score())

    def summary(self) -> dict[str, float | int]:
        """The figures a benchmark prints."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "subject_accuracy": round(self.subject_accuracy, 4),
            "subject_exact": round(self.subject_exact, 4),
            "kind_accuracy": round(self.kind_accuracy, 4),
            "matched": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


def load_gold(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Gold claims by document name."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_doc.setdefault(row["doc"], []).append(row)
    return by_doc


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(1e-4, 1e-3 * abs(b))


def _matches(claim: Claim, gold: Mapping[str, Any]) -> bool:
    return (
        claim.unit == gold["unit"]
        and _same(claim.value, gold["value"])
        and _same(claim.value_high, gold.get("value_high"))
    )


def score_article(doc: str, predicted: Iterable[Claim], gold: list[dict[str, Any]], score: Score) -> None:
    """Add one article's matches and misses to ``score``."""
    unmatched = list(gold)
    for claim in predicted:
        match = next((g for g in unmatched if _matches(claim, g)), None)
        label = f"{doc}: {claim.value:g}{'-' + format(claim.value_high, 'g') if claim.value_high else ''} {claim.unit}"
        if match is None:
            score.false_positives += 1
            score.unit(claim.unit).false_positives += 1
            score.errors.append(f"extra   {label} ({claim.subject}, {claim.kind}): {claim.evidence[:90]}")
            continue
        unmatched.remove(match)
        if match.get("optional"):
            continue
        for counted in (score, score.unit(match["unit"])):
            counted.true_positives += 1
            counted.subject_right += same_subject(claim.subject, match["subject"])
            counted.subject_exact_right += claim.subject == match["subject"]
            counted.kind_right += claim.kind == match["kind"]
        if not same_subject(claim.subject, match["subject"]) or claim.kind != match["kind"]:
            score.errors.append(
                f"wrong   {label}: {claim.subject}/{claim.kind}, gold {match['subject']}/{match['kind']}"
            )
    for g in unmatched:
        if not g.get("optional"):
            score.false_negatives += 1
            score.unit(g["unit"]).false_negatives += 1
            score.errors.append(f"missed  {doc}: {g['value']:g} {g['unit']} ({g['subject']}): {g['evidence']}")


def score_claims(predicted: Mapping[str, list[Claim]], gold: Mapping[str, list[dict[str, Any]]]) -> Score:
    """Score predictions for every gold document (a document with no predictions has them all missed)."""
    score = Score()
    for doc in sorted(gold):
        score_article(doc, predicted.get(doc, []), gold[doc], score)
    return score
