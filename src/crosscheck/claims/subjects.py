"""Whom or what a figure is about: walk up the parse from the figure to the entity that owns it.

"5% of the UK's GDP" → the possessor in the figure's own phrase; "UK defence spending will rise to 3%" → the
owner of the spending; "allies should spend 5%" → the clause's subject (a group noun: the alliance); "It was
estimated to be spending 2.06 per cent" → the subject the text spoke of last. Verbs of saying and pressing
("Trump urged members to…") give a speaker, not the subject, and end the walk.
"""

from __future__ import annotations

from typing import Any

from crosscheck.claims.gazetteer import EUROPE, GROUP_NOUNS, NATO, canonical_place, is_country
from crosscheck.claims.memory import Memory, organisation
from crosscheck.claims.tokens import lemma, pos, register
from crosscheck.credits import is_credit_name

SPEECH_VERBS = register(
    {"say", "tell", "add", "insist", "claim", "argue", "note", "warn", "stress", "underline", "emphasise",
     "emphasize", "state", "announce", "write", "indicate", "show", "suggest", "believe", "think", "admit",
     "acknowledge", "reveal", "confirm", "explain", "declare", "predict", "estimate", "accuse", "praise",
     "describe", "call", "urge", "demand", "press", "push", "ask", "want", "propose", "advocate", "pledge",
     "promise", "vow", "expect", "hope", "tweet", "post", "assess", "project", "forecast", "recommend"}
)  # fmt: skip
PRESSURE_VERBS = register({"urge", "demand", "press", "push", "ask", "want", "call", "pressure", "encourage"})
# Nouns whose possessor is who asks, not who would do it: "the U.S. demand for allies to invest 5%".
DEMAND_NOUNS = register({"demand", "call", "push", "request", "pressure", "proposal", "insistence", "urging"})
# A poll's name is who measured, not what was measured: "a new Rasmussen poll showing his approval at 50%".
POLL_NOUNS = register({"poll", "polls", "survey", "surveys", "polling"})
TARGET_NOUNS = register({"target", "goal", "commitment", "requirement", "pledge", "objective", "benchmark"})
GDP_NOUNS = frozenset({"gdp", "economy", "economies", "income", "output", "product"})
SPENDING_NOUNS = frozenset({"spending", "budget", "budgets", "expenditure", "aid", "investment", "outlay", "funding",
                            "debt", "deficit", "spend"})  # fmt: skip
_IT = frozenset({"it", "its", "itself", "they", "their", "them", "themselves"})
_THEY = frozenset({"they", "them", "their", "themselves"})
_HE = frozenset({"he", "his", "him", "she", "her", "hers"})
_WE = frozenset({"we", "our", "us", "ourselves"})
_RELATIVE = frozenset({"which", "that", "who", "whom", "whose"})
_MODIFIER_DEPS = ("poss", "compound", "amod", "nmod", "npadvmod")
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_NOT_NAMES = frozenset({"CARDINAL", "PERCENT", "MONEY", "DATE", "QUANTITY", "ORDINAL", "TIME"})
_STOP = object()  # sentinel: the walk ends here without a subject


def entity_text(token: Any) -> str:
    """The whole named entity a token belongs to, or the token's own text."""
    if token.ent_type_:
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                return str(ent.text)
    return str(token.text)


def is_place(name: str | None) -> bool:
    """A country, the alliance or Europe (not a person or an organisation)."""
    return is_country(name) or name in (NATO, EUROPE)


