"""Every tunable of crosscheck, in one place.

Each field carries its documentation in ``metadata["doc"]``; ``docs/settings.md`` must describe every field
(a test enforces it). Values can be overridden with environment variables named ``CROSSCHECK_<FIELD>`` in upper
case, which is how the CLI and the web server pick them up.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ENTITY_RECOGNIZERS = ("spacy", "names")
STORY_MATCHERS = ("hand-set", "learned")
# CROSSCHECK_* variables that are not settings: read by the CLI, the web server, the demo, the batch workers, and
# by the test suite and the benchmarks (so that running them is never refused).
_OTHER_NAMES = "DB ALLOWED_HOSTS SHARED TASK_THREADS TEST_POSTGRES TEST_PG_BINDIR TEST_OUTPUT CHROMIUM HYPOTHESIS"
_OTHER_NAMES += " FUZZ_SECONDS PAGE_CACHE"
OTHER_VARIABLES = frozenset(f"CROSSCHECK_{name}" for name in _OTHER_NAMES.split())
_BYTES = 1 << 40
_SECONDS = 366 * 86400.0


def _setting(default: Any, doc: str, within: tuple[float, float] | None = None) -> Any:
    """A setting's field: its default, its documentation and, for a number, the values it may take (``within``,
    bounds included; anything else, NaN and infinity too, is refused)."""
    return field(default=default, metadata={"doc": doc, **({"range": within} if within else {})})


@dataclass(frozen=True)
class Settings:
    """Pipeline settings. Immutable; use :func:`dataclasses.replace` to derive variants."""

    # --- ingestion limits -------------------------------------------------------------------------
    max_input_bytes: int = _setting(
        256_000_000,
        "Largest input file or response read, in bytes (a JSONL dump of many articles is one file).",
        within=(1, _BYTES),
    )
    max_decompressed_bytes: int = _setting(
        1_000_000_000,
        "Largest size a .gz input may inflate to before it is refused, in bytes (a bomb guard).",
        within=(1, _BYTES),
    )
    max_article_chars: int = _setting(
        200_000,
        "Article text longer than this is cut to this many characters (and marked truncated).",
        within=(1, 1 << 31),
    )
    min_article_chars: int = _setting(
        40, "Items whose text is shorter than this are refused as empty.", within=(0, 1 << 31)
    )
    ingest_chunk: int = _setting(
        256,
        "Articles per model batch and per write transaction: what an interrupted ingest can lose and redo.",
        within=(1, 100_000),
    )
    model_workers: int = _setting(
        2,
        "Worker processes that run entity recognition and figure extraction beside an ingest of 100 articles or "
        "more, one chunk ahead of the write stage; 0 runs every model in the ingest process. The workers end with "
        "the ingest, even a killed one.",
        within=(0, 64),
    )
    fetch_timeout: float = _setting(
        20.0,
        "Seconds allowed for fetching one URL, in all: DNS, connecting, redirects and the whole body.",
        within=(0.001, 3600.0),
    )
    max_document_bytes: int = _setting(
        16_000_000,
        "Largest single document read into memory, in bytes after decompression: a text, HTML page or feed, or "
        "one line of a JSON Lines file (a larger one is refused; the file's other lines still count).",
        within=(1, _BYTES),
    )
    extraction_timeout: float = _setting(
        10.0,
        "Seconds allowed for extracting the text of one HTML page; a slower extraction is stopped (0: no limit).",
        within=(0.0, 3600.0),
    )

    # --- duplicates -------------------------------------------------------------------------------
    minhash_permutations: int = _setting(128, "Number of MinHash permutations per article.", within=(1, 4096))
    shingle_words: int = _setting(5, "Words per shingle for near-duplicate detection.", within=(1, 100))
    near_duplicate_threshold: float = _setting(
        0.7,
        "Estimated Jaccard similarity of word shingles at or above which an article is a near-duplicate.",
        within=(0.0, 1.0),
    )

    # --- stories ----------------------------------------------------------------------------------
    story_threshold: float = _setting(
        0.45,
        "Minimum combined similarity for an article to join an existing story when it is placed; the split then "
        "decides the final stories (on the labelled months any value from 0.3 to 0.6 ends at the same ones).",
        within=(0.0, 2.0),
    )
    story_max_gap_days: int = _setting(
        60,
        "No article joins a story whose dates are more than this many days from its own (undated: no limit).",
        within=(0, 36_500),
    )
    embedding_weight: float = _setting(
        0.5,
        "Weight of the embedding cosine in the combined similarity; the rest is lexical (TF-IDF).",
        within=(0.0, 1.0),
    )
    entity_bonus: float = _setting(
        0.1,
        "Added to the similarity, scaled by the share of the article's entities the story shares.",
        within=(0.0, 1.0),
    )
    candidate_terms: int = _setting(
        12, "Distinctive terms and entities per article used to look up candidate stories.", within=(1, 1000)
    )
    development_threshold: float = _setting(
        0.25,
        "Average similarity, less the day penalty, below which groups of reports (of a touched story and the "
        "stories dated near it) are kept as separate developments after each ingest; 0 turns the split off.",
        within=(0.0, 1.0),
    )
    development_day_penalty: float = _setting(
        0.04,
        "Subtracted from the similarity of two reports of a story per day between them when splitting it.",
        within=(0.0, 1.0),
    )
    story_matcher: str = _setting(
        "hand-set",
        "What links two reports when stories are split into their developments: `hand-set` (the similarity less "
        "`development_day_penalty` per news day, cut at `development_threshold`) or `learned` (the probability of a "
        "model trained on labelled months or on an editor's corrections, cut where training chose; see "
        "docs/clustering.md).",
    )
    matcher_path: str = _setting(
        "", "Model file of the `learned` story matcher; empty: the one shipped with crosscheck."
    )
    embedding_chars: int = _setting(
        1000,
        "Characters of title and lead embedded per article for story similarity (stored articles: `recluster "
        "--reread`).",
        within=(1, 1 << 31),
    )

    entity_chars: int = _setting(
        6000,
        "Characters at the start of each article read for named entities: most of an ingest's time grows with it "
        "(3,000 ingests about 1.2 times as fast and clusters a little less well; see docs/clustering.md). Stored "
        "articles are read again with `recluster --reread`.",
        within=(0, 1 << 31),
    )
    entity_recognizer: str = _setting(
        "spacy",
        "How entities are found: `spacy` (spaCy's English model, typed people, organisations and places) or "
        "`names` (runs of capitalised words by rule, untyped: an ingest nearly twice as fast that clusters a "
        "little less well; see docs/clustering.md). Applies to articles ingested afterwards, and to stored ones "
        "with `recluster --reread`.",
    )

    # --- summaries --------------------------------------------------------------------------------
    max_bullets: int = _setting(5, "Most summary bullets per story.", within=(0, 100))
    bullet_redundancy: float = _setting(
        0.5,
        "A candidate bullet this similar (TF-IDF cosine) to a chosen one is left out as redundant.",
        within=(0.0, 1.0),
    )

    # --- outlets and coverage ---------------------------------------------------------------------
    blindspot_min_rated_reports: int = _setting(
        5,
        "A story needs at least this many independent reports with a bias rating to be judged a blindspot.",
        within=(1, 1_000_000),
    )
    blindspot_max_share_ratio: float = _setting(
        0.5,
        "A side missed a story when its share of the rated reports is at most this times its base rate.",
        within=(0.0, 1.0),
    )
    blindspot_max_probability: float = _setting(
        0.1,
        "…and when so few reports from that side would happen by chance with at most this probability.",
        within=(0.0, 1.0),
    )
    blindspot_low_factuality_share: float = _setting(
        0.5,
        "A blindspot is marked low factuality when this share of its rated reports is rated mixed or below.",
        within=(0.0, 1.0),
    )

    # --- web --------------------------------------------------------------------------------------
    web_cache_seconds: float = _setting(
        10.0,
        "Seconds `serve` may keep answering a page from memory after the database changed (a running `watch` "
        "commits every few seconds); 0: a change is shown at once.",
        within=(0.0, _SECONDS),
    )

    # --- figures ----------------------------------------------------------------------------------
    figure_chars: int = _setting(
        50_000,
        "Characters of each article read for figures (numeric claims) and quotes; 0 turns them off.",
        within=(0, 1 << 31),
    )

    # --- feeds ------------------------------------------------------------------------------------
    feed_user_agent: str = _setting(
        "crosscheck/0.1 (self-hosted news-coverage analyzer; feed reader)",
        "User-Agent of `crosscheck watch`; its first word is the name robots.txt rules are matched against.",
    )
    feed_interval: float = _setting(
        900.0,
        "Seconds between two polls of a feed (`watch --every` and `feeds add --every` override).",
        within=(1.0, _SECONDS),
    )
    feed_host_delay: float = _setting(
        1.0,
        "Seconds between two requests to one host (scheme, name and port); a robots.txt Crawl-delay raises it.",
        within=(0.0, 3600.0),
    )
    feed_host_concurrency: int = _setting(1, "Requests in flight to one host at once.", within=(1, 64))
    feed_workers: int = _setting(8, "Feeds fetched at once (each with its pages), across hosts.", within=(1, 256))
    feed_max_backoff: float = _setting(
        21600.0,
        "Longest wait, in seconds, before polling a failing feed again (the wait doubles per failure).",
        within=(0.0, _SECONDS),
    )
    feed_recheck: float = _setting(
        21600.0,
        "A page still listed by its feed is fetched again (conditionally) this many seconds after its last fetch, "
        "to catch edits; 0: only when the feed entry itself changes.",
        within=(0.0, _SECONDS),
    )
    feed_page_retries: int = _setting(
        3,
        "Failed fetches of an article page before its feed entry's own summary is stored instead (partial).",
        within=(0, 100),
    )
    feed_robots_ttl: float = _setting(
        86400.0, "Seconds a host's robots.txt is trusted before it is fetched again.", within=(0.0, _SECONDS)
    )
    feed_archive: str = _setting(
        "",
        "Folder of the WARC archive of every response `watch` reads; empty: `<database>-warc` beside the "
        "database; `off`: no archive.",
    )
    feed_warc_bytes: int = _setting(
        100_000_000, "A WARC file is closed and a new one started past this size in bytes.", within=(1, _BYTES)
    )

    def __post_init__(self) -> None:
        if self.story_matcher not in STORY_MATCHERS:
            raise ValueError(f"story_matcher {self.story_matcher!r} is not one of: {', '.join(STORY_MATCHERS)}")
        if self.entity_recognizer not in ENTITY_RECOGNIZERS:
            raise ValueError(
                f"entity_recognizer {self.entity_recognizer!r} is not one of: {', '.join(ENTITY_RECOGNIZERS)}"
            )
        for name, (low, high) in RANGES.items():
            value = getattr(self, name)
            if not (math.isfinite(value) and low <= value <= high):  # NaN fails every comparison: refused too
                raise ValueError(f"{name}={value!r} is out of range: it must be from {range_text(name)}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from defaults overridden by ``CROSSCHECK_<FIELD>`` environment variables."""
        env = os.environ if environ is None else environ
        fields = {f"CROSSCHECK_{f.name.upper()}": f for f in dataclasses.fields(cls)}
        unknown = sorted(name for name in env if name.startswith("CROSSCHECK_") and name not in fields)
        unknown = [name for name in unknown if name not in OTHER_VARIABLES]
        if unknown:
            raise ValueError(f"{unknown[0]} is not a crosscheck setting (docs/settings.md lists them)")
        changes: dict[str, Any] = {}
        for variable, f in fields.items():
            raw = env.get(variable)
            if raw is not None:
                kind: type = type(f.default)  # every setting has a scalar default
                try:
                    changes[f.name] = kind(raw)
                except ValueError as exc:
                    raise ValueError(f"{variable}={raw!r} is not a valid {kind.__name__}") from exc
        try:
            return cls(**changes)
        except ValueError as exc:  # name the variable the value came from
            name = str(exc).split("=", 1)[0].split(" ", 1)[0]
            raise ValueError(f"CROSSCHECK_{name.upper()}: {exc}" if name in changes else str(exc)) from exc

    @classmethod
    def documentation(cls) -> dict[str, str]:
        """Map each setting name to its documentation line."""
        return {f.name: str(f.metadata["doc"]) for f in dataclasses.fields(cls)}


RANGES: dict[str, tuple[float, float]] = {
    f.name: f.metadata["range"] for f in dataclasses.fields(Settings) if "range" in f.metadata
}
"""The values each numeric setting may take, bounds included, from the fields themselves."""


def range_text(name: str) -> str:
    """The values a numeric setting may take, as people read them ("0 to 1", "1 to 1,099,511,627,776")."""
    return " to ".join(f"{int(v):,}" if float(v).is_integer() else f"{v:g}" for v in RANGES[name])


def allowed_hosts_from_env(environ: Mapping[str, str] | None = None) -> list[str]:
    """The web server's ``Host`` allow-list from ``CROSSCHECK_ALLOWED_HOSTS`` (comma-separated); empty when unset,
    which leaves the caller's local default."""
    env = os.environ if environ is None else environ
    return [host.strip() for host in env.get("CROSSCHECK_ALLOWED_HOSTS", "").split(",") if host.strip()]
