"""Named entities: people, organisations and places in each article."""

from crosscheck.entities.ner import ENTITY_LABELS, EntityRecognizer, SpacyRecognizer, normalize_entity

__all__ = ["ENTITY_LABELS", "EntityRecognizer", "SpacyRecognizer", "normalize_entity"]
