"""Feed-following parts that need no network: canonical URLs, durations and back-off, OPML, politeness
(per-host gate, robots.txt rules), the feed tables and revision planning."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from crosscheck.errors import InputError
from crosscheck.feeds.conditional import Response
from crosscheck.feeds.opml import parse_opml, write_opml
from crosscheck.feeds.polite import HostGate, Robots, Stopped, origin_of
from crosscheck.feeds.registry import add_feeds, export_opml, import_opml
from crosscheck.feeds.schedule import format_duration, parse_duration, wait_after
from crosscheck.ingest import revisions
from crosscheck.ingest.canonical import canonical_url, choose_url
from crosscheck.ingest.keys import revision_key
from crosscheck.models import ParsedArticle
from crosscheck.storage import Store
from crosscheck.storage import feeds as db

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://WWW.Example.com:443/a/b/?utm_source=x&id=5&fbclid=abc#top", "https://www.example.com/a/b?id=5"),
        ("https://example.com/a?b=1&a=2&gclid=9", "https://example.com/a?a=2&b=1"),
        ("https://example.com/news/story/amp/", "https://example.com/news/story"),
        ("https://example.com/amp/news/story", "https://example.com/news/story"),
        ("https://example.com/news/story.amp.html?outputType=amp", "https://example.com/news/story.html"),
        ("https://example.com/news/story?amp=1", "https://example.com/news/story"),
        ("https://amp.example.com/news/story", "https://example.com/news/story"),
        ("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/x", "https://www.example.com/news/x"),
        ("http://127.0.0.1:8000/p/1?utm_medium=rss", "http://127.0.0.1:8000/p/1"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_canonical_url(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


@pytest.mark.parametrize("given", ["", "ftp://example.com/x", "javascript:alert(1)", "https://[::1", "/relative"])
def test_canonical_url_refuses_what_is_not_http(given: str) -> None:
    assert canonical_url(given) is None


def test_a_declared_canonical_link_counts_only_on_the_same_site() -> None:
    fetched = "https://www.harbor.example/news/1?utm_source=rss"
    assert choose_url("https://harbor.example/news/bridge", fetched) == "https://harbor.example/news/bridge"
    assert choose_url("https://other.example/stolen", fetched) == "https://www.harbor.example/news/1"
    assert choose_url(None, fetched) == "https://www.harbor.example/news/1"


def test_durations() -> None:
    assert parse_duration("15m") == 900
    assert parse_duration("1h30m") == 5400
    assert parse_duration("90s") == 90
    assert parse_duration("2d") == 172800
    for bad in ("15", "m", "15x", "1h 30", ""):
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert format_duration(5400) == "1h30m"
    assert format_duration(0) == "0s"


def test_backoff_doubles_up_to_its_cap_and_honours_retry_after() -> None:
    assert wait_after(900, 0, 21600) == 900
    assert wait_after(900, 1, 21600) == 1800
    assert wait_after(900, 3, 21600) == 7200
    assert wait_after(900, 10, 21600) == 21600
    assert wait_after(86400, 2, 21600) == 86400  # never sooner than the interval
    assert wait_after(900, 1, 21600, retry_after=5000) == 5000
    assert wait_after(900, 1, 21600, retry_after=10**9) == 21600


def test_opml_import_keeps_folders_and_skips_what_is_not_a_feed_url() -> None:
    data = (FIXTURES / "outlets.opml").read_bytes().replace(b"{base}", b"https://feeds.example")
    feeds, skipped = parse_opml(data)
    assert [(f.url, f.title, f.category) for f in feeds] == [
        ("https://feeds.example/harbor.rss", "Harbor Ledger", "Harbor City"),
        ("https://feeds.example/valley.atom", "Valley Courier", "Valley"),
        ("https://feeds.example/top.rss", "Top-level feed", None),
    ]
    assert feeds[0].site_url == "https://feeds.example/"
    assert skipped == ["javascript:alert(1): not an http(s) URL"]


def test_the_example_feed_list_in_the_docs_imports() -> None:
    feeds, skipped = parse_opml((Path(__file__).parents[1] / "docs" / "feeds-example.opml").read_bytes())
    assert len(feeds) >= 40 and not skipped
    assert len({feed.category for feed in feeds}) >= 6  # several countries
    assert all(feed.title and feed.site_url for feed in feeds)


def test_the_example_feed_list_spans_the_spectrum(tmp_path: Path, shared_dir: Path) -> None:
    """The example list's outlets, as the shared rater files rate them: both sides and the centre, mostly rated."""
    from crosscheck.domains import registered_domain
    from crosscheck.sources.assess import Assessor
    from crosscheck.sources.registry import import_shared
    from crosscheck.storage import Store

    feeds, _ = parse_opml((Path(__file__).parents[1] / "docs" / "feeds-example.opml").read_bytes())
    with Store(tmp_path / "ratings.db") as store:
        import_shared(store, shared_dir)
        assessor = Assessor(store.conn)
        leans = Counter(assessor.assess(registered_domain(f.site_url or ""), f.title or "").bias for f in feeds)
    assert leans["left"] + leans["lean left"] >= 5 and leans["right"] + leans["lean right"] >= 5
    assert leans["center"] >= 3 and leans[None] <= len(feeds) * 0.4


def test_opml_with_entities_is_refused() -> None:
    with pytest.raises(InputError, match="refused"):
        parse_opml((FIXTURES / "hostile.opml").read_bytes())
    with pytest.raises(InputError, match="not an OPML"):
        parse_opml(b"<rss><channel/></rss>")
    with pytest.raises(InputError, match="not valid XML"):
        parse_opml(b"<opml><body>")


