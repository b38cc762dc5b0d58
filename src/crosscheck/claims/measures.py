"""What a figure measures, read from its evidence sentence, so that a story's ledger compares like with like.

Two reports of one story that give a figure about the same subject disagree only when they measure the same
thing: "12 people were killed" and "15 people were killed" do; "12 people were killed" and "40 people were
injured" do not. News writes the measured thing right after the figure (English noun phrases end in their
head: "a $100 million civil money penalty" → penalty), with the event after it ("people were killed") or the
verb right before a bare amount ("will pay up to $700 million" → pay).

This is read from the stored sentence, without the parse: the ledger is built when a page is shown.
"""

from __future__ import annotations

import re

from crosscheck.claims.tokens import NOT_OF_A_NAME
from crosscheck.figures import Claim

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|[^\sA-Za-z]")
_OF = re.compile(r"\bof\b")
_PHRASE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*|[^\sA-Za-z\d]")
# Words that end the figure's noun phrase.
_BOUNDARY = frozenset(
    {"of", "in", "to", "for", "from", "on", "at", "by", "with", "that", "which", "who", "and", "or", "but", "as",
     "than", "since", "over", "after", "before", "into", "this", "last", "next", "per", "a", "the", "is", "are",
     "was", "were", "be", "been", "have", "has", "had", "will", "would", "could", "may", "might", "said", "says",
     "where", "when", "whose", "whom", "while", "although", "though", "because", "if", "unless", "until"}
)  # fmt: skip
_PASSIVE = frozenset({"were", "was", "are", "is", "have", "has", "had", "been", "be", "being"})
_QUALIFIERS = frozenset({"about", "around", "nearly", "almost", "some", "roughly", "approximately", "at", "least",
                         "most", "up", "to", "just", "only", "more", "than", "over", "under", "another", "an",
                         "a", "the", "estimated"})  # fmt: skip
# The whole a part is counted of, when no more than a pronoun names it ("20,000 of them"), and the words that may
# open that whole before its noun ("of its 32 members").
_PRONOUNS = frozenset({"them", "us", "you", "which", "whom", "it", "those", "these"})
_DETERMINERS = frozenset({"its", "the", "their", "his", "her", "our", "your", "these", "those", "all"})
# Words that follow a counted noun phrase rather than belong to it (no parse is at hand when a page is shown).
_ENDS_PHRASE = frozenset({"spent", "hit", "met", "missed", "stay", "stayed", "away", "still", "do", "does", "did",
                          "not", "said", "says", "say", "voted", "agreed", "died", "left", "came", "went"})  # fmt: skip
_SCALES = frozenset(
    {"thousand", "million", "billion", "trillion", "bn", "m", "mn", "tn", "k", "percent", "per", "cent", "percentage",
     "points", "point", "dollars", "euros", "pounds", "years", "year"}
)  # fmt: skip


def _stem(word: str) -> str:
    """A crude base form, enough to compare two mentions: "killed" → "kill", "penalties" → "penalty"."""
    word = word.lower().replace("’", "'")
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    return word


def measure_of(claim: Claim) -> str | None:
    """What ``claim`` measures ("people killed", "civil money penalty", "pay"), or None when its sentence does
    not say."""
    found = _after_figure(claim)
    if found is None:
        return None
    chunk, rest = found
    if chunk:
        # the whole phrase, so that "12 partner countries" is not "32 member countries"; the ledger takes a
        # shorter phrase as the fuller one it is part of ("settlement" of "data breach settlement")
        words = " ".join(_stem(w) for w in (w.lower() for w in chunk) if w not in NOT_OF_A_NAME)
        event = _event(rest)
        return f"{words} {event}" if event else words
    at = claim.figure_start - claim.start
    before = [w.lower() for w in _WORD.findall(claim.evidence[:at])]
    while before and (before[-1] in _QUALIFIERS or not before[-1][0].isalpha()):
        before.pop()
    return _stem(before[-1]) if before else None


def counted_words(claim: Claim) -> str | None:
    """The words a figure counts or prices, as written after it ("partner countries", "civil money penalty", "of
    its 32 members"), for a reader of the ledger; None when none follow it."""
    found = _after_figure(claim)
    if found and not found[0] and found[1][:1] == ["of"]:
        return _part_of(_OF.split(claim.evidence[claim.figure_end - claim.start :], maxsplit=1)[1])
    words: list[str] = []
    for word in found[0] if found else []:
        lower = word.lower()
        if lower in _ENDS_PHRASE or lower.endswith("ing") or len(words) == 4:
            break  # "32 member countries including the UK", "nine members spent": the noun phrase has ended
        if words and words[-1].endswith("s") and len(lower) > 4 and lower.endswith("ed"):
            break  # "20,000 troops stationed across Europe": a participle after the plural noun
        if lower not in NOT_OF_A_NAME:
            words.append(word)
    return " ".join(words) or None


def _part_of(text: str) -> str | None:
    """ "ten of its 32 members", "22 of the 32 member countries": the whole a count is part of, as written ("of
    its 32 members"), since the count is not of members in all. ``text``: what follows "of"."""
    kept: list[str] = []
    for word in _PHRASE_WORD.findall(text)[:8]:
        lower = word.lower()
        if not any(w[0].isalpha() and w.lower() not in _DETERMINERS for w in kept) and (
            lower in _DETERMINERS or word[0].isdigit()
        ):
            kept.append(word)  # "its", "the", "32" before the noun
            continue
        if lower in _BOUNDARY or lower in _ENDS_PHRASE or lower.endswith(("ing", "n't")) or not word[0].isalpha():
            break
        if lower in _PRONOUNS:
            return None  # "20,000 of them": the whole is named before, not here
        kept.append(word)
        if (word.endswith("s") and not word.isupper()) or len(kept) == 6:
            break  # "members", "member countries": a plural ends the phrase ("US" does not)
    if not any(w[0].isalpha() and w.lower() not in _DETERMINERS for w in kept) or kept[-1].endswith(("'s", "’s")):
        return None  # no noun, or one cut at its possessive ("of the league's")
    return "of " + " ".join(kept)


def _after_figure(claim: Claim) -> tuple[list[str], list[str]] | None:
    """The noun phrase right after the figure (scale words skipped) and the words after that phrase."""
    at, end = claim.figure_start - claim.start, claim.figure_end - claim.start
    if not (0 <= at <= end <= len(claim.evidence)):
        return None
    after = _WORD.findall(claim.evidence[end:])[:12]
    chunk: list[str] = []
    skipped = 0
    for word in after:
        lower = word.lower()
        if lower in _SCALES and not chunk:
            skipped += 1
            continue
        if lower in _BOUNDARY or not word[0].isalpha():
            break
        chunk.append(word)
    return chunk, after[skipped + len(chunk) :]


def _event(rest: list[str]) -> str | None:
    """ "were killed", "have been injured": the event a count of people counts."""
    words = [w.lower() for w in rest[:4]]
    i = 0
    while i < len(words) and words[i] in _PASSIVE:
        i += 1
    if 0 < i < len(words) and words[i].endswith(("ed", "en")):
        return _stem(words[i])
    return None
