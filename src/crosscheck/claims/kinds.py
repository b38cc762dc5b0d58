"""Whether a figure is a reported fact, a target (goal, pledge, demand, proposal) or a forecast.

The words between the figure and its clause decide, nearest first: a target noun on the figure ("the 2% target",
"a compromise of 3.5%") or a verb of aiming above it ("allies should commit to spending 5%") make a target; a verb
of expecting ("expects to reach 2%") or a modal ("could … within three years") a forecast; a verb in a past or
perfect tense governing the figure ("was projected to have spent 3.38%") a report, whatever frames it.
"""

from __future__ import annotations

from typing import Any

from crosscheck.claims.tokens import lemma, pos, register

REPORTED, TARGET, FORECAST = "reported", "target", "forecast"
KINDS = (REPORTED, TARGET, FORECAST)

TARGET_WORDS = register(
    {"target", "goal", "aim", "objective", "pledge", "commitment", "commit", "demand", "requirement", "require",
     "benchmark", "threshold", "guideline", "floor", "ambition", "plan", "proposal", "propose", "compromise",
     "promise", "vow", "deadline", "window", "urge", "call", "push", "press", "want", "agree", "agreement",
     "insist", "seek", "intend", "ask", "set", "advocate", "aspire", "allocate", "earmark", "devote",
     "mandate", "formula", "recommend", "need", "declaration", "decision", "deal", "ceiling", "cap", "limit",
     "allow", "maximum", "minimum", "request"}
)  # fmt: skip
# The terms of a settled deal are facts, whatever tense states them ("Equifax will pay $700 million to settle").
SETTLED_WORDS = register({"settle", "settlement", "contract", "award", "fine", "penalty"})
# Verbs whose object is who is asked, not what is aimed at: "call on 70 governments to repeal…" counts them.
ADDRESS_VERBS = register({"call", "urge", "press", "ask", "encourage", "pressure", "tell"})
FORECAST_WORDS = register(
    {"expect", "expectation", "project", "projection", "forecast", "predict", "prediction", "anticipate", "likely",
     "outlook"}
)  # fmt: skip
FORECAST_VERBS = register({"take", "cost"})  # "will take 5 to 15 years", "would cost £30bn" (not "a cost of")
RAISE_VERBS = register({"raise", "increase", "boost", "lift", "ramp", "bring", "double"})
ATTAIN_VERBS = register({"reach", "hit", "meet", "achieve", "attain"})  # "preparing to reach 3%": a level aimed at
TARGET_MODALS = frozenset({"should", "must", "ought"})
FORECAST_MODALS = frozenset({"will", "would", "could", "may", "might", "'ll", "shall"})
_SELF = frozenset({"he", "she", "we", "i"})
PLEDGE_VERBS = register({"announce", "promise", "pledge", "vow", "insist", "declare"})
_STOP_AT = register({"say", "tell", "add", "report", "write", "note", "claim", "argue"})


def _tense_is_past(verb: Any) -> bool:
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and lemma(c) == "have" for c in verb.children)


def _names_a_target(noun: Any) -> bool:
    words = [noun, *(c for c in noun.children if c.dep_ in ("compound", "amod"))]
    return any(lemma(w) in TARGET_WORDS and pos(w) == "NOUN" for w in words)


def _target_after(span: Any) -> bool:
    """ "the existing 2% of GDP defense spending target", "the 5% spending requirement": the figure's own noun."""
    doc = span.doc
    for token in doc[span.end : min(len(doc), span.end + 7)]:
        if pos(token) not in ("NOUN", "PROPN", "ADJ", "ADP", "DET", "PART", "PRON") or (
            pos(token) == "ADP" and token.lower_ != "of"
        ):
            return False
        if pos(token) == "NOUN" and lemma(token) in TARGET_WORDS:
            return True
    return False


