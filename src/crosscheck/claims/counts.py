"""Counts of people and things, and durations written as a number before a noun, read from the parse.

Every number a sentence states is a count of what it measures ("1,000 additional troops", "nearly a million
Uighur Muslims", "Sixty-two inmates", "four voted against") unless the words around it make it something else or
nothing a reader would check:

- a duration ("a 16-year moratorium", "three-year sentence": years; months, weeks, days and hours are left out);
- a measure without a schema unit (pounds, miles, yards, tonnes: "661 pounds of uranium");
- a calendar date, a clock time, an age ("died at 89", "the 89-year-old", "At 57, Mr. Lew…"), an ordinal;
- a label or a name ("S&P 500", "Bell 212", "Marine One", "Y-12"), a sports score;
- a reference to a group already known ("the two nations", "its 32 members"), a count of the sources who speak
  ("two defense officials said"), and "one" ("one of the …", "for one").

A tally ("332 to 95", "a 13-5 advantage") gives one count per side; "125,000 to 150,000 jobs" is a range.
"""

from __future__ import annotations

import re
from typing import Any

from crosscheck.claims.gazetteer import GROUP_NOUNS
from crosscheck.claims.mentions import Mention
from crosscheck.claims.numbers import parse_words, scale_of
from crosscheck.claims.tokens import lemma, register

TIME_UNITS = frozenset(
    {"month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute", "minutes", "second", "seconds",
     "night", "nights", "weekend", "weekends", "quarter", "quarters", "min", "mins", "hr", "hrs", "sec", "secs"}
)  # fmt: skip
YEAR_UNITS = frozenset({"year", "years", "decade", "decades"})
MEASURES = frozenset(
    {"pound", "pounds", "lb", "lbs", "kilogram", "kilograms", "kg", "gram", "grams", "ton", "tons", "tonne",
     "tonnes", "ounce", "ounces", "mile", "miles", "yard", "yards", "foot", "feet", "inch", "inches", "meter",
     "meters", "metre", "metres", "kilometer", "kilometers", "kilometre", "kilometres", "km", "mph", "acre",
     "acres", "gallon", "gallons", "liter", "liters", "litre", "litres", "degree", "degrees", "point", "points",
     "percent", "cent", "%", "times", "time", "fold", "-fold", "am", "pm", "a.m.", "p.m.", "o'clock", "bps"}
)  # fmt: skip
# Nouns for the people a report cites: "two defense officials said", "according to three people familiar".
SOURCE_NOUNS = register({"official", "source", "aide", "person", "people", "diplomat", "insider"})
SPORT_WORDS = frozenset(
    {"goal", "goals", "win", "won", "beat", "victory", "defeat", "match", "game", "score", "scored", "semifinal",
     "final", "inning", "innings", "set", "lead", "draw", "tie", "half-time", "halftime", "quarterfinal"}
)  # fmt: skip
SAYING = register({"say", "tell", "speak", "confirm", "describe", "add"})
register({"die", "dead", "death"})
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:1\d|20)\d\d$")
_REFERENTIAL = frozenset({"the", "these", "those", "its", "their", "his", "her", "our", "my", "your", "both", "each",
                          "every", "whose", "other", "same"})  # fmt: skip
_VAGUE = frozenset({"several", "few", "many", "some", "hundreds", "thousands", "millions", "dozens", "tens"})
_QUALIFIERS = frozenset({"about", "around", "nearly", "almost", "some", "roughly", "approximately", "over", "more",
                         "than", "at", "least", "most", "up", "to", "just", "only", "fewer", "less", "under",
                         "another", "all", "an", "estimated", "additional", "extra", "whopping", "mere"})  # fmt: skip
_WORDS_AS_NUMBERS = {"dozen": 12.0, "trio": 3.0, "pair": 2.0, "twice": 2.0}
_AGE = frozenset({"aged", "age", "ages"})
_DASHES = ("-", "–", "—")


def numeric(token: Any) -> bool:
    """A token that writes (part of) a number: "1,000", "sixty", "million", "dozen"; not an ordinal or year."""
    if token.lower_ in _WORDS_AS_NUMBERS and token.lower_ != "twice":
        return True
    if not token.like_num or _ORDINAL.match(token.text):
        return False
    return token.lower_ not in ("first", "second", "third", "fourth", "fifth", "half", "quarter")


