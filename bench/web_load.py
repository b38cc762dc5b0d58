"""Web UI load: latency and throughput of the home, a story and a search page under 50 concurrent connections.

Serves the web app with uvicorn on 127.0.0.1 (a free port), as ``crosscheck serve`` does, against an existing
database, warms each page once, then drives each page in turn with ``wrk`` (``apt-get install wrk``) for a
bounded time and reports p50/p95/p99 latency and requests per second. ``--page-cache 0`` turns the answer cache
off, to measure the cost of building every page. Each run cycles through many different pages, so that a cache
does not answer one page over and over: ``--stories`` story pages (the most covered stories first) and
``--queries`` searches (the names of the entities most articles mention); a cache smaller than that set keeps
missing. ``--pattern zipf`` (default) asks for the page of rank i with weight 1/i, as readers crowd the top
stories; ``--pattern cycle`` asks for each in turn. Targets: story p95 < 100 ms, search p95 < 300 ms.

    .venv/bin/python bench/web_load.py crosscheck.db [--duration 10] [--connections 50] [--page-cache 0]
        [--stories 500] [--queries 100] [--workers 1] [--pattern zipf|cycle]

Writes bench/results/web-load.json (web-load-nocache.json with ``--page-cache 0``) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from _shared import ROOT
from crosscheck.storage import connect

TARGETS_MS = {"story": 100.0, "search": 300.0}

# wrk's Lua hook: print the latency percentiles (microseconds) and counts as one JSON line after the run.
WRK_REPORT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f, "requests": %d, "duration_us": %d, ' ..
    '"non_2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def pick_pages(db: Path, stories: int, queries: int) -> dict[str, list[str]]:
    """Paths of the pages to load: home, the most covered stories, searches for the commonest entities."""
    conn = connect(db, readonly=True)
    try:
        ids = conn.execute(
            "SELECT id FROM stories WHERE article_count > 0 ORDER BY article_count DESC, id LIMIT ?", (stories,)
        ).fetchall()
        names = conn.execute(
            """SELECT e.name FROM article_entities ae JOIN entities e ON e.id = ae.entity_id
               WHERE e.label IN ('PERSON', 'ORG', 'GPE') GROUP BY e.name ORDER BY COUNT(*) DESC LIMIT ?""",
            (queries,),
        ).fetchall()
    finally:
        conn.close()
    if not ids:
        sys.exit(f"{db} holds no story: ingest articles first")
    searches = [f"/search?q={quote(str(n[0]))}" for n in names] or ["/search?q=news"]
    return {"home": ["/"], "story": [f"/stories/{i[0]}" for i in ids], "search": searches}


# Zipf: the path of rank i is asked with weight 1 / i, as readers crowd the top stories; cycle: each path in
# turn, the worst case for a cache smaller than the set.
PICK = {
    "zipf": """
cumulative = {}
local total = 0
for i = 1, #paths do total = total + 1 / i; cumulative[i] = total end
pick = function()
  local r, lo, hi = math.random() * total, 1, #paths
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < r then lo = mid + 1 else hi = mid end
  end
  return paths[lo]
end
""",
    "cycle": """
