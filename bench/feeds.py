"""Feed polling at scale: one full poll cycle of many feeds from a local server, while the web UI answers.

A synthetic news world is served on 127.0.0.1 only (``--hosts`` ports, each port one "outlet host"): ``--feeds``
feeds of ``--entries`` entries each, every entry an invented article (~1,200 characters) about one of many
events, so that outlets cover the same events in their own words and stories form. Feeds carry the full text
(``--mode fulltext``) or a summary with a page to fetch (``--mode pages``). Feeds and pages answer ETags.

Measured, with the models loaded beforehand: cycle 1 (everything new: fetch, parse, archive as WARC, ingest
through the whole pipeline, record) with ``crosscheck serve`` running in another process and one client asking
it for pages throughout (latency p50 / p95, and the same before polling as a baseline); cycle 2 (every feed
answers 304). The per-host delay is 0 here (a throughput measurement): with the default 1 s, a host's requests
are spaced by a second, which bounds the page-fetch rate per host, not the ingest rate.

    .venv/bin/python bench/feeds.py [--feeds 200] [--entries 50] [--hosts 20] [--mode fulltext|pages]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = ["ka", "lo", "mi", "ren", "dor", "vel", "sa", "tor", "an", "bri", "gel", "mon", "ru", "thas", "quin",
             "pel", "zor", "ei", "fa", "nu", "cal", "bes", "ot", "lin", "har", "wen"]  # fmt: skip
PLACE_KINDS = ["Bay", "Valley", "Heights", "Port", "Crossing", "Ridge", "Falls", "Harbour"]
BODIES = ["city council", "port authority", "water utility", "transport ministry", "hospital board", "university",
          "teachers' union", "regional court", "fire service", "chamber of commerce"]  # fmt: skip
SUBJECTS = ["bridge", "bus fares", "hospital wing", "flood defences", "school meals", "ferry strike",
            "housing permits", "dredging plan", "library hours", "wind farm", "parking charges", "museum",
            "water rates", "rail link", "police budget", "heat plan"]  # fmt: skip
VERBS = ["approved", "rejected", "postponed", "announced", "questioned", "defended", "revised", "criticised"]


def _name(rng: random.Random, syllables: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def event(number: int) -> dict[str, str]:
    """The facts of invented event ``number``: its own names (so events differ in words), what, where, a figure."""
    rng = random.Random(number)
    place = f"{_name(rng)} {rng.choice(PLACE_KINDS)}"
    return {
        "place": place, "actor": f"the {place.split()[0]} {rng.choice(BODIES)}",
        "person": f"{_name(rng)} {_name(rng, 3)}", "subject": f"the {_name(rng)} {rng.choice(SUBJECTS)}",
        "verb": rng.choice(VERBS), "figure": str(rng.randint(2, 95)), "day": f"2025-03-{1 + number % 28:02d}",
        "detail": " ".join(_name(rng, 3) for _ in range(3)),
    }  # fmt: skip


def article(feed: int, entry: int, events: int) -> tuple[str, str, str]:
    """(title, text, date) of entry ``entry`` of feed ``feed``: its event, told in this outlet's words."""
    e = event((feed * 7 + entry * 13) % events)
    rng = random.Random(feed * 100_003 + entry)
    actor = e["actor"][0].upper() + e["actor"][1:]
    title = f"{actor} {e['verb']} {e['subject']} in {e['place']}"
    sentences = [
        f"{actor} in {e['place']} {e['verb']} {e['subject']} on {e['day']}, "
        f"a decision that {rng.choice(['surprised', 'pleased', 'angered', 'worried'])} many residents.",
        f"{e['person']}, who {rng.choice(['leads', 'speaks for', 'chairs', 'advises'])} {e['actor']}, said the "
        f"figure of {e['figure']} million would {rng.choice(['cover', 'not cover', 'barely cover'])} the cost.",
        f"Critics in {e['place']} {rng.choice(['asked', 'demanded', 'wanted to know'])} why {e['subject']} had "
        f"{rng.choice(['taken so long', 'cost so much', 'changed so often'])}, naming {e['detail']}.",
        f"{rng.choice(['Officials', 'Residents', 'Business owners', 'Opposition members'])} "
        f"{rng.choice(['expect', 'fear', 'hope'])} a final vote {rng.choice(['next month', 'in the spring', 'soon'])}.",
        f"The {rng.choice(['outlet', 'newsroom', 'paper'])} number {feed} first reported on {e['subject']} "
        f"{rng.randint(2, 9)} weeks ago, when {e['person']} {rng.choice(['warned', 'promised', 'suggested'])} "
        f"that {e['place']} would need {rng.randint(2, 40)} more months.",
    ]
    rng.shuffle(sentences[1:])
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    return title, "\n\n".join(paragraphs * 2), e["day"]