def number_at(doc: Any, i: int) -> tuple[int, int, float] | None:
    """The number written from token ``i`` on, as (start, end, value): "5.6 million", "Five-hundred", "a dozen"."""
    start, end = i, i + 1
    while end < len(doc) and (
        (
            numeric(doc[end])
            and (
                scale_of(doc[end].text) is not None
                or doc[end].lower_ in ("hundred", "dozen")
                or not doc[end - 1].is_digit
            )
        )
        or (doc[end].text in _DASHES and end + 1 < len(doc) and doc[end + 1].is_alpha and numeric(doc[end + 1]))
    ):
        end += 1
    words = [t.lower_ for t in doc[start:end]]
    if words[0] in _WORDS_AS_NUMBERS:
        value: float | None = _WORDS_AS_NUMBERS[words[0]]
    elif scale_of(words[0]) is not None or words[0] in ("dozen", "hundred"):
        value = None  # "a million", "a dozen": the article before is the number one
        if start > 0 and doc[start - 1].lower_ in ("a", "one"):
            start -= 1
            value = _value(["one", *words])
    else:
        value = _value(words)
    return None if value is None else (start, end, value)


def _value(words: list[str]) -> float | None:
    scale = 1.0
    while words and (scale_of(words[-1]) is not None or words[-1] == "dozen") and len(words) > 1 and words[-2] != "-":
        scale *= scale_of(words[-1]) or 12.0
        words = words[:-1]
    if len(words) == 1 and re.fullmatch(r"[\d,.]+", words[0]) is None and not words[0].isalpha():
        return None
    value = parse_words(words)
    return None if value is None else value * scale


def counted_noun(doc: Any, start: int, end: int) -> Any:
    """The noun a number counts: its head ("five children"), the noun after a hyphen ("448-page"), or the
    object of "of" after it ("three of the lawmakers"); None for a bare number ("four voted against")."""
    last = doc[end - 1]
    if end + 1 < len(doc) and doc[end].text in _DASHES and doc[end + 1].is_alpha:
        return doc[end + 1]
    if last.dep_ in ("nummod", "quantmod", "compound", "amod", "npadvmod") and last.head.i >= end:
        head = last.head
        while head.dep_ in ("nummod", "quantmod") and head.head.i > head.i:
            head = head.head
        if head.lower_ in YEAR_UNITS | TIME_UNITS and head.i > end and doc[end].ent_type_ == "DATE":
            return None  # "a gain of 225,000 last year": the year dates the number, it is not counted
        return head if not head.like_num else None
    for prep in last.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def excluded(doc: Any, start: int, end: int, value: float, noun: Any) -> bool:
    """Whether the number at ``doc[start:end]`` is no figure: a date, time, age, label, reference or source."""
    first = doc[start]
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    if value == 1 or not value.is_integer() or (end - start == 1 and _YEAR.match(first.text)) or ":" in first.text:
        return True  # "one of the …"; "3.67" alone is no count; a year; a clock time
    if (before is not None and before.lower_ in _VAGUE) or (end < len(doc) and doc[end].lower_ in _VAGUE):
        return True  # "several hundred women", "six thousands miles away"
    if first.ent_type_ in ("DATE", "TIME", "ORDINAL") and not _only_numbers(doc, first):
        return True
    if before is not None and (before.lower_ in _AGE or (before.text in _DASHES and before.i > 0
                               and doc[before.i - 1].is_upper)):  # fmt: skip
        return True  # "aged 89", "Y-12"
    if before is not None and before.tag_ in ("NNP", "NNPS") and before.i > before.sent.start:
        return True  # "S&P 500", "Bell 212", "LHD 4", "Marine One"
    if noun is not None and noun.tag_ == "NNP" and noun.i == end:
        return True  # "the founder of 38 North", "a 7 Eleven": a name that starts with a number
    if (
        before is not None
        and before.text == ","
        and start >= 2
        and doc[start - 2].is_title
        and (noun is None and end < len(doc) and doc[end].text == ",")
    ):
        return True  # "Amash, 39, who…": an age
    if first.is_title and first.is_alpha and first.i > first.sent.start and not _ends_phrase(before):
        return True  # "Air Force One", "Proposition Two"
    if after is not None and (after.lower_ in ("a.m.", "p.m.", "am", "pm") or after.lower_.startswith("year-old")):
        return True
    if noun is not None and _age(noun):
        return True
    if noun is None and _age_of_person(doc, start, end):
        return True
    if before is not None and before.lower_ == "at" and lemma(before.head) in ("die", "dead", "death"):
        return True  # "died at 89", "is dead at 89"
    if before is not None and before.lower_ == "at" and any(lemma(c) == "dead" for c in before.head.children):
        return True
    if noun is None and before is not None and before.lower_ == "at" and before.i == before.sent.start:
        return _age_then_person(doc, end)  # "At 57, Mr. Lew may be…"
    if _referential(doc, start, noun):
        return True
    if noun is not None and (noun.lower_ in MEASURES or noun.lower_ in TIME_UNITS):
        return True
    if noun is not None and _introduces_list(doc, end):
        return True  # "five key areas will be prioritized: air defence, …": the list that follows counts itself
    return noun is not None and _source(noun)