class SubjectResolver:
    """Resolves subjects and persons against an article's :class:`Memory`."""

    def __init__(self, memory: Memory, offset: int, *, alliance_context: bool) -> None:
        self.memory = memory
        self.offset = offset  # article offset of the parsed sentence
        self.alliance_context = alliance_context  # the article speaks of NATO: bare "allies" mean its members
        self.recent_start = 0  # article offset of the sentence parsed two before this one
        self.article_gdp = False  # the article speaks of shares of GDP
        self.topic: str | None = None  # the name the article gives most often
        self.topic_is_person = False  # … and whether it is a person's

    # --- one noun phrase --------------------------------------------------------------------------

    def person(self, token: Any) -> str | None:
        """The person a token names or refers to ("he" → the last person named)."""
        if token.lower_ in _HE and token.tag_ in ("PRP", "PRP$"):
            return self.memory.last_person(self.offset + token.idx)
        if token.ent_type_ == "PERSON":
            return self.memory.person_name(entity_text(token))
        return None

    def phrase(self, token: Any) -> str | None:
        """The subject a noun phrase headed by ``token`` names: a place, the alliance, Europe, a person or an org."""
        lower = token.lower_
        at = self.offset + token.idx
        pronoun = token.tag_ in ("PRP", "PRP$")
        if pronoun and lower in _IT:
            return self._pronoun_place(token, at)
        if pronoun and lower in _HE:
            return self.memory.last_person(at)
        if pronoun and lower in _WE:  # a speaker's "we" is their country, when the text gave it
            return self.memory.country_of(self.memory.last_person(at))
        word = lemma(token)
        if word in POLL_NOUNS:
            return None  # its pollster speaks (:mod:`speakers`); what it rates is read elsewhere
        if word in DEMAND_NOUNS:
            return self._demanded_of(token)
        if word in GROUP_NOUNS and token.tag_ in ("NNS", "NNPS"):
            return self.group(token)
        if lower == "government":
            return self._owner(token) or self.memory.last_place(at, countries_only=True)
        if token.ent_type_ and token.ent_type_ not in _NOT_NAMES:
            if any(is_credit_name(e) for e in token.doc.ents if e.start <= token.i < e.end):
                return None  # "Saul Loeb/AFP/Getty Images": a photo credit names nobody the figure is about
            text = entity_text(token)
            place = canonical_place(text)
            if place:
                return place
            if token.ent_type_ == "PERSON":
                return self.memory.person_name(text)
            if token.ent_type_ == "ORG":  # "Institute for Fiscal Studies (IFS" → without the cut-off bracket
                return self.memory.surname_of(str(text)) or organisation(str(text))
            if token.ent_type_ in ("GPE", "LOC") and token.dep_ in ("nsubj", "nsubjpass"):
                # a place the gazetteer does not list, as its clause's subject: "Vietnam holds…" (elsewhere the
                # recogniser's places are too often words: "5% of GDP ✅ Ceasefire")
                return organisation(str(text))
        place = canonical_place(token.text)
        if place:
            return place
        if lower in ("country", "nation") and self._owner(token):
            return self._owner(token)
        if token.tag_ in ("NNP", "NNPS") and not token.ent_type_ and token.is_alpha:
            return self._proper_name(token)  # a name the recogniser missed: "Equifax will pay…"
        return self._modified(token)

    def _proper_name(self, token: Any) -> str:
        words = [c for c in token.children if c.dep_ == "compound" and c.tag_ in ("NNP", "NNPS") and c.i < token.i]
        name = " ".join(t.text for t in [*words, token])
        return self.memory.surname_of(name) or name

    def conjuncts(self, token: Any) -> list[str]:
        """Places joined to a subject: "followed by Estonia and Latvia on 3.4%" → [Latvia]."""
        found = []
        for conj in token.conjuncts:
            place = canonical_place(entity_text(conj))
            if is_country(place):
                found.append(str(place))
        return found

    def _pronoun_place(self, token: Any, at: int) -> str | None:
        if token.lower_ in _THEY:
            for noun in reversed(token.doc[token.sent.start : token.i]):
                if noun.tag_ in ("NNS", "NNPS") and lemma(noun) in GROUP_NOUNS:
                    return self.group(noun)  # "US allies … a third of them"
        sentence_start = self.offset + token.sent.start_char
        place = self.memory.last_place(at)
        if place is not None and any(sentence_start <= s < at for s, _ in self.memory.places):
            return place  # named earlier in the same sentence ("Italy has said it expects…")
        return self.memory.last_subject(at)

    def _demanded_of(self, token: Any) -> str | None:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("for", "on", "of"):
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and self._names_owner(pobj):
                        return self.phrase(pobj)
        return None

    def _owner(self, token: Any) -> str | None:
        """ "his country" → the country of the person meant; "its government" → the place meant."""
        for child in token.children:
            if child.dep_ == "poss" and child.lower_ in _HE:
                at = self.offset + child.idx
                person = self.memory.last_person(at)
                return self.memory.country_of(person) or self.memory.last_place(at, countries_only=True)
            if child.dep_ == "poss" and child.lower_ in _IT:
                return self._pronoun_place(child, self.offset + child.idx)
            if child.dep_ == "poss":
                return self.phrase(child)
        return None

    def group(self, token: Any) -> str | None:
        """ "European allies" → Europe; "US allies", "NATO members", "member countries" → NATO."""
        modifiers = [c for c in token.children if c.dep_ in (*_MODIFIER_DEPS, "prep")]
        for child in modifiers:
            words = [child] if child.dep_ != "prep" else [t for t in child.subtree if t.dep_ == "pobj"]
            for word in words:
                place = canonical_place(entity_text(word))
                if place == EUROPE:
                    return EUROPE
                if place is not None or word.lower_ in ("member", "nato", "alliance"):
                    return NATO
        return NATO if self.alliance_context else None

    def _modified(self, token: Any, skip: frozenset[int] = frozenset()) -> str | None:
        """A common noun's owner: "UK defence spending", "Spain's budget", "spending for Nato members"."""
        if lemma(token) in POLL_NOUNS:
            return None  # "a Rasmussen poll": who polled, not whom the figure is about
        for child in token.children:
            if child.i in skip:
                continue
            if child.dep_ in _MODIFIER_DEPS:
                if child.lower_ in _IT:
                    continue  # "their stockpiles": the clause subject decides
                found = self.phrase(child) if child.ent_type_ or canonical_place(child.text) else None
                if found:
                    return found
            if child.dep_ == "prep" and child.lower_ in ("of", "for", "by"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i not in skip and self._names_owner(pobj):
                        return self.phrase(pobj)
        return None

    @staticmethod
    def _names_owner(token: Any) -> bool:
        return bool(token.ent_type_ in ("GPE", "NORP", "ORG") or canonical_place(token.text)
                    or lemma(token) in GROUP_NOUNS)  # fmt: skip

    # --- the walk up the parse -------------------------------------------------------------------------

    def resolve(self, anchor: Any, skip: set[int]) -> list[str]:
        """The subject(s) of the figure whose head token is ``anchor`` (``skip``: the figure's tokens).

        The walk stops where the figure's clause ends: at a verb of saying (its subject is a speaker), and at a
        clause whose subject holds the figure ("the 5% spending requirement isn't fulfilled"). Places joined to
        the subject ("Estonia and Latvia on 3.4%") follow it in the list.
        """
        frozen = frozenset(skip)
        own = self._own_phrase(anchor, frozen)
        if own:
            return [own]
        node, came_from = anchor, None
        first_verb = True
        for _ in range(12):
            found = self._at(node, came_from, frozen, first_verb)
            first_verb = first_verb and pos(node) not in ("VERB", "AUX")
            if found is _STOP:
                return []
            if isinstance(found, tuple):
                return [found[0], *found[1]]
            if found:
                return [str(found)]
            if node.dep_ == "ROOT" or node.head.i == node.i:
                return []
            node, came_from = node.head, node
        return []

    def _own_phrase(self, anchor: Any, skip: frozenset[int]) -> str | None:
        """ "5% of the UK's GDP": a possessor inside the figure's own "of" phrase."""
        for prep in anchor.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for noun in prep.children:
                    if noun.lower_ not in GDP_NOUNS:
                        continue
                    for child in noun.children:
                        if child.dep_ == "poss" and child.i not in skip and child.tag_ not in ("PRP$", "PRP"):
                            found = self.phrase(child)
                            if is_place(found):
                                return found
        return None

    def _at(self, node: Any, came_from: Any, skip: frozenset[int], first_verb: bool) -> object:
        if pos(node) in ("NOUN", "PROPN", "SYM"):
            return self._at_noun(node, skip)
        if pos(node) not in ("VERB", "AUX"):
            return None
        speech = lemma(node) in SPEECH_VERBS
        subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            child = min(subjects, key=lambda c: abs(c.i - node.i))  # "Rep. Neal Dunn: “@NATO countries agree…"
            if child.i in skip or (came_from is not None and child.i == came_from.i):
                return _STOP  # the figure is (in) the subject: nothing above owns it
            if child.lower_ in _RELATIVE:
                return None  # "which was 3.2%": continue from the noun the clause describes
            found = self.phrase(child)
            if speech and (found is None or not is_place(found) or lemma(node) in PRESSURE_VERBS):
                if lemma(node) in PRESSURE_VERBS:
                    pressed = self._object(node)  # "urged members to…" → the members; "allies called for…" → allies
                    return found if pressed is _STOP and is_place(found) else pressed
                return _STOP
            return (found, self.conjuncts(child)) if found and self.conjuncts(child) else found
        for child in node.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    found = self.phrase(pobj)
                    if found:
                        return (found, self.conjuncts(pobj)) if self.conjuncts(pobj) else found
            if first_verb and child.dep_ == "dobj" and child.i not in skip and child.lower_ in SPENDING_NOUNS:
                found = self._modified(child, skip)  # "to increase the UK's defence spending to 2.5%"
                if is_place(found):
                    return found
        return _STOP if speech else None

    def _at_noun(self, node: Any, skip: frozenset[int]) -> object:
        if node.i not in skip and lemma(node) in GROUP_NOUNS and node.tag_ in ("NNS", "NNPS"):
            return self.group(node)  # "the U.S. demand for allies to invest 5%"
        if lemma(node) in TARGET_NOUNS:
            for clause in node.children:  # "the 5% target he's demanded of allies"
                if clause.dep_ == "relcl" and lemma(clause) in PRESSURE_VERBS:
                    demanded = self._demanded_of(clause)
                    if demanded:
                        return demanded
        return self._modified(node, skip)

    def _object(self, verb: Any) -> object:
        for child in verb.children:
            if child.dep_ in ("dobj", "dative"):
                return self.phrase(child) or _STOP
        return _STOP
