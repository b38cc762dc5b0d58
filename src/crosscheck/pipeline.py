"""The ingest pipeline: read → duplicates → entities → embeddings → stories → summaries, into the store.

Each stage is a swappable component (embedder, entity recogniser); the pipeline only orders them. Articles go
through in chunks: the models run first, outside any lock, then one short write transaction stores the chunk
and places its articles in stories. So an interrupted run keeps every finished chunk and a re-run completes it,
and several ingests can run against one database: each picks up what the others committed before it writes.

This module orders the steps and holds the state mirrored from the store; the steps around the write stage live
in their own modules: the second look once a batch is in (:mod:`crosscheck.settle`), the summaries
(:mod:`crosscheck.story_summaries`), ``recluster`` (:mod:`crosscheck.recluster`), the editors' corrections
(:mod:`crosscheck.corrections`) and pages read back from a web archive (:mod:`crosscheck.ingest.revisions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from crosscheck import corrections
from crosscheck.claims import ClaimExtractor
from crosscheck.clustering import (
    ArticleFeatures,
    Clusterer,
    Embedder,
    MiniLMEmbedder,
    StoryIndex,
    TermWeighter,
)
from crosscheck.clustering.split import mark_for_split
from crosscheck.corrections import StoredConstraints, constraints_for
from crosscheck.dedup import NearDuplicateIndex, text_hash
from crosscheck.entities import EntityRecognizer, make_recognizer
from crosscheck.ingest import read_inputs
from crosscheck.ingest.keys import article_key
from crosscheck.ingest.revisions import ingest_captures
from crosscheck.models import IngestFailure, IngestReport, ParsedArticle
from crosscheck.prepare import MIN_ARTICLES_FOR_WORKERS, PreparedArticle, prepared_chunks
from crosscheck.recluster import rebuild_stories
from crosscheck.reread import reread_features
from crosscheck.settings import Settings
from crosscheck.settle import save_unsettled, second_look, unsettled
from crosscheck.sources import outlet_for
from crosscheck.sources.naming import OutletNamer
from crosscheck.storage import Store
from crosscheck.storage.claims import save_figures
from crosscheck.storage.staging import ArticleStaging
from crosscheck.story_summaries import UNSUMMARISED, refresh_summaries

TERMS_META = "term_stats"

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(stage, done, total)``; total is None while unknown."""


def no_progress(stage: str, done: int, total: int | None) -> None:
    """The :data:`Progress` that reports nothing."""
    return None


@dataclass
class _Pending(PreparedArticle):
    """An article of the current chunk on its way through the stages."""

    id: int = 0
    original_id: int | None = None  # set when this is a duplicate


