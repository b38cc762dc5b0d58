"""The ingest pipeline: read → store → duplicates → entities → embeddings → stories → summaries.

Each stage is a swappable component (embedder, entity recogniser); the pipeline only orders them and commits
one chunk of articles at a time, so an interrupted run keeps every finished chunk and a re-run completes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash

from crosscheck.clustering import (
    ArticleFeatures,
    Clusterer,
    Embedder,
    MiniLMEmbedder,
    StoryIndex,
    TermWeighter,
)
from crosscheck.dedup import NearDuplicateIndex, text_hash
from crosscheck.entities import EntityRecognizer, SpacyRecognizer
from crosscheck.ingest import read_inputs
from crosscheck.models import IngestFailure, IngestReport, ParsedArticle
from crosscheck.settings import Settings
from crosscheck.sources import outlet_for
from crosscheck.storage import Store
from crosscheck.summaries.story import Member, summarize

CHUNK = 256  # articles per transaction and per model batch
TERMS_META = "term_stats"

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(stage, done, total)``; total is None while unknown."""


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def article_key(article: ParsedArticle, digest: str) -> str:
    """The identity of an input item: its URL when it has one, else its id within its format and its text."""
    if article.url:
        basis = "url\0" + article.url.split("#", 1)[0].strip()
    else:
        basis = f"item\0{article.format}\0{article.external_id}\0{digest}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def publication_order(article: ParsedArticle, key: str) -> tuple[int, str, str]:
    """Dated articles first, oldest first; undated last; ties broken by identity, never by file order."""
    return (0, article.published, key) if article.published else (1, "", key)


@dataclass
class _Pending:
    """An article of the current chunk on its way through the stages."""

    article: ParsedArticle
    key: str
    digest: str
    id: int = 0
    original_id: int | None = None  # set when this is a duplicate
    entities: list[tuple[str, str, int]] | None = None


