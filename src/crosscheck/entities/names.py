"""Proper names found by rule: runs of capitalised words, for ingests that cannot afford a model.

spaCy's entity recognition is most of an ingest's work (about 68 ms of CPU per article over 6,000 characters);
this reader takes well under a millisecond. The clusterer uses entity names only as features (which people,
bodies and places a report names), and capitalised runs carry most of that evidence. What a rule cannot do:
give a type (every name is labelled ``NAME``), tell a sentence's first word from a name (a single capitalised word
opening a sentence is left out), or always tell a title from a name (a title before another capitalised word is
dropped unless that word is a body such as "Department": "Special Counsel Robert Mueller" gives "Robert Mueller",
"Justice Department" stays whole, "Secretary of State Mike Pompeo" gives "State Mike Pompeo"). How much
clustering quality this costs is measured in docs/clustering.md.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

from crosscheck.entities.ner import Entity, normalize_entity

NAME_LABEL = "NAME"

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_UPPER}][\w'’.&-]*"
# Capitalised words joined by spaces (never a line break: a headline's last word is no part of the next line),
# with "of" or "de" allowed inside: "Department of Justice", "Charles de Gaulle".
_RUN = re.compile(rf"(?<![\w'’]){_WORD}(?:[ \u00a0](?:of[ \u00a0]|de[ \u00a0])?{_WORD})*")
# What ends a sentence right before a word: a capital there may be only the sentence's first letter.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;][\"'”’)\]]*\s+|\n\s*|[\"“‘(\[]\s*)$")
_PARTY_TAG = re.compile(r"^[RDI]-[A-Z]")  # (R-Iowa), D-Calif.
_CONTRACTION = re.compile(r"^[A-Z][a-z]?['’](?:m|ve|ll|d|re|s|t)$", re.IGNORECASE)  # I'm, I've, It's

# Offices and honorifics before a name: "President Donald Trump" names Donald Trump, as spaCy's PERSON would.
# Royal styles are not among them: "Queen Elizabeth" and "Pope Francis" are how those people are named.
TITLES = frozenset(
    {
        "Ambassador", "Attorney", "Capt", "Chair", "Chairman", "Chairwoman", "Chancellor", "Chief", "Col", "Counsel",
        "Deputy", "Director", "Dr", "Former", "Gen", "Gov", "Governor", "Inspector", "Judge", "Justice", "Leader",
        "Lt", "Majority", "Mayor", "Minister", "Minority", "Mr", "Mrs", "Ms", "President", "Prime", "Prof",
        "Professor", "Rep", "Reps", "Representative", "Secretary", "Sen", "Senator", "Sens", "Solicitor", "Special",
        "Speaker", "Spokesman", "Spokeswoman", "Surgeon", "Vice",
    }
)  # fmt: skip
# A title's second word: "Attorney General Jeff Sessions", but "General Motors" stays whole.
TITLE_ENDINGS = frozenset({"General"})
# Bodies a title word can be part of: before one of these the word belongs to the body's name ("Justice
# Department"), elsewhere it is a title ("Justice Anthony Kennedy").
BODIES = frozenset(
    {"Agency", "Board", "Bureau", "Commission", "Committee", "Council", "Court", "Department", "Ministry", "Office"}
)
# Titles written short: their full stop ends no sentence.
ABBREVIATED_TITLES = frozenset(
    {"Capt", "Col", "Dr", "Gen", "Gov", "Lt", "Mr", "Mrs", "Ms", "Prof", "Rep", "Reps", "Sen", "Sens"}
)
# Capitalised words that name no one: weekdays and months, and abbreviations of months.
CALENDAR = frozenset(
    {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
        "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Jan",
        "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    }
)  # fmt: skip


@functools.cache
def _function_words() -> frozenset[str]:
    # spaCy's English stop words: spaCy is there wherever entities are read (scikit-learn is not, in workers).
    # Imported on first use: a language worker must block PyTorch before anything imports spaCy.
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _is_filler(word: str, alone: bool = False) -> bool:
    """A word that opens or closes a run without naming anything: "The", "But", "Thursday" ("May" only alone:
    "Theresa May")."""
    bare = word.rstrip(".")
    if bare == "May":
        return alone
    return bare in CALENDAR or (bare.lower() in _function_words() and not bare.isupper())


def _is_cut(word: str, following: str, after_title: bool) -> bool:
    """A word a run is cut at and dropped: a party tag, a contraction, or a title with a name after it
    (``following``: the run's next word, empty at its end)."""
    bare = word.rstrip(".")
    if _PARTY_TAG.match(word) or _CONTRACTION.match(word):
        return True
    if not following or following.rstrip(".") in BODIES:
        return False
    return bare in TITLES or (after_title and bare in TITLE_ENDINGS)


def _sentences_of_run(run: str) -> list[list[str]]:
    """The run's words, split where a sentence ends inside it ("Mitt Romney. After"; "Sen. Dianne" goes on)."""
    parts: list[list[str]] = [[]]
    for word in run.split():
        if word.endswith(".") and any(ch.islower() for ch in word) and word.rstrip(".") not in ABBREVIATED_TITLES:
            parts[-1].append(word.rstrip("."))
            parts.append([])
        else:
            parts[-1].append(word)
    return [words for words in parts if words]


def _pieces(words: list[str]) -> Iterator[list[str]]:
    """The names in a run: cut at titles before a name ("Judge Brett Kavanaugh", not "Mark Judge"), fillers
    trimmed from both ends."""
    piece: list[str] = []
    after_title = False
    padded = [*words, "", ""]
    for n, word in enumerate(padded[:-1]):
        cut = bool(word) and _is_cut(word, following=padded[n + 1], after_title=after_title)
        after_title = cut
        if word and not cut:
            piece.append(word)
            continue
        while piece and _is_filler(piece[0], alone=len(piece) == 1):
            piece.pop(0)
        while piece and _is_filler(piece[-1], alone=len(piece) == 1):
            piece.pop()
        if piece:
            yield piece
        piece = []


def find_names(text: str) -> Counter[str]:
    """Proper names in ``text`` and how often each occurs."""
    found: Counter[str] = Counter()
    for match in _RUN.finditer(text):
        opens_sentence = bool(_SENTENCE_START.search(text[max(0, match.start() - 4) : match.start()]))
        for words in _sentences_of_run(match.group(0)):
            for piece in _pieces(words):
                if len(piece) == 1 and opens_sentence and piece[0] == words[0]:
                    continue  # "Meanwhile", "Critics": capitalised only because a sentence starts there
                name = normalize_entity(" ".join(piece))
                if len(name) > 1 and not _is_filler(name, alone=True):
                    found[name] += 1
            opens_sentence = True  # the run's next part follows a full stop
    return found


class NameRecognizer:
    """Proper names by rule over the first ``max_chars`` of each text, labelled ``NAME``; no model to load."""

    def __init__(self, *, max_chars: int = 6000) -> None:
        self.max_chars = max_chars

    def recognize(self, texts: list[str]) -> list[list[Entity]]:
        return [
            [(name, NAME_LABEL, n) for name, n in find_names(text[: self.max_chars]).most_common()] for text in texts
        ]
