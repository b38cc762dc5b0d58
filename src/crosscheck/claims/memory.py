"""What an article has named so far, for reading "it", "he" and "his country" the way a reader would.

Filled sentence by sentence from the parsed windows, in text order: the places (countries, NATO, Europe) and the
people it names, the full name behind a surname ("Rutte" → "Mark Rutte"), and a person's country when the text
gives it ("British Foreign Secretary David Lammy").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crosscheck.claims.gazetteer import canonical_place, fold, is_country
from crosscheck.credits import is_credit_name
from crosscheck.entities import normalize_entity

_FULL_NAME = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?! [A-Z])")
_NOT_FIRST_NAMES = frozenset({"The", "In", "On", "At", "But", "And", "For", "After", "When", "If", "As", "While",
                              "New", "North", "South", "East", "West", "United", "House", "Senate", "White", "Supreme",
                              "Democrat", "Democrats", "Republican", "Republicans", "Congress", "Federal", "National",
                              "State", "Department", "This", "That", "It", "He", "She", "They", "We", "Mr", "Mrs",
                              "Ms"})  # fmt: skip
_NOT_NAMES = frozenset({"he", "she", "they", "it", "we", "i", "the", "this", "that", "officials", "analysts"})
PLACE_LABELS = frozenset({"GPE", "NORP", "ORG", "LOC"})
_TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "sir", "dame", "lord", "president", "minister", "secretary", "general", "sen", "rep",
     "gov", "gen", "lt", "col", "prof", "prime", "foreign", "defence", "defense", "chancellor", "chairman", "chief",
     "speaker", "ambassador", "special", "envoy", "vice"}
)  # fmt: skip


def organisation(text: str) -> str:
    """An organisation's name as a subject: "the Census Bureau" → "Census Bureau", "IFS (" → "IFS"."""
    name = " ".join(text.split()).removeprefix("the ").removeprefix("The ")
    name = name.removesuffix("'s").removesuffix("’s").strip()
    return name.split(" (")[0] if "(" in name and ")" not in name else name