counter = math.random(#paths)
pick = function() counter = counter + 1; return paths[(counter % #paths) + 1] end
""",
}


def wrk_script(paths: list[str], pattern: str) -> str:
    """wrk's Lua: ask for ``paths`` in the given pattern, then report."""
    listed = ", ".join(json.dumps(p) for p in paths)
    request = 'request = function() return wrk.format("GET", pick()) end\n'
    return f"paths = {{{listed}}}\n" + PICK[pattern] + request + WRK_REPORT


def database_size(db: Path) -> dict[str, int]:
    conn = connect(db, readonly=True)
    try:
        row = conn.execute(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM stories WHERE article_count > 0)"
        ).fetchone()
    finally:
        conn.close()
    return {"articles": int(row[0]), "stories": int(row[1]), "file_bytes": db.stat().st_size}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVE = """import os, sys, uvicorn
os.environ["CROSSCHECK_DB"] = sys.argv[1]
os.environ["CROSSCHECK_PAGE_CACHE"] = sys.argv[3]
uvicorn.run("bench_web_app:app", factory=True, host="127.0.0.1", port=int(sys.argv[2]), workers=int(sys.argv[4]),
            log_level="warning")
"""
APP = """import os
from crosscheck.web.app import create_app
def app():
    return create_app(os.environ["CROSSCHECK_DB"], page_cache=int(os.environ["CROSSCHECK_PAGE_CACHE"]))
"""


def start_server(db: Path, port: int, page_cache: int, workers: int, folder: Path) -> subprocess.Popen[bytes]:
    """The app under uvicorn in child processes (as ``crosscheck serve`` runs it); returns once /healthz answers."""
    (folder / "bench_web_app.py").write_text(APP)
    command = [sys.executable, "-c", SERVE, str(db.resolve()), str(port), str(page_cache), str(workers)]
    server = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited: {(server.stderr.read() if server.stderr else b'').decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("the server did not answer within 60 s")


def warm(base: str, path: str) -> float:
    """Load a page once (filling the server's caches); its time in milliseconds. Exits unless it answers 200."""
    started = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=120) as response:
        response.read()
        if response.status != 200:
            sys.exit(f"{path} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def run_wrk(url: str, *, duration: int, connections: int, threads: int, script: Path) -> dict[str, float]:
    """One wrk run against ``url``; latencies in milliseconds."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    raw = json.loads(line.removeprefix("RESULT "))
    seconds = raw["duration_us"] / 1e6
    result = {k: round(raw[k] / 1000, 2) for k in ("p50", "p95", "p99", "max", "mean")}
    result.update(requests=raw["requests"], requests_per_s=round(raw["requests"] / seconds, 1))
    result.update({k: raw[k] for k in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts")})
    return result


def machine() -> dict[str, object]:
    """What the numbers were measured on (the load average shows whether the machine was busy)."""
    return {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "platform": platform.platform()}  # fmt: skip


def print_table(results: dict[str, dict[str, float]]) -> None:
    print(f"{'page':<8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>7}  target")
    for page, r in results.items():
        errors = sum(int(r[k]) for k in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts"))
        target = TARGETS_MS.get(page)
        verdict = "" if target is None else f"p95 < {target:.0f} ms: {'met' if r['p95'] < target else 'MISSED'}"
        print(f"{page:<8} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} {r['requests_per_s']:>8.1f} "
              f"{errors:>7}  {verdict}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="an existing crosscheck database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections (default 50)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--page-cache", type=int, default=2048, help="answers the server caches (0: none)")
    parser.add_argument("--stories", type=int, default=500, help="distinct story pages cycled through")
    parser.add_argument("--queries", type=int, default=100, help="distinct searches cycled through")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--pattern", choices=sorted(PICK), default="zipf", help="how pages are picked")
    parser.add_argument(
        "--warm", action=argparse.BooleanOptionalAction, default=True, help="load every page once before measuring"
    )
    parser.add_argument("--out", type=Path, help="result file (default bench/results/web-load[-nocache].json)")
    args = parser.parse_args()
    name = "web-load.json" if args.page_cache else "web-load-nocache.json"
    out: Path = args.out or ROOT / "bench" / "results" / name
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install -y wrk")
    if not args.db.is_file():
        sys.exit(f"no database at {args.db}")
    pages = pick_pages(args.db, args.stories, args.queries)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = start_server(args.db, port, args.page_cache, args.workers, folder)
        try:
            first_load_ms = {page: round(warm(base, paths[0]), 1) for page, paths in pages.items()}
            if args.warm:  # steady state: every page built once (and cached, as far as the cache holds them)
                for paths in pages.values():
                    for path in paths[1:]:
                        warm(base, path)
            state = machine()
            results = {}
            for page, paths in pages.items():
                script = folder / f"{page}.lua"
                script.write_text(wrk_script(paths, args.pattern))
                results[page] = run_wrk(base + paths[0], duration=args.duration, connections=args.connections,
                                        threads=args.threads, script=script)  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    report = {"database": database_size(args.db), "pages": {k: len(v) for k, v in pages.items()},
              "examples": {k: v[:3] for k, v in pages.items()}, "first_load_ms": first_load_ms,
              "page_cache": args.page_cache, "workers": args.workers, "pattern": args.pattern, "warm": args.warm,
              "duration_s": args.duration,
              "connections": args.connections,
              "machine_before": state,
              "machine_after": machine(), "targets_p95_ms": TARGETS_MS, "results": results}  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    shown = ("database", "pages", "page_cache", "workers", "pattern", "first_load_ms", "machine_before")
    print(json.dumps({k: report[k] for k in shown}, indent=2))
    print_table(results)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