def _age_then_person(doc: Any, end: int) -> bool:
    """ "At 57, Mr. Lew…", "At 89, he…": a bare number opening the sentence, a comma, then a person."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return False
    who = doc[end + 1]
    if who.tag_ == "NNP" and who.dep_ in ("nsubj", "compound") and who.ent_type_ not in ("GPE", "ORG", "NORP"):
        return True  # "At 53, Kavanaugh would be…", the name untagged
    return who.ent_type_ == "PERSON" or who.lower_.rstrip(".") in ("he", "she", "mr", "mrs", "ms", "dr")


def _introduces_list(doc: Any, end: int) -> bool:
    """A colon later in the sentence, with no other number before it: what follows enumerates the count."""
    for token in doc[end : _sentence_end(doc, end)]:
        if token.text == ":":
            return True
        if token.like_num or token.text in ('"', "“", "”"):
            return False
    return False


def _sentence_end(doc: Any, i: int) -> int:
    """Where the sentence of token ``i`` ends."""
    return int(doc[i].sent.end) if i < len(doc) else len(doc)


def _ends_phrase(token: Any) -> bool:
    """Whether a capitalised number word after ``token`` may start a phrase ("The 38 …", "… , Two"): a token
    that is punctuation, a qualifier, a preposition, a determiner or a conjunction, or the sentence start."""
    return token is None or not token.is_alpha or token.lower_ in _QUALIFIERS or token.tag_ in ("IN", "DT", "CC")


def _age_of_person(doc: Any, start: int, end: int) -> bool:
    """ "the claimed victim, then 15,", "when she was 15": a bare number a person is."""
    token = doc[end - 1]
    if start > 0 and doc[start - 1].lower_ == "then" and end < len(doc) and doc[end].text in (",", ")"):
        return True
    if token.dep_ != "attr" or lemma(token.head) != "be":
        return False
    return any(c.dep_ == "nsubj" and (c.lower_ in ("he", "she", "i") or c.ent_type_ == "PERSON")
               for c in token.head.children)  # fmt: skip


def _only_numbers(doc: Any, token: Any) -> bool:
    """A DATE entity that is only numbers ("13-5", "332 to 95"): the recogniser's guess, not a date."""
    for ent in doc.ents:
        if ent.start <= token.i < ent.end:
            return all(t.like_num or t.text in (*_DASHES, "to") for t in ent)
    return False


def _age(noun: Any) -> bool:
    """ "the 89-year-old", "89 years old"."""
    doc = noun.doc
    if noun.lower_ in ("year", "years") and noun.i + 1 < len(doc):
        nxt = doc[noun.i + 1]
        return nxt.lower_ == "old" or (
            nxt.text in _DASHES and noun.i + 2 < len(doc) and doc[noun.i + 2].lower_ == "old"
        )
    return False


def _referential(doc: Any, start: int, noun: Any) -> bool:
    """ "the two nations", "its 32 members", "the court's four more liberal members" (not "the 448-page report")."""
    i = start - 1
    while i >= 0 and doc[i].lower_ in _QUALIFIERS - {"all", "another"}:
        i -= 1
    if i < 0:
        return False
    word = doc[i]
    hyphenated = noun is not None and noun.i > start and doc[noun.i - 1].text in _DASHES
    if hyphenated or (noun is not None and any(c.dep_ in ("acl", "relcl") for c in noun.children)):
        return False  # "the 448-page report", "the 5.6 million jobs added since…": new, not referred back to
    return word.lower_ in _REFERENTIAL or word.tag_ == "POS" or (word.tag_ == "PRP$")