def _from_level(span: Any) -> bool:
    """ "up from 3.1% in May", "down from four out of 10": the level a change starts from was reported."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].lower_ in ("just", "about", "around", "nearly", "roughly"):
        i -= 1
    return i >= 0 and doc[i].lower_ == "from" and i > 0 and doc[i - 1].lower_ in ("up", "down")


def _addressed(span: Any) -> bool:
    """ "call on more than 70 governments to repeal": the figure counts who is asked."""
    root = span.root
    if root.dep_ in ("nummod", "quantmod") and root.head.i != root.i:
        root = root.head  # "70 governments": what the verb addresses is the noun the figure counts
    head = root.head
    if root.dep_ == "dobj" and lemma(head) in ADDRESS_VERBS:
        return True
    return root.dep_ == "pobj" and head.lower_ == "on" and lemma(head.head) in ADDRESS_VERBS


def _other_sense(node: Any, word: str) -> bool:
    """ "called attention to a poll" is no call for anything: "call" aims only with "for", "on" or a clause."""
    if word != "call" or pos(node) not in ("VERB", "AUX"):
        return False
    return not any(c.lower_ in ("for", "on") or c.dep_ in ("xcomp", "ccomp") for c in node.children)


def _expected_above(verb: Any) -> bool:
    """ "Economists expect to see 165,000 jobs were added": a past event that is still expected, not known."""
    node = verb
    for _ in range(4):
        if node.head.i == node.i or node.dep_ not in ("ccomp", "xcomp"):
            return False  # only what the clause is the complement of expects it ("but 40 members added…" is not)
        node = node.head
        if lemma(node) in FORECAST_WORDS and pos(node) == "VERB" and node.tag_ in ("VBP", "VBZ", "VBG", "VB"):
            return True
    return False


def _own_intention(verb: Any) -> bool:
    """ "Trump said he would fund the wall with $8.1 billion": what a speaker says they will do is a pledge, not a
    forecast. The clause's subject is the speaker ("he", "we", or the same name) of the verb of saying above."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    saying = verb.head
    if subject is None or verb.dep_ != "ccomp" or lemma(saying) not in _STOP_AT | PLEDGE_VERBS:
        return False
    speaker = next((c for c in saying.children if c.dep_ == "nsubj"), None)
    if speaker is None and saying.dep_ == "conj":  # "Trump declared an emergency and said he would…"
        speaker = next((c for c in saying.head.children if c.dep_ == "nsubj"), None)
    if speaker is None or speaker.tag_ in ("NN", "NNS"):
        return False  # "analysts say it could…": no one speaks of their own plans
    return subject.lower_ in _SELF or subject.lower_ == speaker.lower_


def _circumstance(node: Any) -> bool:
    """ "With 359 co-sponsors, the bill is expected to sail through", "Ten years into the recovery, the economy may be
    slowing": a phrase set before its clause, ended by a comma, states how things stand, whatever the clause then
    expects; unless the phrase itself expects or aims ("With 5% growth expected"), or, but for "with" ("with the
    rate hovering at 3.9%"), holds a verb of its own ("If spending rises to 3%", "To reach 3%")."""
    sent = node.sent
    if node.left_edge.i != sent.start or pos(node.head) not in ("VERB", "AUX") or node.head.i < node.i:
        return False
    after = node.right_edge.i + 1
    if after >= sent.end or node.doc[after].text != ",":
        return False
    verbs = node.lower_ != "with"
    return not any(
        lemma(t) in FORECAST_WORDS | TARGET_WORDS or (verbs and pos(t) in ("VERB", "AUX")) for t in node.subtree
    )


def classify(span: Any) -> str:
    """The kind of the figure ``span`` (a spaCy Span)."""
    if _target_after(span):
        return TARGET
    if _from_level(span) or _addressed(span) or any(lemma(t) in SETTLED_WORDS for t in span.sent):
        return REPORTED
    anchor = span.root
    node: Any = anchor
    weak: str | None = None
    first_verb = True
    for _ in range(12):
        word = lemma(node)
        if _circumstance(node):
            return weak or REPORTED
        if (word in TARGET_WORDS or node.lower_ in TARGET_WORDS) and not _other_sense(node, word):
            return TARGET
        if word == "expect" and any(c.dep_ == "auxpass" and c.tag_ in ("VBN", "VBD") for c in node.children):
            return TARGET  # "countries had been expected to spend 2%": an obligation, not a prediction
        if word in FORECAST_WORDS or (word in FORECAST_VERBS and pos(node) == "VERB"):
            return FORECAST
        if pos(node) in ("VERB", "AUX"):
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            passive = any(c.dep_ == "auxpass" for c in node.children)
            if weak is None and (
                (word in ATTAIN_VERBS | RAISE_VERBS and infinitive) or (word in RAISE_VERBS and passive)
            ):
                weak = TARGET  # "preparing to reach 3%", "to raise spending to 5%", "will be increased to 5%"
            for child in node.children:
                if child.dep_ == "aux" and child.lower_ in TARGET_MODALS:
                    return TARGET
                if child.dep_ in ("nsubj", "nsubjpass") and _names_a_target(child):
                    return TARGET  # "Rutte's compromise formula is for allies to increase … to 3.5%"
                if child.dep_ == "aux" and child.lower_ in FORECAST_MODALS:
                    weak = weak or (TARGET if _own_intention(node) else FORECAST)
            if first_verb and _tense_is_past(node) and weak is None:
                return FORECAST if _expected_above(node) else REPORTED
            first_verb = False
            if word in _STOP_AT and not passive:  # "jobs were added" says nothing: the walk goes on
                break
        if node.dep_ == "ROOT" or node.head.i == node.i:
            break
        node = node.head
    return weak or REPORTED