@dataclass
class Memory:
    """Mentions seen so far in one article."""

    places: list[tuple[int, str]] = field(default_factory=list)  # (char offset, canonical place)
    subjects: list[tuple[int, str]] = field(default_factory=list)  # places that were a clause's or a figure's subject
    figure_subjects: list[tuple[int, str]] = field(default_factory=list)  # subjects of the figures read so far
    persons: list[tuple[int, str]] = field(default_factory=list)  # (char offset, full name)
    full_names: dict[str, str] = field(default_factory=dict)  # surname → longest full name seen
    person_country: dict[str, str] = field(default_factory=dict)
    named: Counter[str] = field(default_factory=Counter)  # how often each full name is given
    mentions: Counter[str] = field(default_factory=Counter)  # how often each name (surname for people) is named

    def observe(self, sent: Any, offset: int) -> None:
        """Record the places and people named in one parsed sentence (``offset``: its doc's article offset)."""
        for ent in sent.ents:
            at = offset + ent.start_char
            if is_credit_name(ent):
                continue
            if ent.label_ == "PERSON":
                name = self.person_name(ent.text)
                if name:
                    self.persons.append((at, name))
                    self._learn_country(ent, name)
                    self.mentions["\0" + fold(name.split()[-1])] += 1
            elif ent.label_ in PLACE_LABELS:
                place = canonical_place(ent.text)
                if ent.label_ != "NORP":
                    self.mentions[place or organisation(ent.text)] += 1
                if place:
                    self.places.append((at, place))
                    if ent.root.dep_ in ("nsubj", "nsubjpass") or ent.root.head.dep_ in ("nsubj", "nsubjpass"):
                        self.subjects.append((at, place))
        for token in sent:  # "allies", "the alliance" are no entities but name the alliance
            if token.lower_ in ("alliance", "allies") and not token.ent_type_:
                self.places.append((offset + token.idx, "NATO"))
        self.places.sort()
        self.persons.sort()
        self.subjects.sort()

    def topic(self) -> tuple[str | None, bool]:
        """The name the article gives most often (people by surname, in their fullest form): whom its figures
        are about when a sentence does not say; and whether it is a person's (not a place's or an
        organisation's)."""
        ranked = self._ranked_names()
        if not ranked:
            return None, False
        top = ranked.most_common(1)[0][0]
        person = top in self.full_names.values() or "\0" + fold(top.split()[-1]) in self.mentions
        return top, person

    def _ranked_names(self) -> Counter[str]:
        merged: Counter[str] = Counter()
        for name, n in self.mentions.items():
            person = self.full_names.get(name[1:]) if name.startswith("\0") else self.surname_of(name)
            merged[person or name] += n
        return merged

    def note_subject(self, at: int, place: str) -> None:
        """Remember the subject of a figure just read (the likeliest referent of a later "it")."""
        self.subjects.append((at, place))
        self.subjects.sort()
        self.figure_subjects.append((at, place))

    def last_figure_subject(self, before: int, *, since: int = 0) -> str | None:
        """The subject of the last figure read between ``since`` and ``before``."""
        for at, place in reversed(self.figure_subjects):
            if since <= at < before:
                return place
        return None

    def last_subject(self, before: int) -> str | None:
        """The subject of the last clause or figure before ``before``, else the last place named."""
        for at, place in reversed(self.subjects):
            if at < before:
                return place
        return self.last_place(before)

    def learn_names(self, text: str) -> None:
        """Full names written anywhere in the article, parsed or not ("Donald Trump" in a sentence without a
        figure), so that a surname alone is read as the person the article names in full most often."""
        for first, last in _FULL_NAME.findall(text):
            if first.lower() not in _TITLES and first not in _NOT_FIRST_NAMES and canonical_place(first) is None:
                self.named[f"{first} {last}"] += 1
        for name, _ in self.named.most_common():
            self.full_names.setdefault(fold(name.split()[-1]), name)

    def person_name(self, text: str) -> str | None:
        """The full form of a person's name seen so far ("Rutte" → "Mark Rutte"): the one given most often when
        several people share the surname."""
        words = [w for w in normalize_entity(text).split()
                 if w.lower().strip(".") not in _TITLES and canonical_place(w) is None]  # fmt: skip
        if not words or not words[-1][:1].isupper() or words[-1].lower() in _NOT_NAMES:
            return None
        name = " ".join(words)
        surname = fold(words[-1])
        if len(words) > 1:
            self.named[name] += 1
        known = self.full_names.get(surname)
        if known is None or (len(words) > 1 and (self.named[name], len(name)) > (self.named[known], len(known))):
            self.full_names[surname] = name  # the full name given most often: "Donald Trump" over "Lara Trump"
            return name
        return known

    def _learn_country(self, ent: Any, name: str) -> None:
        # "French Foreign Minister Jean-Noel Barrot", "Canada's Foreign Minister Melanie Joly"
        for token in ent.root.subtree:
            if token.i >= ent.start:
                break
            place = canonical_place(token.text)
            if is_country(place) and token.dep_ in ("amod", "compound", "poss", "nmod"):
                self.person_country[name] = str(place)
        sentence_start = ent.sent.start
        for token in ent.doc[sentence_start : ent.start]:
            if token.dep_ == "pobj" and token.head.lower_ == "in" and is_country(canonical_place(token.text)):
                self.person_country.setdefault(name, str(canonical_place(token.text)))

    def last_place(self, before: int, *, countries_only: bool = False) -> str | None:
        """The place named last before character offset ``before``."""
        for at, place in reversed(self.places):
            if at < before and (not countries_only or is_country(place)):
                return place
        return None

    def last_person(self, before: int) -> str | None:
        """The person named last before character offset ``before``."""
        for at, name in reversed(self.persons):
            if at < before:
                return self.full_name(name)
        return None

    def full_name(self, name: str) -> str:
        """The fullest form of a name the article gives anywhere ("Cohen" → "Michael Cohen")."""
        return self.full_names.get(fold(name.split()[-1]), name) if name else name

    def surname_of(self, text: str) -> str | None:
        """The full name of a person an entity names by surname alone, even when the recogniser took it for an
        organisation ("Trump's handling" → "Donald Trump"), once the article has named the person."""
        words = text.removesuffix("'s").removesuffix("’s").split()
        return self.full_names.get(fold(words[-1])) if len(words) == 1 else None

    def country_of(self, person: str | None) -> str | None:
        """A person's country, when the text said it."""
        return self.person_country.get(person) if person else None