def feed_xml(base: str, feed: int, entries: int, events: int, mode: str) -> bytes:
    items = []
    for entry in range(entries):
        title, text, day = article(feed, entry, events)
        link = f"{base}/a/{feed}/{entry}.html?utm_source=rss"
        body = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
        content = f"<content:encoded>{escape(body)}</content:encoded>" if mode == "fulltext" else ""
        items.append(f"<item><title>{escape(title)}</title><link>{escape(link)}</link><guid>{feed}-{entry}</guid>"
                     f"<pubDate>{day}T08:00:00Z</pubDate><description>{escape(text[:160])}</description>"
                     f"{content}</item>")  # fmt: skip
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Outlet {feed}</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def page_html(feed: int, entry: int, events: int) -> bytes:
    title, text, day = article(feed, entry, events)
    body = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    return (f'<!DOCTYPE html><html lang="en"><head><title>{escape(title)}</title>'
            f'<meta property="article:published_time" content="{day}"></head>'
            f"<body><article><h1>{escape(title)}</h1>{body}</article></body></html>").encode()  # fmt: skip


def make_handler(args: argparse.Namespace) -> type[BaseHTTPRequestHandler]:
    cache: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            path = self.path.split("?", 1)[0]
            parts = path.strip("/").split("/")
            if path == "/robots.txt":
                body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
            elif parts[0] == "feed":
                key = f"{base}{path}"
                if key not in cache:
                    cache[key] = feed_xml(base, int(parts[1].split(".")[0]), args.entries, args.events, args.mode)
                body, kind = cache[key], "application/rss+xml"
            elif parts[0] == "a":
                body, kind = page_html(int(parts[1]), int(parts[2].split(".")[0]), args.events), "text/html"
            else:
                body, kind = b"not found", "text/plain"
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            status = 304 if self.headers.get("If-None-Match") == etag else 200 if body != b"not found" else 404
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


def start_hosts(args: argparse.Namespace) -> list[ThreadingHTTPServer]:
    handler = make_handler(args)
    servers = []
    for _ in range(args.hosts):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
    return servers


class WebProbe:
    """One client asking the web UI for its home page and the stories API in turn, timing each answer."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.latencies: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        paths = ["/", "/api/stories?limit=20", "/api/stats"]
        number = 0
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.base + paths[number % len(paths)], timeout=30) as answer:
                    answer.read()
                self.latencies.append(time.perf_counter() - started)
            except OSError:
                self.failures += 1
            number += 1
            self._stop.wait(0.05)

    def __enter__(self) -> WebProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(40)

    def summary(self) -> dict[str, float]:
        ms = sorted(1000 * x for x in self.latencies)
        if not ms:
            return {"requests": 0, "failures": self.failures}
        return {"requests": len(ms), "failures": self.failures, "p50_ms": round(statistics.median(ms), 1),
                "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1), "max_ms": round(ms[-1], 1)}  # fmt: skip


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "crosscheck", "--db", str(db), "serve", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("crosscheck serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--events", type=int, default=1500, help="distinct invented events the articles cover")
    parser.add_argument("--mode", choices=["fulltext", "pages"], default="fulltext")
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()

    from crosscheck import Pipeline, Settings, Store
    from crosscheck.feeds.registry import add_feeds
    from crosscheck.feeds.watch import Watcher

    hosts = start_hosts(args)
    urls = [f"http://127.0.0.1:{hosts[i % len(hosts)].server_address[1]}/feed/{i}.xml" for i in range(args.feeds)]
    work = Path(tempfile.mkdtemp(prefix="crosscheck-bench-feeds-"))
    db = work / "bench.db"
    settings = Settings(feed_host_delay=0.0, feed_archive=str(work / "warc"))
    results: dict[str, object] = {"feeds": args.feeds, "entries": args.entries, "hosts": args.hosts,
                                  "mode": args.mode, "workers": settings.feed_workers}  # fmt: skip
    with Store(db) as store:
        add_feeds(store, urls)
        pipeline = Pipeline(store, settings)
        pipeline.embedder.embed(["warm up"])  # load the models before timing
        pipeline.recognizer.recognize(["Warm up in Harbor City."])
        web = serve(db, args.port)
        try:
            with WebProbe(f"http://127.0.0.1:{args.port}") as idle:
                time.sleep(10)
            results["web_idle"] = idle.summary()
            watcher = Watcher(pipeline, allow_private=True)
            with WebProbe(f"http://127.0.0.1:{args.port}") as busy:
                first = watcher.poll()
            results["web_while_polling"] = busy.summary()
            second = watcher.poll(force=True)
            watcher.close()
        finally:
            web.terminate()
            web.wait(10)
        stories = store.reader.counts()["stories"]
    for name, cycle in (("cycle_1", first), ("cycle_2_all_304", second)):
        results[name] = {"seconds": round(cycle.seconds, 1), "ok": cycle.ok, "not_modified": cycle.not_modified,
                         "errors": cycle.errors, "pages_fetched": cycle.pages_fetched, "found": cycle.found,
                         "added": cycle.added, "duplicates": cycle.duplicates,
                         "articles_per_s": round(cycle.added / cycle.seconds, 2) if cycle.seconds else 0}  # fmt: skip
    results["stories"] = stories
    results["warc_bytes"] = sum(p.stat().st_size for p in (work / "warc").iterdir())
    out = ROOT / "bench" / "results" / f"feeds-{args.mode}-{args.feeds}x{args.entries}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    for httpd in hosts:
        httpd.shutdown()


if __name__ == "__main__":
    main()
