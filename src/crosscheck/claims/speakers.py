"""Who asserts a figure: the subject of a verb of saying, proposing or pressing above it, or "according to X".

News agencies reporting a figure ("Bloomberg reports") are the outlet's sources, not speakers: "report" is not
a verb of saying here. A report or estimate owned by someone speaks for its owner ("NATO's most recent report
indicates…", "according to NATO figures").
"""

from __future__ import annotations

from typing import Any

from crosscheck.claims.subjects import POLL_NOUNS, SPEECH_VERBS, SubjectResolver
from crosscheck.claims.tokens import lemma, pos, register

_SOURCE_NOUNS = register({"report", "figure", "figures", "estimate", "estimates", "data", "statistics", "analysis"})


def _who(token: Any, resolver: SubjectResolver) -> str | None:
    person = resolver.person(token)
    if person:
        return person
    found = resolver.phrase(token)
    if found:
        return found
    if lemma(token) in _SOURCE_NOUNS or token.lower_ in _SOURCE_NOUNS:
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                return resolver.person(child) or resolver.phrase(child)
    return None


def _according_to(sent: Any, resolver: SubjectResolver) -> str | None:
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            for pobj in token.doc[token.i + 1].children:
                if pobj.dep_ == "pobj":
                    return _who(pobj, resolver)
    return None


def _pollster(noun: Any, resolver: SubjectResolver) -> str | None:
    """The organisation a poll is named after: "a new Rasmussen poll", "the Reuters/Ipsos poll"."""
    names = [c for c in noun.children if c.dep_ in ("compound", "poss", "nmod") and c.tag_ in ("NNP", "NNPS")]
    if not names:
        return None
    first = min(t.i for n in names for t in n.subtree)
    return str(noun.doc[first : noun.i].text).removesuffix("'s").removesuffix("’s").strip() or None


def find_speaker(anchor: Any, resolver: SubjectResolver) -> str | None:
    """The person or body who states the figure at ``anchor``, when the sentence attributes it; for a poll's
    figure, the pollster, even when someone else quotes the poll."""
    node = anchor
    for _ in range(12):
        polls = [node] if lemma(node) in POLL_NOUNS else []
        if pos(node) in ("VERB", "AUX"):
            polls += [c for c in node.children if c.dep_ == "nsubj" and lemma(c) in POLL_NOUNS]
        for poll in polls:
            pollster = _pollster(poll, resolver)
            if pollster:
                return pollster
        if lemma(node) in SPEECH_VERBS and pos(node) in ("VERB", "AUX"):
            for child in node.children:
                if child.dep_ == "nsubj" and child.i != anchor.i:  # "the US was projected to…" is no speaker
                    who = _who(child, resolver)
                    if who:
                        return who
        if node.dep_ == "ROOT" or node.head.i == node.i:
            break
        node = node.head
    return _according_to(anchor.sent, resolver)
