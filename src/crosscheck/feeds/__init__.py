"""Live news: following feeds (`crosscheck feeds`, `crosscheck watch`).

One concept per module: ``registry`` (the feed list) and ``opml`` (OPML in and out); ``conditional`` (conditional
GET through the guarded fetcher) and ``polite`` (robots.txt, per-host limits); ``schedule`` (due times, back-off);
``poller`` (one feed and its pages) and ``watch`` (the loop); ``pages`` (a fetched page's article); ``archive``
(what was fetched, written as WARC). The SQL is in :mod:`crosscheck.storage.feeds`. Reading pages and archives,
canonical URLs and page revisions belong to ingestion (:mod:`crosscheck.ingest`), which ``crosscheck ingest`` and
`watch` share.
"""
