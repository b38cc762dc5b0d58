"""Storage: SQLite (WAL, FTS5, migrations), or PostgreSQL given a ``postgresql://`` URL, behind a writer
(:class:`Store`) and a reader (:class:`Reader`)."""

from crosscheck.storage.database import connect, resolve_db_path
from crosscheck.storage.reader import Reader
from crosscheck.storage.records import ArticleRecord, Bullet, EntityCount, SearchHit, StoryRecord
from crosscheck.storage.store import Store

__all__ = [
    "ArticleRecord",
    "Bullet",
    "EntityCount",
    "Reader",
    "SearchHit",
    "Store",
    "StoryRecord",
    "connect",
    "resolve_db_path",
]
