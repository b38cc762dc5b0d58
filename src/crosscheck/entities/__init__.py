"""Named entities: people, organisations and places in each article."""

from crosscheck.entities.names import NameRecognizer
from crosscheck.entities.ner import ENTITY_LABELS, EntityRecognizer, SpacyRecognizer, normalize_entity

# Each value of the ``entity_recognizer`` setting (``settings.ENTITY_RECOGNIZERS``) and what it builds.
RECOGNIZERS: dict[str, type[SpacyRecognizer] | type[NameRecognizer]] = {
    "spacy": SpacyRecognizer,
    "names": NameRecognizer,
}


def make_recognizer(kind: str, max_chars: int) -> EntityRecognizer:
    """The recognizer a setting names (``entity_recognizer``), reading the first ``max_chars`` of each text."""
    if kind not in RECOGNIZERS:
        raise ValueError(f"unknown entity recognizer {kind!r}")
    return RECOGNIZERS[kind](max_chars=max_chars)


__all__ = [
    "ENTITY_LABELS",
    "RECOGNIZERS",
    "EntityRecognizer",
    "NameRecognizer",
    "SpacyRecognizer",
    "make_recognizer",
    "normalize_entity",
]
