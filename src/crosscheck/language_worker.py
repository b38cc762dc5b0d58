"""What a language worker process runs: entity recognition and figure extraction, nothing else.

A worker is started with ``spawn`` and imports only this module's dependencies, so it does not carry the ingest
process's libraries (scikit-learn, SciPy, the embedding model). spaCy's numeric layer imports PyTorch merely
because it is installed; the small English model does not use it, so a worker refuses that import and saves
about 300 MB.
"""

from __future__ import annotations

import sys

from crosscheck.claims import ArticleFigures, ClaimExtractor
from crosscheck.entities import EntityRecognizer, make_recognizer
from crosscheck.entities.ner import Entity
from crosscheck.lifeline import exit_with_parent

FigureInput = tuple[str, str | None]  # (text read for figures, publication date)
LanguageResult = tuple[list[list[Entity]], list[ArticleFigures] | None]

_models: tuple[EntityRecognizer, ClaimExtractor] | None = None


def read_language(
    texts: list[str], figure_input: list[FigureInput] | None, recognizer: EntityRecognizer, figures: ClaimExtractor
) -> LanguageResult:
    """Entities of each text, and the figures of each figure input (None when not asked for)."""
    found_figures = figures.extract_many(figure_input) if figure_input is not None else None
    return recognizer.recognize(texts), found_figures


def start(recognizer: str, entity_chars: int, parent: int | None = None) -> None:
    """Set up a worker process (the pool's initializer); it ends when process ``parent`` dies."""
    global _models
    if parent is not None:
        exit_with_parent(parent)
    if "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail: thinc then runs without it
    _models = (make_recognizer(recognizer, entity_chars), ClaimExtractor())


def work(texts: list[str], figure_input: list[FigureInput] | None) -> LanguageResult:
    """Read one part of a chunk in a worker."""
    assert _models is not None, "worker not started"
    return read_language(texts, figure_input, *_models)
