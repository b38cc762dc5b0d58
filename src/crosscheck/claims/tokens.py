"""Word classes and base forms from the tagger alone.

The figure pipeline leaves out spaCy's attribute ruler and lemmatizer (a third of the parsing time): coarse
parts of speech come from the fine-grained tag, and base forms only matter for the cue words the other modules
compare against, which they register here ("targets" → "target", "committed" → "commit", "said" → "say").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

KNOWN: set[str] = set()

_IRREGULAR = {
    "said": "say", "told": "tell", "spent": "spend", "met": "meet", "took": "take", "taken": "take",
    "thought": "think", "sought": "seek", "made": "make", "did": "do", "done": "do", "does": "do",
    "was": "be", "were": "be", "been": "be", "is": "be", "are": "be", "am": "be", "'s": "be", "’s": "be",
    "has": "have", "had": "have", "fell": "fall", "fallen": "fall", "paid": "pay", "rose": "rise",
    "risen": "rise", "gave": "give", "given": "give", "brought": "bring", "wrote": "write", "written": "write",
    "went": "go", "gone": "go", "got": "get", "gotten": "get", "kept": "keep", "held": "hold", "meant": "mean",
    "grew": "grow", "grown": "grow", "left": "leave", "ran": "run", "won": "win", "shown": "show",
    "economies": "economy", "allies": "ally", "countries": "country", "'ll": "will", "wo": "will", "ca": "can",
}  # fmt: skip

_POS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "MD": "AUX", "JJ": "ADJ", "JJR": "ADJ",
    "JJS": "ADJ", "DT": "DET", "PDT": "DET", "WDT": "DET", "IN": "ADP", "RP": "ADP", "PRP": "PRON",
    "PRP$": "PRON", "WP": "PRON", "WP$": "PRON", "EX": "PRON", "CD": "NUM", "$": "SYM", "POS": "PART",
    "TO": "PART", "CC": "CCONJ", "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "WRB": "ADV", "UH": "INTJ",
}  # fmt: skip
# Words next to a figure that are no part of the name of what it counts: "102,000 new private payrolls" → private
# payrolls, "15 more people", "1,000 additional troops".
NOT_OF_A_NAME = frozenset(
    {"new", "additional", "extra", "more", "fewer", "less", "other", "further", "just", "only", "about", "some",
     "such", "same", "total", "overall", "latest", "last", "first", "next", "previous", "recent", "current",
     "estimated", "whopping", "mere", "roughly", "nearly", "around", "least", "most", "de", "facto"}
)  # fmt: skip
_AUXILIARIES = frozenset({"be", "have", "do", "will", "would", "shall", "should", "can", "could", "may", "might",
                          "must"})  # fmt: skip


def register(words: Iterable[str]) -> frozenset[str]:
    """Make ``words`` known base forms (for :func:`lemma`) and return them as a frozenset."""
    found = frozenset(words)
    KNOWN.update(found)
    lemma_of.cache_clear()
    return found


@lru_cache(maxsize=65536)
def lemma_of(word: str) -> str:
    """The base form of a lower-case word, when it is a registered cue word; else the word itself."""
    irregular = _IRREGULAR.get(word)
    if irregular:
        return irregular
    candidates: list[str] = []
    if word.endswith(("ies", "ied")):
        candidates.append(word[:-3] + "y")
    if word.endswith("s"):
        candidates += [word[:-1], word[:-2]]
    if word.endswith("ed"):
        candidates += [word[:-1], word[:-2], word[:-3]]
    if word.endswith("ing"):
        candidates += [word[:-3], word[:-3] + "e", word[:-4]]
    return next((c for c in candidates if c in KNOWN), word)  # the word itself when no base form is known


def lemma(token: Any) -> str:
    """A token's base form ("pledged" → "pledge") for the registered cue words."""
    return lemma_of(token.lower_)


def pos(token: Any) -> str:
    """The coarse part of speech (spaCy's universal tags) from the fine-grained tag."""
    tag = token.tag_
    if tag.startswith("VB"):
        return "AUX" if lemma_of(token.lower_) in _AUXILIARIES and token.dep_.startswith("aux") else "VERB"
    return _POS.get(tag, "PUNCT" if not token.is_alpha else "X")


def is_verb(token: Any) -> bool:
    """A verb or auxiliary."""
    return bool(token.tag_.startswith("VB") or token.tag_ == "MD")


register(_AUXILIARIES)
register({"take", "member", "ally", "country", "expect", "government"})
