"""Every tunable of crosscheck, in one place.

Each field carries its documentation in ``metadata["doc"]``; ``docs/settings.md`` must describe every field
(a test enforces it). Values can be overridden with environment variables named ``CROSSCHECK_<FIELD>`` in upper
case, which is how the CLI and the web server pick them up.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any


def _setting(default: Any, doc: str) -> Any:
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Settings:
    """Pipeline settings. Immutable; use :func:`dataclasses.replace` to derive variants."""

    # --- ingestion limits -------------------------------------------------------------------------
    max_input_bytes: int = _setting(
        256_000_000, "Largest input file or response read, in bytes (a JSONL dump of many articles is one file)."
    )
    max_decompressed_bytes: int = _setting(
        1_000_000_000, "Largest size a .gz input may inflate to before it is refused, in bytes (a bomb guard)."
    )
    max_article_chars: int = _setting(
        200_000, "Article text longer than this is cut to this many characters (and marked truncated)."
    )
    min_article_chars: int = _setting(40, "Items whose text is shorter than this are refused as empty.")
    ingest_chunk: int = _setting(
        256, "Articles per model batch and per write transaction: what an interrupted ingest can lose and redo."
    )
    fetch_timeout: float = _setting(20.0, "Seconds allowed for fetching one URL.")

    # --- duplicates -------------------------------------------------------------------------------
    minhash_permutations: int = _setting(128, "Number of MinHash permutations per article.")
    shingle_words: int = _setting(5, "Words per shingle for near-duplicate detection.")
    near_duplicate_threshold: float = _setting(
        0.7, "Estimated Jaccard similarity of word shingles at or above which an article is a near-duplicate."
    )

    # --- stories ----------------------------------------------------------------------------------
    story_threshold: float = _setting(0.45, "Minimum combined similarity for an article to join an existing story.")
    story_max_gap_days: int = _setting(
        60, "No article joins a story whose dates are more than this many days from its own (undated: no limit)."
    )
    embedding_weight: float = _setting(
        0.5, "Weight of the embedding cosine in the combined similarity; the rest is lexical (TF-IDF)."
    )
    entity_bonus: float = _setting(
        0.1, "Added to the similarity, scaled by the share of the article's entities the story shares."
    )
    candidate_terms: int = _setting(12, "Distinctive terms and entities per article used to look up candidate stories.")
    embedding_chars: int = _setting(1000, "Characters of title and lead embedded per article for story similarity.")

    entity_chars: int = _setting(
        6000, "Characters at the start of each article read for named entities (time grows with length)."
    )

    # --- summaries --------------------------------------------------------------------------------
    max_bullets: int = _setting(5, "Most summary bullets per story.")
    bullet_redundancy: float = _setting(
        0.5, "A candidate bullet this similar (TF-IDF cosine) to a chosen one is left out as redundant."
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from defaults overridden by ``CROSSCHECK_<FIELD>`` environment variables."""
        env = os.environ if environ is None else environ
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"CROSSCHECK_{f.name.upper()}")
            if raw is not None:
                kind: type = type(f.default)  # every setting has a scalar default
                try:
                    changes[f.name] = kind(raw)
                except ValueError as exc:
                    raise ValueError(f"CROSSCHECK_{f.name.upper()}={raw!r} is not a valid {kind.__name__}") from exc
        return cls(**changes)

    @classmethod
    def documentation(cls) -> dict[str, str]:
        """Map each setting name to its documentation line."""
        return {f.name: str(f.metadata["doc"]) for f in dataclasses.fields(cls)}