def _source(noun: Any) -> bool:
    """ "two defense officials said", "according to three people familiar with…": who speaks, not a figure."""
    if lemma(noun) not in SOURCE_NOUNS:
        return False
    head = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass") and lemma(head) in SAYING:
        return True
    if noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return True
    return any(c.lower_ in ("familiar", "briefed") for c in noun.children)


def sports(sent: Any) -> bool:
    """A sentence about a game, where "2-1" is a score."""
    return any(t.lower_ in SPORT_WORDS for t in sent)


def find(doc: Any, taken: set[int]) -> list[Mention]:
    """The counts (and hyphenated durations) in ``doc`` outside the tokens other figures ``taken``."""
    found: list[Mention] = []
    i = 0
    while i < len(doc):
        got = number_at(doc, i) if i not in taken and numeric(doc[i]) else None
        if got is None or any(j in taken for j in range(got[0], got[1])):
            i += 1
            continue
        start, end, value = got
        second = number_at(doc, end + 1) if end + 1 < len(doc) and doc[end].lower_ in _JOINS else None
        if second is not None and not any(j in taken for j in range(second[0], second[1])):
            found.extend(_pair(doc, (start, end, value), second))
            i = second[1]
            continue
        noun = counted_noun(doc, start, end)
        mention = _single(doc, start, end, value, noun)
        if mention is not None:
            found.append(mention)
        i = end
    return found


_JOINS = frozenset({"to", "-", "–", "—", "or"})


def _single(doc: Any, start: int, end: int, value: float, noun: Any) -> Mention | None:
    if noun is not None and noun.lower_ in YEAR_UNITS:
        hyphenated = noun.i > start and doc[noun.i - 1].text in _DASHES
        if not hyphenated or _age(noun) or value == 1 or noun.head.lower_ == "old":
            return None
        if start > 0 and doc[start - 1].lower_ in ("the", "this", "that"):
            return None  # "the seven-year time frame": a duration the article already gave
        years = value * (10 if noun.lower_.startswith("decade") else 1)
        return Mention(doc[start : noun.i + 1], "YEARS", years)  # "a 16-year moratorium", "three-year sentence"
    if excluded(doc, start, end, value, noun):
        return None
    if noun is None and doc[end - 1].dep_ not in _BARE_DEPS:
        return None
    return Mention(doc[start:end], "COUNT", value, group=noun if _is_group(noun) else None)


_BARE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "appos", "conj", "pobj", "ROOT"})


def _is_group(noun: Any) -> bool:
    return noun is not None and lemma(noun) in GROUP_NOUNS and noun.tag_ in ("NNS", "NNPS")


def _pair(doc: Any, low: tuple[int, int, float], high: tuple[int, int, float]) -> list[Mention]:
    """ "125,000 to 150,000 jobs" (a range), "332 to 95" or "a 13-5 advantage" (a tally: one count per side)."""
    (s1, e1, v1), (s2, e2, v2) = low, high
    noun = counted_noun(doc, s2, e2) or counted_noun(doc, s1, e1)
    i = s1 - 1
    while i >= 0 and doc[i].lower_ in _QUALIFIERS:
        i -= 1
    if i >= 0 and doc[i].lower_ in ("by", "from"):  # "fell by 8,000 to 221,000": a change and a level
        change = None if excluded(doc, s1, e1, v1, None) else Mention(doc[s1:e1], "COUNT", v1)
        return [m for m in (change, _single(doc, s2, e2, v2, noun)) if m is not None]
    if (v2 > v1 and doc[e1].lower_ != "or") or (doc[e1].lower_ in ("to", "or") and v2 > v1):
        if excluded(doc, s1, e1, v1, noun) or (noun is not None and noun.lower_ in YEAR_UNITS):
            return []
        return [Mention(doc[s1:e2], "COUNT", v1, v2, group=noun if _is_group(noun) else None)]
    if sports(doc[s1].sent) or excluded(doc, s1, e1, v1, noun):
        return []
    return [Mention(doc[s1:e1], "COUNT", v1), Mention(doc[s2:e2], "COUNT", v2)]