class Pipeline:
    """Runs ingests into a :class:`Store`. Models load on first use."""

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        recognizer: EntityRecognizer | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.embedder = embedder or MiniLMEmbedder()
        self.recognizer = recognizer or SpacyRecognizer(max_chars=self.settings.entity_chars)
        self._near: NearDuplicateIndex | None = None
        self._clusterer: Clusterer | None = None
        self._weighter: TermWeighter | None = None
        self._new_singletons: dict[int, ArticleFeatures] = {}  # stories this run started, by their first article

    # --- state loaded from the store ----------------------------------------------------------------

    def _load_state(self) -> tuple[NearDuplicateIndex, Clusterer, TermWeighter]:
        if self._near is None or self._clusterer is None or self._weighter is None:
            s = self.settings
            self._near = NearDuplicateIndex(
                threshold=s.near_duplicate_threshold,
                num_perm=s.minhash_permutations,
                shingle_words=s.shingle_words,
            )
            for article_id, values in self.store.minhashes():
                self._near.add(article_id, self._near.from_values(values))
            index = StoryIndex()
            for state in self.store.story_states():
                index.put(state)
            self._clusterer = Clusterer(s, index, self.store.create_story)
            self._weighter = TermWeighter(self.store.get_meta(TERMS_META))
        return self._near, self._clusterer, self._weighter

    # --- the run --------------------------------------------------------------------------------------

    def ingest(
        self, inputs: Iterable[str], *, allow_private: bool = False, progress: Progress = _no_progress
    ) -> IngestReport:
        """Ingest files, directories and URLs; bad items are reported, never fatal."""
        report = IngestReport()
        parsed: list[ParsedArticle] = []
        for item in read_inputs(inputs, self.settings, allow_private=allow_private):
            if isinstance(item, IngestFailure):
                report.failures.append(item)
            else:
                parsed.append(item)
            progress("reading", len(parsed) + len(report.failures), None)
        report.read = len(parsed)
        pending = self._new_articles(parsed, report)
        touched: set[int] = set()
        for start in range(0, len(pending), CHUNK):
            chunk = pending[start : start + CHUNK]
            with self.store.transaction():
                touched_now = self._process_chunk(chunk, report)
                self._refresh_stories(touched_now)
            touched |= touched_now
            progress("clustering", start + len(chunk), len(pending))
        with self.store.transaction():
            merged = self._reconsider_singletons()
        report.stories_created -= len(merged)
        report.stories_touched = len(touched - set(merged)) + len(set(merged.values()) - touched)
        return report

    def _reconsider_singletons(self) -> dict[int, int]:
        """Give each story this run started with a single report a second chance to join a story found since.

        Returns {merged story: story it went into}.
        """
        _, clusterer, _ = self._load_state()
        merged: dict[int, int] = {}
        for story_id, features in self._new_singletons.items():
            target = clusterer.reconsider(story_id, features)
            if target is not None:
                self.store.merge_story(story_id, target.id, "its only report fits a story found later")
                self.store.save_story_state(target)
                merged[story_id] = target.id
        self._new_singletons.clear()
        self._refresh_stories(set(merged.values()))
        return merged

    def _new_articles(self, parsed: list[ParsedArticle], report: IngestReport) -> list[_Pending]:
        """Drop items already stored (or repeated in this batch), in publication order."""
        candidates: dict[str, _Pending] = {}
        for article in parsed:
            digest = text_hash(article.text)
            key = article_key(article, digest)
            candidates.setdefault(key, _Pending(article, key, digest))
        stored = self.store.existing_keys(list(candidates))
        report.already_stored = len(parsed) - len(candidates) + len(stored)
        fresh = [p for key, p in candidates.items() if key not in stored]
        return sorted(fresh, key=lambda p: publication_order(p.article, p.key))

    def _process_chunk(self, chunk: list[_Pending], report: IngestReport) -> set[int]:
        near, clusterer, weighter = self._load_state()
        signatures = [near.signature(p.article.text) for p in chunk]
        for pending, signature in zip(chunk, signatures, strict=True):
            self._store_article(pending, signature, near, report)
        for pending, found in zip(chunk, self.recognizer.recognize([p.article.text for p in chunk]), strict=True):
            pending.entities = found
            self.store.add_entities(pending.id, found)
        originals = [p for p in chunk if p.original_id is None]
        embeddings = self.embedder.embed([self._embedding_text(p.article) for p in originals])
        touched: set[int] = set()
        vectors = dict(zip((p.id for p in originals), embeddings, strict=True))
        signature_of = {p.id: s for p, s in zip(chunk, signatures, strict=True)}
        for pending in chunk:
            touched.add(self._place(pending, vectors.get(pending.id), signature_of[pending.id], clusterer, weighter,
                                    report))  # fmt: skip
        for story_id in touched:
            state = clusterer.index.states.get(story_id)
            if state is not None:
                self.store.save_story_state(state)
        self.store.set_meta(TERMS_META, weighter.dump())
        return touched

    def _embedding_text(self, article: ParsedArticle) -> str:
        return f"{article.title}\n{article.text[: self.settings.embedding_chars]}"

    def _store_article(
        self, pending: _Pending, signature: LeanMinHash, near: NearDuplicateIndex, report: IngestReport
    ) -> None:
        article = pending.article
        kind: str | None = None
        exact = self.store.find_text_hash(pending.digest)
        if exact is not None:
            pending.original_id, kind = exact.original_id, "exact"
        else:
            match = near.find(signature)
            if match is not None:
                pending.original_id, kind = match, "near"
        outlet = outlet_for(article.url, article.source_name)
        pending.id = self.store.insert_article(
            article,
            key=pending.key,
            outlet_id=self.store.outlet_id(outlet.domain, outlet.name),
            text_hash=pending.digest,
            duplicate_of=pending.original_id,
            duplicate_kind=kind,
        )
        if pending.original_id is None:
            near.add(pending.id, signature)
        else:
            report.duplicates += 1
        report.added += 1

    def _place(
        self,
        pending: _Pending,
        embedding: np.ndarray | None,
        signature: LeanMinHash,
        clusterer: Clusterer,
        weighter: TermWeighter,
        report: IngestReport,
    ) -> int:
        """Put an article in a story: a duplicate follows its original, others go through the clusterer."""
        article = pending.article
        names = [name for name, _, _ in pending.entities or []]
        counts = weighter.counts(article.title, article.text[: self.settings.embedding_chars], names)
        if pending.original_id is not None or embedding is None:
            story_id = self.store.copy_of(pending.original_id or pending.id).story_id
            if story_id is None:  # an original stored before stories existed; should not happen
                story_id = self.store.create_story()
            self.store.save_features(pending.id, embedding=None, minhash=None, terms={})
        else:
            weighter.observe(counts)
            terms = weighter.weigh(counts)
            features = ArticleFeatures(pending.id, article.published, embedding, terms)
            assignment = clusterer.assign(features)
            story_id = assignment.story_id
            if assignment.created:
                report.stories_created += 1
                self._new_singletons[story_id] = features
            self.store.save_features(pending.id, embedding=embedding, minhash=signature.hashvalues, terms=terms)
        self.store.set_story(pending.id, story_id)
        return story_id

    def _refresh_stories(self, story_ids: set[int]) -> None:
        """Recompute headline, bullets, counts and "why together" of each touched story."""
        reader = self.store.reader
        for story_id in sorted(story_ids):
            members = [Member(*row) for row in reader.story_members(story_id)]
            summary = summarize(members, reader.story_entities(story_id), self.settings)
            self.store.update_story_summary(
                story_id,
                headline=summary.headline,
                bullets=[{"text": b.text, "article_ids": b.article_ids} for b in summary.bullets],
                why=summary.why,
            )
