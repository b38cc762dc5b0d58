"""Named entities: people, organisations and places in each article."""

from crosscheck.entities.names import NameRecognizer
from crosscheck.entities.ner import ENTITY_LABELS, EntityRecognizer, SpacyRecognizer, normalize_entity


def make_recognizer(kind: str, max_chars: int) -> EntityRecognizer:
    """The recognizer a setting names (``entity_recognizer``), reading the first ``max_chars`` of each text."""
    if kind == "names":
        return NameRecognizer(max_chars=max_chars)
    if kind == "spacy":
        return SpacyRecognizer(max_chars=max_chars)
    raise ValueError(f"unknown entity recognizer {kind!r}")


__all__ = [
    "ENTITY_LABELS",
    "EntityRecognizer",
    "NameRecognizer",
    "SpacyRecognizer",
    "make_recognizer",
    "normalize_entity",
]
