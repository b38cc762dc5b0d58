"""Live news: following feeds (`crosscheck feeds`, `crosscheck watch`).

One concept per module: ``registry`` (the feed list) and ``opml`` (OPML in and out); ``canonical`` (article URLs);
``conditional`` (conditional GET through the guarded fetcher) and ``polite`` (robots.txt, per-host limits);
``schedule`` (due times, back-off); ``poller`` (one feed and its pages) and ``watch`` (the loop); ``pages``
(responses to articles); ``revisions`` (changed pages); ``archive`` and ``warc`` (WARC out and in). The SQL is in
:mod:`crosscheck.storage.feeds`. Nothing is imported here: ``crosscheck ingest`` loads ``warc`` alone.
"""