def test_opml_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "in.opml"
    source.write_bytes((FIXTURES / "outlets.opml").read_bytes().replace(b"{base}", b"https://feeds.example"))
    with Store(tmp_path / "a.db") as store:
        report = import_opml(store, source, interval=1800)
        assert len(report.added) == 3 and len(report.skipped) == 1
        assert import_opml(store, source).existing == report.added  # importing again adds nothing
        exported = export_opml(store.conn)
    again = tmp_path / "out.opml"
    again.write_text(exported, encoding="utf-8")
    with Store(tmp_path / "b.db") as store:
        assert import_opml(store, again).added == report.added
        rows = db.feeds(store.conn)
    assert [(r.title, r.category) for r in rows] == [
        ("Harbor Ledger", "Harbor City"),
        ("Valley Courier", "Valley"),
        ("Top-level feed", None),
    ]
    assert "<script" not in write_opml(rows, title="<script>")  # written by ElementTree: escaped


def test_add_feeds_checks_addresses(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        report = add_feeds(store, ["https://a.example/feed", "file:///etc/passwd", "https://a.example/feed ", "x"])
        assert report.added == ["https://a.example/feed"]
        assert report.existing == ["https://a.example/feed"]
        assert [line.split(":")[0] for line in report.skipped] == ["file", "x"]
        with store.transaction() as conn:
            assert db.remove_feed(conn, "1") and not db.remove_feed(conn, "https://a.example/feed")


def test_host_gate_spaces_requests_per_host_and_caps_concurrency() -> None:
    gate = HostGate(delay=0.15, per_host=1, stop=threading.Event())
    starts: dict[str, list[float]] = {"a": [], "b": []}
    inside = {"a": 0, "max": 0}
    lock = threading.Lock()

    def request(host: str) -> None:
        with gate.turn(f"http://{host}.example/x"):
            with lock:
                starts[host].append(time.monotonic())
                if host == "a":
                    inside["a"] += 1
                    inside["max"] = max(inside["max"], inside["a"])
            time.sleep(0.02)
            with lock:
                inside["a"] -= host == "a"

    threads = [threading.Thread(target=request, args=(host,)) for host in ("a", "a", "a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    gaps = [later - earlier for earlier, later in zip(sorted(starts["a"]), sorted(starts["a"])[1:], strict=False)]
    assert len(starts["a"]) == 3 and all(gap >= 0.15 for gap in gaps)
    assert inside["max"] == 1
    assert min(starts["b"]) - min(starts["a"]) < 0.1  # another host does not wait


def test_host_gate_wait_ends_on_stop() -> None:
    stop = threading.Event()
    gate = HostGate(delay=30, per_host=1, stop=stop)
    with gate.turn("http://a.example/1"):
        pass
    threading.Timer(0.1, stop.set).start()
    started = time.monotonic()
    with pytest.raises(Stopped), gate.turn("http://a.example/2"):
        pass
    assert time.monotonic() - started < 2


def _robots_answer(status: int, body: bytes = b"") -> Response:
    return Response("http://x.example/robots.txt", status, "", "HTTP/1.1", (), (), body, "text/plain", None)


def test_robots_rules_crawl_delay_and_unreachable_hosts() -> None:
    rules = b"User-agent: crosscheck\nDisallow: /private/\nCrawl-delay: 5\n\nUser-agent: *\nDisallow: /\n"
    answers = {"rules.example": _robots_answer(200, rules), "none.example": _robots_answer(404),
               "down.example": _robots_answer(503)}  # fmt: skip
    asked: list[str] = []

    def get(url: str) -> Response:
        asked.append(url)
        host = origin_of(url).split("//")[1]
        if host == "gone.example":
            raise InputError("cannot resolve host")
        return answers[host]

    robots = Robots("crosscheck/0.1 (test)", ttl=3600, get=get)
    assert robots.check("http://rules.example/news/1").allowed
    assert robots.check("http://rules.example/news/1").delay == 5
    assert not robots.check("http://rules.example/private/x").allowed
    assert robots.check("http://none.example/anything").allowed  # 4xx: no rules
    assert not robots.check("http://down.example/a").allowed  # 5xx: everything refused for now
    assert "unreachable" in robots.check("http://gone.example/a").reason
    assert asked.count("http://rules.example/robots.txt") == 1  # cached
    assert origin_of("HTTPS://Example.com:443/a") == "https://example.com"


def test_feed_tables_and_revision_planning(tmp_path: Path) -> None:
    url = "https://harbor.example/news/water"
    first = ParsedArticle("w", "The water utility will raise its rates by 9 per cent in January.", "Water", url=url)
    edited = ParsedArticle("w", "The water utility will raise its rates by 6 per cent in January.", "Water", url=url)
    with Store(tmp_path / "a.db") as store:
        planned = revisions.plan(store.conn, [(first, "t1", None), (first, "t1", None), (edited, "t2", None)])
        assert [p.revision for p in planned] == [1, 2]  # the repeat is unchanged, the edit is revision 2
        assert planned[1].key == revision_key(url, 2) != planned[0].key
        with store.transaction():
            outlet = store.outlet_id("harbor.example", "Harbor")
            for p in planned:
                store.insert_article(p.article, key=p.key, outlet_id=outlet, text_hash=p.digest, duplicate_of=None,
                                     duplicate_kind=None)  # fmt: skip
            assert revisions.record(store.conn, planned) == 1
        stored = db.revisions(store.conn, url)
        assert [r.revision for r in stored] == [1, 2]
        assert revisions.plan(store.conn, [(edited, "t3", None)]) == []  # unchanged since revision 2
        previous = store.conn.execute("SELECT previous_id FROM page_revisions WHERE revision = 2").fetchone()[0]
        assert previous == stored[0].article_id
