"""Reading stored articles again: the features the clusterer uses, rebuilt with the current settings.

An article's entities, embedding and term weights are computed once, when it is ingested, and ``crosscheck
recluster`` replays them. So the settings that change how an article is read (``entity_recognizer``,
``entity_chars``, ``embedding_chars``) reach only articles ingested afterwards, unless the stored texts are read
again: :func:`reread_features` runs entity recognition and the embedding on every stored article, in publication
order, and weighs the terms against statistics rebuilt from nothing, as one ingest of the same articles would.
Figures, quotes and duplicate links stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from crosscheck.claims import ClaimExtractor
from crosscheck.clustering import Embedder
from crosscheck.clustering.lexical import TermWeighter
from crosscheck.entities import EntityRecognizer
from crosscheck.models import ParsedArticle
from crosscheck.prepare import PreparedArticle, prepared_chunks
from crosscheck.settings import Settings
from crosscheck.storage import Store


@dataclass
class _Stored(PreparedArticle):
    """A stored article on its way through the models again."""

    id: int = 0
    copy: bool = False  # a duplicate: it keeps its entities but no features of its own


def _stored_chunks(store: Store, order: list[tuple[int, bool]], size: int) -> Iterator[list[_Stored]]:
    for start in range(0, len(order), size):
        part = order[start : start + size]
        texts = store.article_texts([article_id for article_id, _ in part])
        yield [
            _Stored(ParsedArticle(str(article_id), text, title, published=published), "", "", id=article_id, copy=copy)
            for (article_id, copy), (title, text, published) in zip(part, texts, strict=True)
        ]


def reread_features(
    store: Store,
    settings: Settings,
    *,
    embedder: Embedder,
    recognizer: EntityRecognizer,
    workers: int = 0,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> TermWeighter:
    """Replace every stored article's entities, embedding, MinHash signature and term weights with what the
    current settings read; call inside a write transaction. Returns the rebuilt term statistics (to be stored
    with the features). Stories are not changed: rebuild them afterwards, from the new features."""
    order = store.reading_order()
    weighter = TermWeighter()
    done = 0
    chunks = prepared_chunks(
        _stored_chunks(store, order, settings.ingest_chunk),
        replace(settings, figure_chars=0),  # figures do not take part in clustering
        embedder=embedder,
        recognizer=recognizer,
        figures=ClaimExtractor(),
        workers=workers,
    )
    for chunk in chunks:
        for article in chunk:
            store.replace_entities(article.id, article.entities)
            if not article.copy:
                _save_features(store, article, weighter, settings)
        done += len(chunk)
        if progress is not None:
            progress("reading again", done, len(order))
    store.drop_unused_entities()
    return weighter


def _save_features(store: Store, article: _Stored, weighter: TermWeighter, settings: Settings) -> None:
    """Weigh an original article's terms as the ingest does (statistics so far and this article) and store."""
    assert article.embedding is not None and article.signature is not None
    names = [name for name, _, _ in article.entities]
    terms = weighter.add(article.article.title, article.article.text[: settings.embedding_chars], names)
    store.save_features(article.id, embedding=article.embedding, minhash=article.signature.hashvalues, terms=terms)
