"""How far subjects read from the parse can reach the labels: where each labelled figure's subject is named.

For every required figure of the two labelled sets this finds the labelled subject (compared as the scorer does,
``subject_names.same_subject``) among, in order:

- **sentence**: the names and noun phrases of the figure's own sentence (the sentence holding its evidence);
- **main name**: the name the article gives most often (``claims.memory.Memory.topic``, the extractor's
  fallback when a sentence names no owner);
- **elsewhere**: any other noun phrase or name of the article;
- **nowhere**: the label names something the article never words that way ("US weekly jobless claims" for
  "fell by 8,000 to 221,000").

A subject taken from the figure's sentence or the article's main name, as the extractor takes it, can be right
at most on the first two shares; the rest would need an editor's reading of the whole article.

    .venv/bin/python bench/claims_subject_reach.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from _shared import save_results, shared_dir
from claims import _labelled
from crosscheck.claims.evaluate import load_gold
from crosscheck.claims.gazetteer import canonical_place
from crosscheck.claims.memory import Memory
from crosscheck.claims.nlp import pipeline
from crosscheck.claims.subject_names import same_subject

PLACES = ("sentence", "main name", "elsewhere", "nowhere")


def _sentence_of(doc: Any, text: str, evidence: str) -> Any:
    at = text.find(evidence)
    return next((s for s in doc.sents if s.start_char <= at < s.end_char), None)


def _names(span: Any) -> set[str]:
    """Every name and every run of up to four words ending in a noun: a superset of the noun phrases a subject
    could be read from (the pipeline runs without the tagger's coarse tags that ``noun_chunks`` needs)."""
    first = span[0].i if len(span) else 0
    nouns = [t.i for t in span if t.tag_.startswith("NN")]
    runs = {span[0].doc[max(first, i - n) : i + 1].text for i in nouns for n in range(4)}
    names = runs | {e.text for e in span.ents}
    return names | {p for p in map(canonical_place, names) if p}  # "U.K." and "French" name the United Kingdom, France


def where_named(doc: Any, text: str, label: dict[str, Any], main_name: str | None) -> str:
    """Where the labelled subject of one figure is named: one of :data:`PLACES`."""
    subject = label["subject"]
    sentence = _sentence_of(doc, text, label["evidence"])
    if sentence is not None and any(same_subject(n, subject) for n in _names(sentence)):
        return "sentence"
    if main_name and same_subject(main_name, subject):
        return "main name"
    if any(same_subject(n, subject) for n in _names(doc)):
        return "elsewhere"
    return "nowhere"


def reach(names: list[str], texts: list[tuple[str, str | None]], gold: Path) -> dict[str, Any]:
    """The count of required labelled figures by where their subject is named, with the nowhere ones listed."""
    nlp = pipeline()
    labels = load_gold(gold)
    counts: Counter[str] = Counter()
    nowhere: list[str] = []
    for name, (text, _) in zip(names, texts, strict=True):
        doc = nlp(text)
        memory = Memory()
        for sentence in doc.sents:
            memory.observe(sentence, 0)
        main_name, _ = memory.topic()
        for label in labels.get(name, []):
            if label.get("optional"):
                continue
            place = where_named(doc, text, label, main_name)
            counts[place] += 1
            if place == "nowhere":
                nowhere.append(f"{label['subject']}: {label['evidence']}")
    required = sum(counts.values())
    shares = {p: round(counts[p] / required, 3) for p in PLACES}
    return {"required": required, "counts": {p: counts[p] for p in PLACES}, "shares": shares, "nowhere": nowhere}


def main() -> None:
    result = {label: reach(*data) for label, data in _labelled(shared_dir()).items()}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    save_results("claims-subject-reach", result)


if __name__ == "__main__":
    main()
