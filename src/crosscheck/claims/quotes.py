"""Direct quotes and who said them.

A quote is text between quotation marks of at least :data:`MIN_WORDS` words (shorter ones are scare quotes or
titles). In a sentence that was parsed for its figures, the speaker is the subject of the verb of saying the
quote hangs on; elsewhere (most quotes: parsing every quoted sentence would triple the time) the usual news
attributions are read around it: '"…," Rutte told reporters', '"…," said Rutte', 'Rutte said: "…"',
'Secretary Rubio: "…"'; "he" and "she" are the person named last.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crosscheck.claims.memory import Memory
from crosscheck.claims.subjects import SPEECH_VERBS, SubjectResolver
from crosscheck.claims.tokens import lemma
from crosscheck.figures import Quote

MIN_WORDS = 4
_QUOTE = re.compile(r"“([^”“]+)”|\"([^\"]+)\"")
_NAME = r"(?:[A-Z][\w.’'-]*\s){0,5}[A-Z][\w’'-]+"
_SAYS = r"(?:said|says|told|tells|added|adds|wrote|writes|warned|warns|argued|insisted|explained|noted|stressed|asked)"
_AFTER = re.compile(rf"^[\s,.!?”\"]*(?P<who>{_NAME}|he|she|He|She)\s+{_SAYS}\b")
_AFTER_INVERTED = re.compile(rf"^[\s,.!?”\"]*{_SAYS}\s+(?P<who>{_NAME})")
_BEFORE = re.compile(rf"(?P<who>{_NAME}|He|She|he|she)\s+{_SAYS}(?:\s+\w+)?\s*[:,]?\s*$")
_SAYS_WORD = re.compile(rf"\b{_SAYS}\b")
_NAMED_SAYING = re.compile(rf"(?P<who>{_NAME})\s+{_SAYS}\b")
_COLON = re.compile(rf"(?P<who>{_NAME})(?:\s*\([^)]*\))?\s*:\s*$")


def _parsed_speaker(doc: Any, start: int, end: int, resolver: SubjectResolver) -> str | None:
    """The subject of the verb of saying outside the quote that the quoted words hang on."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    inside = {t.i for t in span}
    for token in span:
        node = token
        for _ in range(6):
            if node.i not in inside and lemma(node) in SPEECH_VERBS:
                for child in node.children:
                    if child.dep_ == "nsubj" and child.i not in inside:
                        return resolver.person(child) or resolver.phrase(child)
            if node.head.i == node.i:
                break
            node = node.head
    return None


def _read_speaker(before: str, after: str, at: int, memory: Memory) -> str | None:
    """The speaker named around a quote in plain text, by the attributions news writing uses."""
    match = _AFTER.match(after) or _AFTER_INVERTED.match(after) or _BEFORE.search(before) or _COLON.search(before)
    if match is None:
        return None
    who = match.group("who")
    if who.lower() in ("he", "she"):
        return memory.last_person(at)
    name = memory.person_name(who)
    if name:
        memory.persons.append((at, name))
    return name


def find_quotes(
    text: str, sentences: Iterable[tuple[int, int]], parsed: dict[int, tuple[Any, SubjectResolver]], memory: Memory
) -> list[Quote]:
    """The direct quotes of an article; ``parsed`` maps the start of each parsed sentence to its doc."""
    quotes = []
    for start, end in sentences:
        sentence = text[start:end]
        says = _SAYS_WORD.search(sentence)
        for said in _NAMED_SAYING.finditer(sentence) if says else ():  # "Dame Priti said…": she speaks next
            name = memory.person_name(said.group("who"))
            if name:
                memory.persons.append((start + said.start(), name))
        for match in _QUOTE.finditer(sentence):
            group = 1 if match.group(1) is not None else 2
            words = match.group(group).split()
            if len(words) < MIN_WORDS:
                continue
            q_start, q_end = start + match.start(group), start + match.end(group)
            speaker = None
            if start in parsed:
                doc, resolver = parsed[start]
                speaker = _parsed_speaker(doc, match.start(group), match.end(group), resolver)
            if speaker is None:
                before, after = (
                    sentence[max(0, match.start() - 80) : match.start()],
                    sentence[match.end() : match.end() + 80],
                )
                speaker = _read_speaker(before, after, q_start, memory)
            quotes.append(Quote(" ".join(words), speaker, q_start, q_end))
    return quotes
