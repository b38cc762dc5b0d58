"""What a figure measures or counts, as a noun phrase from the parse, for figures no one is named as owning.

News about budgets names an owner ("the UK's defence spending"); most other news names the measured thing
itself: "the unemployment rate is expected to hold at 3.6%", "100 House Democrats have said…", "only 25 states
still have the death penalty". Such a figure is about that thing, not about whoever the article names most.

- :func:`named_group` — a count of people named by a proper noun ("100 House Democrats", "Uighur Muslims"):
  the group is the subject, whatever the clause says of it;
- :func:`measured_thing` — otherwise, when the parse names no owner: the subject of the figure's clause, if it
  is a common noun ("average hourly wages are expected to increase by 0.3%"), else the noun the figure counts
  or describes ("25 states", "five death-row inmates").

Nouns that say nothing by themselves (people, times, percent, total…) and the nouns whose figures belong to an
owner (spending, GDP, targets: :mod:`subjects` reads those) are no subject.
"""

from __future__ import annotations

from typing import Any

from crosscheck.claims.subjects import GDP_NOUNS, SPEECH_VERBS, SPENDING_NOUNS, TARGET_NOUNS
from crosscheck.claims.tokens import NOT_OF_A_NAME, lemma, pos, register

_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_MODIFIES = ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod")
# Nouns that name nothing a figure is about on their own ("150 million people", "three times", "a total of").
_EMPTY = frozenset(
    {"people", "person", "persons", "time", "times", "percent", "percentage", "point", "points", "dollar",
     "dollars", "cent", "cents", "year", "years", "month", "months", "day", "days", "number", "numbers", "total",
     "amount", "figure", "figures", "one", "ones", "thing", "things", "lot", "majority", "share", "part", "half",
     "level", "levels", "rate", "increase", "rise", "drop", "fall", "decline", "gain", "cut", "way", "%", "$",
     "some", "all", "most", "many", "each", "more", "others", "record", "average", "least", "what", "that"}
)  # fmt: skip
# Verbs that give their subject a value or a change of value: "the rate is expected to hold at 3.6%".
MEASURE_VERBS = register(
    {"be", "rise", "fall", "increase", "decrease", "grow", "climb", "drop", "decline", "hold", "reach", "total",
     "remain", "stand", "hit", "jump", "surge", "slip", "dip", "gain", "lose", "top", "exceed", "average",
     "amount", "edge", "tick", "slow", "shrink", "double", "triple", "soar", "plunge", "sink", "come", "stay",
     "cost", "number", "account", "represent", "make", "run", "tally", "equal", "post", "show"}
)  # fmt: skip
_OWNED = GDP_NOUNS | SPENDING_NOUNS | TARGET_NOUNS


def noun_phrase(head: Any, skip: frozenset[int]) -> str | None:
    """The name of the thing ``head`` stands for: its compounds and adjectives up to the head ("unemployment
    rate", "House Democrats", "death-row inmates"), without figures, determiners or qualifiers; None for an
    empty noun ("people") or one whose figures belong to an owner ("spending")."""
    if pos(head) not in ("NOUN", "PROPN") or head.i in skip or head.lower_ in _OWNED or lemma(head) in _OWNED:
        return None
    if any(c.dep_ == "poss" for c in head.children):
        return None  # "his job approval": the owner's, which the owner walk or the article's topic gives
    start = head.i
    for child in sorted(head.children, key=lambda c: -c.i):
        if child.i > head.i or child.dep_ not in (*_MODIFIES, "punct") or child.i != start - 1:
            continue
        if child.i in skip or child.lower_ in NOT_OF_A_NAME or not (child.is_alpha or child.text in "-–"):
            break
        start = min(t.i for t in child.subtree)
        if any(t.i in skip or t.like_num for t in head.doc[start : head.i]):
            start = child.i  # "five death-row" → keep the modifier, drop what came with its subtree
    words = [t for t in head.doc[start : head.i + 1] if t.lower_ not in NOT_OF_A_NAME and t.i not in skip]
    if len(words) == 1 and (head.lower_ in _EMPTY or head.tag_ in ("PRP", "PRP$", "WP")):
        return None
    text = "".join(t.text_with_ws for t in words).strip().lstrip("-– ")  # never "-page" for "448-page"
    return text or None


def named_group(anchor: Any, skip: frozenset[int]) -> str | None:
    """A counted group named by a proper noun: "100 House Democrats" → "House Democrats"; "eight Democrats"."""
    noun = anchor.head if anchor.dep_ in ("nummod", "quantmod") else None
    if noun is None or noun.tag_ not in ("NNS", "NNPS"):
        return None
    named = (
        noun.tag_ == "NNPS"
        or noun.ent_type_ == "NORP"
        or any(
            c.dep_ in ("compound", "amod") and c.i < noun.i and (c.tag_ == "NNP" or c.ent_type_ == "NORP")
            for c in noun.children
        )
    )  # "eight Democrats", "13 House Republicans", "nearly a million Uighur Muslims"
    return noun_phrase(noun, skip) if named else None


def measured_thing(anchor: Any, skip: frozenset[int]) -> str | None:
    """The thing a figure with no named owner measures: its clause's common-noun subject, else the noun the
    figure counts or describes."""
    node = anchor
    for _ in range(8):
        if pos(node) in ("VERB", "AUX"):
            subject = next((c for c in node.children if c.dep_ in _SUBJECT_DEPS), None)
            speech = lemma(node) in SPEECH_VERBS
            if speech and (subject is None or subject.dep_ != "nsubjpass"):
                break  # "economists expect 140,000": who expects is a speaker, not the thing
            if subject is not None:
                # "wages rose by 0.3%", "the rate is expected to hold at 3.6%": a verb of measure or change, or
                # a passive, says the figure is its subject's; after any other verb ("leaders threatened three
                # sites") the subject is an actor
                within = subject.i <= anchor.i <= subject.right_edge.i
                measures = lemma(node) in MEASURE_VERBS or subject.dep_ == "nsubjpass" or within
                thing = _common(subject, skip) if measures else None
                return thing or _counted(anchor, skip)
        if node.dep_ == "ROOT" or node.head.i == node.i:
            break
        node = node.head
    return _counted(anchor, skip)


def _common(token: Any, skip: frozenset[int]) -> str | None:
    if token.ent_type_ and token.ent_type_ not in ("CARDINAL", "PERCENT", "MONEY", "QUANTITY"):
        return None  # a name: the owner walk of :mod:`subjects` has had its say
    if token.tag_ not in ("NN", "NNS"):
        return None
    return noun_phrase(token, skip)


def _counted(anchor: Any, skip: frozenset[int]) -> str | None:
    if anchor.dep_ not in _MODIFIES or anchor.head.i == anchor.i:
        return None
    noun = anchor.head
    hyphen = noun.i == anchor.i + 2 and noun.doc[anchor.i + 1].text in "-–"
    if hyphen and noun.dep_ in ("compound", "amod") and noun.head.i > noun.i:
        # "the 448-page document", "a six-term senator": the figure describes the noun the pair modifies
        return noun_phrase(noun.head, skip | {t.i for t in noun.subtree})
    return noun_phrase(noun, skip)