class Pipeline:
    """Runs ingests into a :class:`Store`. Models load on first use."""

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        recognizer: EntityRecognizer | None = None,
        figures: ClaimExtractor | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or Settings()
        self._name_outlet = OutletNamer(store.conn)
        self.embedder = embedder or MiniLMEmbedder()
        self.recognizer = recognizer or make_recognizer(self.settings.entity_recognizer, self.settings.entity_chars)
        self.figures = figures or ClaimExtractor()
        # Worker processes build their own default models; models given here run in this process only.
        self._default_language_models = recognizer is None and figures is None
        self._near: NearDuplicateIndex | None = None
        self._clusterer: Clusterer | None = None
        self._weighter: TermWeighter | None = None
        self._constraints = StoredConstraints()  # the editors' corrections, with the clusterer's state
        self._seen_version: int | None = None  # the database version the in-memory state reflects

    # --- state mirrored from the store --------------------------------------------------------------

    def _state(self) -> tuple[NearDuplicateIndex, Clusterer, TermWeighter]:
        """The duplicate index, clusterer and term weights, reloaded if another writer committed since."""
        if self._seen_version != self.store.data_version():
            self._forget_state()
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
            self._constraints = constraints_for(self.store, placed=True)
            self._clusterer = Clusterer(s, index, self.store.create_story, self._constraints)
            self._weighter = TermWeighter(self.store.get_meta(TERMS_META))
            self._seen_version = self.store.data_version()
        return self._near, self._clusterer, self._weighter

    def _forget_state(self) -> None:
        self._near = self._clusterer = self._weighter = None
        self._seen_version = None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write transaction; if it fails, the in-memory state it changed is dropped with it."""
        try:
            with self.store.transaction():
                yield
                # Read before the commit, while no other writer can commit: read after it, a commit slipping in
                # between would be taken as already reflected here.
                self._seen_version = self.store.data_version()
        except BaseException:
            self._forget_state()
            raise

    # --- the run --------------------------------------------------------------------------------------

    def ingest(
        self, inputs: Iterable[str], *, allow_private: bool = False, progress: Progress = no_progress
    ) -> IngestReport:
        """Ingest files, directories and URLs (``crosscheck ingest``); bad items are reported, never fatal.

        Pages read back from a web archive are kept as revisions of their URLs (:meth:`ingest_tracking_revisions`).
        """
        items = read_inputs(inputs, self.settings, allow_private=allow_private)
        return self.ingest_tracking_revisions(items, progress=progress)

    def ingest_tracking_revisions(
        self, items: Iterable[ParsedArticle | IngestFailure], *, progress: Progress = no_progress
    ) -> IngestReport:
        """Ingest ``items`` as :meth:`ingest_items` does, except that pages captured from a web archive (with
        ``fetched_at``) are ingested afterwards, in capture order, as revisions of their URLs."""
        captures: list[ParsedArticle] = []

        def others() -> Iterator[ParsedArticle | IngestFailure]:
            for item in items:
                if isinstance(item, ParsedArticle) and item.fetched_at and item.url:
                    captures.append(item)
                else:
                    yield item

        report = self.ingest_items(others(), progress=progress)
        ingest_captures(self.store, captures, self.ingest_keyed, report, chunk=self.settings.ingest_chunk)
        return report

    def ingest_keyed(self, items: Sequence[tuple[ParsedArticle, str]]) -> IngestReport:
        """Ingest each article under the key given with it: a later revision of a page has the page's URL, which
        the pipeline's own key alone would find already stored."""
        keys = {id(article): key for article, key in items}

        def key_of(article: ParsedArticle, digest: str) -> str:
            return keys.get(id(article)) or article_key(article, digest)

        return self.ingest_items([article for article, _ in items], key_of=key_of)

    def ingest_items(
        self,
        items: Iterable[ParsedArticle | IngestFailure],
        *,
        progress: Progress = no_progress,
        key_of: Callable[[ParsedArticle, str], str] = article_key,
    ) -> IngestReport:
        """Ingest articles already parsed (by a feed poller, say); failures are counted and reported.

        ``key_of(article, text hash)`` gives each article's identity; a caller tracking page revisions gives a
        later revision a key of its own.
        """
        report = IngestReport()
        size = self.settings.ingest_chunk
        with ArticleStaging() as staging:
            self._stage(items, staging, report, progress, key_of)
            chunks = prepared_chunks(
                ([_Pending(article, key, digest) for key, digest, article in rows] for rows in staging.ordered(size)),
                self.settings,
                embedder=self.embedder,
                recognizer=self.recognizer,
                figures=self.figures,
                workers=self._workers_for(len(staging)),
            )
            self._write(chunks, report, progress, len(staging))
        return report

    def ingest_prepared(
        self,
        chunks: Iterable[list[PreparedArticle]],
        report: IngestReport,
        *,
        total: int | None = None,
        progress: Progress = no_progress,
        stored: Callable[[list[tuple[str, int, int | None]]], None] | None = None,
    ) -> IngestReport:
        """Store articles the models already ran on, chunk by chunk, exactly as :meth:`ingest_items` stores its own.

        The chunks must come in publication order (:data:`crosscheck.models.PUBLICATION_ORDER`) with one article
        per key, as ``ingest_items`` stages them; keys stored meanwhile are counted in ``report``, not stored twice.
        ``stored`` is told (key, article id, id of the original or None) for each chunk once it is written.
        """

        def pending() -> Iterator[list[_Pending]]:
            for chunk in chunks:
                batch = [_Pending(**vars(p)) for p in chunk]
                yield batch  # written by the time the next chunk is asked for
                if stored is not None:
                    stored([(p.key, p.id, p.original_id) for p in batch if p.id])

        self._write(pending(), report, progress, total)
        return report

    def _write(
        self, chunks: Iterable[list[_Pending]], report: IngestReport, progress: Progress, total: int | None
    ) -> None:
        """Store and cluster prepared chunks, one transaction each, then give new stories their second look."""
        done = 0
        touched: set[int] = set()
        for chunk in chunks:
            with self._writing():
                touched_now, started = self._store_chunk(chunk, report)
                self._summarise_chunk(touched_now, started)
            touched |= touched_now
            done += len(chunk)
            progress("clustering", done, total)
        with self._writing():
            merged, split_off = self._settle_stories()
        report.stories_created += len(split_off) - len(set(merged) & touched)
        report.stories_touched = len(touched - set(merged)) + len((set(merged.values()) | split_off) - touched)

    def _stage(
        self,
        items: Iterable[ParsedArticle | IngestFailure],
        staging: ArticleStaging,
        report: IngestReport,
        progress: Progress,
        key_of: Callable[[ParsedArticle, str], str],
    ) -> None:
        """Stage the run's new articles: repeats within the run and articles already stored are counted, not kept."""
        for item in items:
            if isinstance(item, IngestFailure):
                report.failures.append(item)
            else:
                report.read += 1
                digest = text_hash(item.text)
                if not staging.add(item, key_of(item, digest), digest):
                    report.already_stored += 1
            progress("reading", report.read + len(report.failures), None)
        for keys in staging.key_batches():
            stored = self.store.existing_keys(keys)
            staging.discard(stored)
            report.already_stored += len(stored)

    def _workers_for(self, articles: int) -> int:
        """Language worker processes for a run of this many articles (none when the models were given)."""
        if not self._default_language_models or articles < MIN_ARTICLES_FOR_WORKERS:
            return 0
        return self.settings.model_workers

    def _store_chunk(self, chunk: list[_Pending], report: IngestReport) -> tuple[set[int], set[int]]:
        """Store a prepared chunk and place its articles in stories; inside the write transaction.

        Returns the stories it touched and, among them, those it started.
        """
        near, clusterer, weighter = self._state()
        # Another ingest may have stored some of these since this run started.
        stored = self.store.existing_keys([p.key for p in chunk])
        report.already_stored += len(stored)
        touched: set[int] = set()
        started: set[int] = set()
        fresh_stories = unsettled(self.store)
        for pending in (p for p in chunk if p.key not in stored):
            self._store_article(pending, near, report)
            self._constraints.admit(pending.original_id or pending.id, pending.key, pending.digest)
            self.store.add_entities(pending.id, pending.entities)
            story_id, created = self._place(pending, clusterer, weighter, report)
            if created:
                fresh_stories.append(story_id)
                started.add(story_id)
            touched.add(story_id)
        for pending in chunk:
            if pending.key not in stored and pending.figures is not None:
                save_figures(self.store.conn, pending.id, pending.figures)
        for story_id in touched:
            state = clusterer.index.states.get(story_id)
            if state is not None:
                self.store.save_story_state(state)
        self.store.set_meta(TERMS_META, weighter.dump())
        save_unsettled(self.store, fresh_stories)
        mark_for_split(self.store, touched)
        return touched, started

    def _store_article(self, pending: _Pending, near: NearDuplicateIndex, report: IngestReport) -> None:
        """Insert an article, marking it as a copy of an earlier one when it is an exact or near duplicate."""
        assert pending.signature is not None
        article = pending.article
        kind: str | None = None
        exact = self.store.find_text_hash(pending.digest)
        if exact is not None:
            pending.original_id, kind = exact.original_id, "exact"
        else:
            match = near.find(pending.signature)
            if match is not None:
                pending.original_id, kind = match, "near"
        outlet = self._name_outlet(outlet_for(article.url, article.source_name, article.text))
        pending.id = self.store.insert_article(
            article,
            key=pending.key,
            outlet_id=self.store.outlet_id(outlet.domain, outlet.name),
            text_hash=pending.digest,
            duplicate_of=pending.original_id,
            duplicate_kind=kind,
            note=outlet.note,
        )
        if pending.original_id is None:
            near.add(pending.id, pending.signature)
        else:
            report.duplicates += 1
        report.added += 1

    def _place(
        self, pending: _Pending, clusterer: Clusterer, weighter: TermWeighter, report: IngestReport
    ) -> tuple[int, bool]:
        """Put an article in a story: a duplicate follows its original, others go through the clusterer.

        Returns the story id and whether the story is new.
        """
        assert pending.signature is not None and pending.embedding is not None
        if pending.original_id is not None:
            story_id = self.store.copy_of(pending.original_id).story_id or self.store.create_story()
            self.store.save_features(pending.id, embedding=None, minhash=None, terms={})
            self.store.set_story(pending.id, story_id)
            return story_id, False
        article = pending.article
        names = [name for name, _, _ in pending.entities]
        terms = weighter.add(article.title, article.text[: self.settings.embedding_chars], names)
        assignment = clusterer.assign(ArticleFeatures(pending.id, article.published, pending.embedding, terms))
        report.stories_created += int(assignment.created)
        self.store.save_features(
            pending.id, embedding=pending.embedding, minhash=pending.signature.hashvalues, terms=terms
        )
        self.store.set_story(pending.id, assignment.story_id)
        return assignment.story_id, assignment.created

    # --- rebuilding -----------------------------------------------------------------------------------

    def recluster(self, *, reread: bool = False, progress: Progress = no_progress) -> tuple[int, int]:
        """Rebuild every story with the current settings from stored features, in two transactions.

        The first rebuilds the stories (after reading the stored texts again for the features, with ``reread``:
        :mod:`crosscheck.reread`, so that settings on how articles are read apply to them too); stopped, it leaves
        the database as it was. The second gives new stories their second look, splits them into developments and
        summarises, as an ingest settles; stopped, it leaves that to the next ingest or recluster, as a killed
        ingest does. Old story ids redirect to the new story holding most of their articles, so links keep
        working. Returns (stories before, stories after).
        """
        with self._writing():
            if reread:
                self._reread(progress)
            before = self.store.reader.counts()["stories"]
            rebuild_stories(self.store, self.settings)
            self._forget_state()
        with self._writing():
            self._settle_stories()  # every story is summarised once, when it settles
        return before, self.store.reader.counts()["stories"]

    def _reread(self, progress: Progress) -> None:
        """Read every stored article again for its features; inside the write transaction."""
        articles = self.store.reader.counts()["articles"]
        weighter = reread_features(
            self.store,
            self.settings,
            embedder=self.embedder,
            recognizer=self.recognizer,
            workers=self._workers_for(articles),
            progress=progress,
        )
        self.store.set_meta(TERMS_META, weighter.dump())

    # --- corrections (crosscheck.corrections) ----------------------------------------------------------

    def merge_stories(self, into: int, other: int, *, reason: str = "") -> int:
        """Merge story ``other`` into ``into`` for good (``other`` redirects there); returns the story."""
        with self._writing():
            changed = corrections.merge_stories(self.store, into, other, reason)
            self._settle_correction(changed)
        return self.store.reader.resolve_story_id(into)

    def move_article(self, article_id: int, to: int | None, *, reason: str = "") -> int:
        """Move an article into story ``to`` (None: a new story) for good; returns the story it is in now."""
        with self._writing():
            target, changed = corrections.move_article(self.store, article_id, to, reason)
            self._settle_correction(changed)
        return target

    def split_story(
        self, story_id: int, *, articles: Iterable[int] = (), at: str | None = None, reason: str = ""
    ) -> int:
        """Split some articles (or those dated from ``at`` on) out of a story for good; returns the new story."""
        with self._writing():
            new, changed = corrections.split_story(self.store, story_id, reason, articles=articles, at=at)
            self._settle_correction(changed)
        return new

    def _settle_correction(self, changed: set[int]) -> None:
        """Rebuild the clustering state and the summary of each story a correction changed."""
        corrections.rebuild_states(self.store, self.settings, changed)
        self._refresh_stories(changed)
        self._forget_state()

    # --- second look and summaries ------------------------------------------------------------------

    def _settle_stories(self) -> tuple[dict[int, int], set[int]]:
        """Give each story started with a single report a second look (:mod:`crosscheck.settle`), now that the
        whole batch is in, split the stories touched into their developments, and summarise every story changed
        since its summary. Returns ({merged or emptied: into}, the stories the split created).
        """
        _, clusterer, _ = self._state()
        settled = second_look(self.store, clusterer)
        self._refresh_stories(settled.to_summarise, self._constraints)
        self.store.clear_mark(UNSUMMARISED)
        return settled.merged, settled.created

    def _summarise_chunk(self, touched: set[int], started: set[int]) -> None:
        """Summarise the stories a chunk started; only recount the others, summarised when the ingest settles.

        A story that many chunks add to (a saga covered every day; an old story that undated articles join) is
        summarised once per ingest, after the split, which may change it again, rather than after every
        chunk. Its counts and dates stay current meanwhile.
        """
        for story_id in sorted(touched - started):
            self.store.recount_story(story_id)
        self._refresh_stories(started, self._constraints)
        self.store.mark_stories(UNSUMMARISED, touched - started)

    def _refresh_stories(self, story_ids: set[int], constraints: StoredConstraints | None = None) -> None:
        """Recompute the summary of each story (:func:`crosscheck.story_summaries.refresh_summaries`), with the
        corrections the clusterer holds (read again when none are given: a correction just made)."""
        refresh_summaries(self.store, self.settings, story_ids, constraints)
