"""The cost of one guarded conditional GET answered 304, as in a poll cycle where no feed changed.

A local server on 127.0.0.1 answers every request with 304. The same process times ``--requests`` fetches twice,
interleaved in rounds: once building a new TLS context for every fetch (how fetches worked before contexts were
shared; the baseline) and once with the shared context. Reports the median milliseconds per fetch of each and
their ratio, as JSON in bench/results/fetch-304.json.

    .venv/bin/python bench/fetch.py [--requests 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from crosscheck.feeds.conditional import Validators, conditional_get
from crosscheck.ingest import fetch
from crosscheck.settings import Settings

RESULTS = Path(__file__).resolve().parent / "results"


class _NotModified(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(304)
        self.send_header("ETag", '"same"')
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def _server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _NotModified)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/feed.rss"
    finally:
        httpd.shutdown()


def _time_fetches(url: str, count: int, *, shared: bool) -> float:
    """Milliseconds per fetch over ``count`` fetches."""
    settings = Settings(fetch_timeout=5.0)
    original = fetch._ssl_context
    if not shared:  # the baseline: a new context for every fetch, as before
        fetch._ssl_context = lambda: httpx.create_ssl_context(trust_env=False)  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        for _ in range(count):
            answer = conditional_get(url, settings, validators=Validators(etag='"same"'), allow_private=True)
            assert answer.status == 304
        return (time.perf_counter() - started) * 1000 / count
    finally:
        fetch._ssl_context = original  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"new context per fetch": [], "shared context": []}
    with _server() as url:
        _time_fetches(url, 10, shared=True)  # warm-up: imports, first connection
        for _ in range(args.rounds):
            times["new context per fetch"].append(_time_fetches(url, args.requests, shared=False))
            times["shared context"].append(_time_fetches(url, args.requests, shared=True))
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["new context per fetch"] / medians["shared context"]
    for name, value in medians.items():
        print(f"{name:24} {value:7.2f} ms per 304 fetch (median of {args.rounds} rounds of {args.requests})")
    print(f"speed-up: {ratio:.1f}x")
    RESULTS.mkdir(exist_ok=True)
    result = {"requests": args.requests, "rounds": args.rounds, "ms_per_fetch": times, "median_ms": medians,
              "ratio": ratio}  # fmt: skip
    (RESULTS / "fetch-304.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
