"""The hostile-input corpus: run every case in ``tests/fixtures/hostile`` and print what happened to it.

Run from the repository root: ``.venv/bin/python bench/hostile.py > docs/hostile-inputs.md``.

Each case is a sidecar ``NAME.expect.json`` saying what it tests (``about``) and which items reading it must yield
(``items``, as in ``tests/fixtures/ingest``): a file ``NAME`` committed beside it; or a ``generate`` recipe that
builds the input at run time (gzip bombs, giant files, odd file names: nothing big is committed); or a ``url``
path served by a local HTTP server that misbehaves on purpose. ``template`` fixtures have ``@SECRET_URI@``
replaced by the ``file://`` URI of a secret file made for the run: its contents must never appear in any item.

``tests/test_hostile.py`` and ``tests/test_ingest_network.py`` load this file and run the same cases.
"""

from __future__ import annotations

import dataclasses
import gzip
import importlib.util
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from crosscheck.ingest import read_inputs
from crosscheck.ingest.cleanup import printable
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "hostile"
SIDECAR = ".expect.json"
SECRET = "TOP-SECRET-6f1d2c: the contents of a private file that must never be ingested"
# Defaults, except time limits short enough for a test run (the slow page and the dripping servers hit them) and
# an input cap the endless responses reach quickly. The CLI test sets the same through CROSSCHECK_* variables.
CORPUS_SETTINGS = {"fetch_timeout": 2.0, "extraction_timeout": 2.0, "max_input_bytes": 32_000_000}
Item = ParsedArticle | IngestFailure


@dataclass(frozen=True)
class Case:
    """One hostile input and what reading it must give."""

    name: str
    about: str
    items: list[dict[str, Any]]
    spec: dict[str, Any]

    @property
    def kind(self) -> str:
        return "url" if "url" in self.spec else "generated" if "generate" in self.spec else "file"


def load_cases() -> list[Case]:
    """Every case of the corpus, in name order."""
    cases = []
    for sidecar in sorted(FIXTURES.glob(f"*{SIDECAR}")):
        spec = json.loads(sidecar.read_text(encoding="utf-8"))
        cases.append(Case(sidecar.name.removesuffix(SIDECAR), spec["about"], spec["items"], spec))
    return cases


def corpus_settings() -> Settings:
    """The settings every case runs with."""
    return dataclasses.replace(Settings(), **CORPUS_SETTINGS)  # type: ignore[arg-type]


# --- generated inputs --------------------------------------------------------------------------------------------


def load_server() -> ModuleType:
    """``tests/fixtures/hostile/misbehaving_server.py``, the server of the network cases (loaded from its file)."""
    spec = importlib.util.spec_from_file_location("crosscheck_misbehaving_server", FIXTURES / "misbehaving_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SERVER = load_server()
ARTICLE: str = SERVER.ARTICLE


def _gzip_bomb(path: Path, inflated_mb: int) -> Path:
    path.write_bytes(SERVER.gzip_members(b"lol " * (1 << 18), inflated_mb))
    return path


def _gzip_bomb_jsonl(path: Path, inflated_mb: int) -> Path:
    first = json.dumps({"id": "before-the-bomb", "title": "A good line first", "text": ARTICLE}) + "\n"
    path.write_bytes(gzip.compress(first.encode()) + SERVER.gzip_members(b"lol " * (1 << 18), inflated_mb))
    return path


def _sparse_file(path: Path, size_mb: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size_mb << 20)
    return path


def _giant_document(path: Path, size_mb: int) -> Path:
    paragraph = f"<p>{ARTICLE}</p>\n".encode()
    path.write_bytes(b"<html><body>" + paragraph * ((size_mb << 20) // len(paragraph)) + b"</body></html>")
    return path


def _giant_line_jsonl(path: Path, size_mb: int) -> Path:
    long_text = "word " * ((size_mb << 20) // 5)
    lines = [
        {"id": "before", "title": "Before the long line", "text": ARTICLE},
        {"id": "long", "title": "A line of many megabytes", "text": long_text},
        {"id": "after", "title": "After the long line", "text": ARTICLE},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def _giant_single_line(path: Path, size_mb: int) -> Path:
    path.write_text(ARTICLE + " word" * ((size_mb << 20) // 5), encoding="utf-8")
    return path


def _deep_html(path: Path, depth: int) -> Path:
    path.write_text(f"<html><body><p>{ARTICLE}</p>" + "<div>" * depth + "deep" + "</div>" * depth + "</body></html>")
    return path


def _slow_html(path: Path, paragraphs: int) -> Path:
    paragraph = "<p>The council met on Tuesday to discuss the budget for next year and agreed on most points.</p>"
    path.write_text("<html><body><article>" + paragraph * paragraphs + "</article></body></html>")
    return path


def _huge_title(path: Path, title_chars: int) -> Path:
    path.write_text(f"<html><head><title>{'Title ' * (title_chars // 6)}</title></head><body><p>{ARTICLE}</p></body>")
    return path


def _comment_prolog(path: Path, comments: int) -> Path:
    page = f"<!DOCTYPE html><html><head><title>Ferry timetable kept</title></head><body><p>{ARTICLE}</p></body></html>"
    path.write_text("<!--a-->" * comments + page, encoding="utf-8")
    return path


def _doctype_flood(path: Path, repeats: int) -> Path:
    path.write_text("<!DOCTYPE" * repeats, encoding="utf-8")
    return path


def _long_url(path: Path, url_chars: int) -> Path:
    url = "https://news.example.org/" + "a" * url_chars + " b"
    path.write_text(json.dumps({"id": "long-url", "title": "Long address", "url": url, "text": ARTICLE}) + "\n")
    return path


def _xxe_utf16(path: Path) -> Path:
    feed = (FIXTURES / "xxe-file.rss").read_text(encoding="utf-8")
    path.write_bytes(feed.replace("version='1.0'", "version='1.0' encoding='utf-16'").encode("utf-16"))
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _odd_name(path: Path) -> Path:
    odd = path.with_name("odd\nname\x1b[2J.png.txt")
    odd.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return odd


def _undecodable_name(path: Path) -> Path:
    odd = path.with_name(os.fsdecode(b"undecodable-caf\xe9.txt"))
    odd.write_text(f"Ferry timetable kept\n\n{ARTICLE}", encoding="utf-8")
    return odd


def _jsonl_lines(count: int, tag: str) -> str:
    lines = [{"id": f"{tag}-{n}", "title": f"Ferry report {n}", "text": f"{ARTICLE} {tag} {n}."} for n in range(count)]
    return "".join(json.dumps(line) + "\n" for line in lines)


def _truncated_jsonl_gz(path: Path, lines: int, cut: int) -> Path:
    path.write_bytes(gzip.compress(_jsonl_lines(lines, "cut").encode())[:-cut])
    return path


def _truncated_warc_gz(path: Path, records: int, cut: int) -> Path:
    from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
    from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n in range(records):
            body = f"<html><head><title>Ferry report {n}</title></head><body><p>{ARTICLE} Archived page {n}.</p></body>"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            payload = body.encode()
            url = f"https://news.example.org/ferry-{n}"
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                          length=len(payload), http_headers=headers))  # fmt: skip
    data = path.read_bytes()
    path.write_bytes(data[:-cut])
    return path


def _nul_line_jsonl(path: Path, lines: int, nul_line: int) -> Path:
    text = _jsonl_lines(lines, "nul").splitlines(keepends=True)
    text[nul_line] = text[nul_line].replace("Ferry", "Fe\x00rry", 1)
    path.write_text("".join(text), encoding="utf-8")
    return path


def _link_out(path: Path, target: str) -> Path:
    link = path.with_name(path.name)
    link.symlink_to(path.parents[1] / target)  # beside the inputs folder: outside the tree that is read
    return link


RECIPES: dict[str, Callable[..., Path]] = {
    "gzip_bomb": _gzip_bomb,
    "gzip_bomb_jsonl": _gzip_bomb_jsonl,
    "sparse_file": _sparse_file,
    "giant_document": _giant_document,
    "giant_line_jsonl": _giant_line_jsonl,
    "giant_single_line": _giant_single_line,
    "deep_html": _deep_html,
    "slow_html": _slow_html,
    "huge_title": _huge_title,
    "xxe_utf16": _xxe_utf16,
    "comment_prolog": _comment_prolog,
    "doctype_flood": _doctype_flood,
    "long_url": _long_url,
    "fifo": _fifo,
    "odd_name": _odd_name,
    "undecodable_name": _undecodable_name,
    "truncated_jsonl_gz": _truncated_jsonl_gz,
    "truncated_warc_gz": _truncated_warc_gz,
    "nul_line_jsonl": _nul_line_jsonl,
    "link_out": _link_out,
}


def materialize(cases: Iterable[Case], folder: Path, secret: Path) -> dict[str, Path]:
    """Write the file and generated cases into ``folder``; return each case's input path by case name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for case in cases:
        target = folder / case.name
        if case.kind == "generated":
            params = dict(case.spec["generate"])
            paths[case.name] = RECIPES[params.pop("recipe")](target, **params)
        elif case.kind == "file":
            data = (FIXTURES / case.name).read_bytes()
            if case.spec.get("template"):
                data = data.replace(b"@SECRET_URI@", secret.as_uri().encode())
            target.write_bytes(data)
            paths[case.name] = target
    return paths


def make_secret(folder: Path) -> Path:
    """The secret file the XXE cases point at."""
    secret = folder / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return secret


# --- running and checking ---------------------------------------------------------------------------------------

_NOT_FIELDS = {"failure", "location_suffix", "text_startswith", "text_contains", "text_excludes"}


@dataclass
class Outcome:
    """What reading one case gave, and how it differs from what it should have given."""

    case: Case
    target: str  # the location its items are named by
    items: list[Item]
    seconds: float
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_item(item: Item, expected: dict[str, Any], target: str) -> list[str]:
    """The ways ``item`` differs from its expectation (empty when it matches)."""
    location = target + expected.get("location_suffix", "")
    problems = [] if item.location == location else [f"located {item.location!r}, expected {location!r}"]
    if "failure" in expected:
        if not isinstance(item, IngestFailure):
            return [*problems, f"read as an article, expected a failure with {expected['failure']!r}"]
        if expected["failure"] not in item.reason:
            problems.append(f"reason {item.reason!r} lacks {expected['failure']!r}")
        return problems
    if not isinstance(item, ParsedArticle):
        return [*problems, f"failed ({item.reason}), expected an article"]
    for key, value in expected.items():
        if key not in _NOT_FIELDS and getattr(item, key) != value:
            problems.append(f"{key} is {getattr(item, key)!r}, expected {value!r}")
    if not item.text.startswith(expected.get("text_startswith", "")):
        problems.append(f"text starts {item.text[:60]!r}")
    problems += [f"text lacks {part!r}" for part in expected.get("text_contains", []) if part not in item.text]
    problems += [f"text has {part!r}" for part in expected.get("text_excludes", []) if part in item.text]
    return problems


def check(case: Case, target: str, items: list[Item], seconds: float) -> Outcome:
    """Compare a case's items with its expectations; the secret must appear nowhere."""
    outcome = Outcome(case, target, items, seconds)
    if len(items) != len(case.items):
        outcome.problems.append(f"{len(items)} items, expected {len(case.items)}: {[str(i)[:80] for i in items]}")
    for item, expected in zip(items, case.items, strict=False):
        outcome.problems += check_item(item, expected, target)
    if any(SECRET[:20] in repr(item) for item in items):
        outcome.problems.append("the secret file's contents reached an item")
    return outcome


def belongs(location: str, target: str) -> bool:
    """True when an item at ``location`` comes from the input at ``target`` (itself, a line or a feed entry)."""
    return location == target or location.startswith((target + ":", target + "#"))


def run_files(cases: list[Case], folder: Path, settings: Settings, secret: Path) -> list[Outcome]:
    """Materialise the file cases into ``folder`` and read the whole folder in one ``read_inputs`` call."""
    paths = materialize(cases, folder, secret)
    targets = {name: printable(str(path)) for name, path in paths.items()}
    grouped: dict[str, list[Item]] = {name: [] for name in paths}
    times: dict[str, float] = dict.fromkeys(paths, 0.0)
    start = time.perf_counter()
    for item in read_inputs([str(folder)], settings):
        owner = next((name for name, target in targets.items() if belongs(item.location, target)), None)
        if owner is None:
            raise AssertionError(f"an item from no case: {item}")
        grouped[owner].append(item)
        now = time.perf_counter()
        times[owner] += now - start
        start = now
    return [check(case, targets[name], grouped[name], times[name]) for case in cases if (name := case.name) in paths]


def run_urls(cases: list[Case], base: str, settings: Settings) -> list[Outcome]:
    """Fetch each network case from the misbehaving server at ``base`` (private addresses allowed)."""
    outcomes = []
    for case in cases:
        url = base + case.spec["url"]
        start = time.perf_counter()
        items = list(read_inputs([url], settings, allow_private=True))
        outcomes.append(check(case, url, items, time.perf_counter() - start))
    return outcomes


def run_corpus(folder: Path) -> list[Outcome]:
    """Every case of the corpus, files (read as one folder) and URLs, in name order."""
    cases = load_cases()
    settings = corpus_settings()
    secret = make_secret(folder)
    outcomes = run_files([c for c in cases if c.kind != "url"], folder / "inputs", settings, secret)
    with SERVER.misbehaving_server() as base:
        outcomes += run_urls([c for c in cases if c.kind == "url"], base, settings)
    return sorted(outcomes, key=lambda outcome: outcome.case.name)


# --- the report ---------------------------------------------------------------------------------------------------


def _describe(items: Iterable[dict[str, Any] | Item]) -> str:
    reasons: list[str] = []
    articles = 0
    for item in items:
        if (isinstance(item, dict) and "failure" not in item) or isinstance(item, ParsedArticle):
            articles += 1
        else:
            reasons.append(str(item["failure"] if isinstance(item, dict) else item.reason))
    parts = [f"{articles} read"] if articles else []
    if reasons:
        shown = sorted(set(reasons), key=reasons.index)
        parts.append(f"{len(reasons)} refused: " + "; ".join(f"“{reason}”" for reason in shown))
    return ", ".join(parts) or "nothing"


def _cell(text: str) -> str:
    escaped = printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("|", "\\|")


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    """Totals: cases, items expected, articles read, items refused, articles lost, cases that did not behave."""
    expected_articles = sum(1 for o in outcomes for item in o.case.items if "failure" not in item)
    read = sum(1 for o in outcomes if o.ok for item in o.items if isinstance(item, ParsedArticle))
    return {
        "cases": len(outcomes),
        "items": sum(len(o.case.items) for o in outcomes),
        "read": read,
        "refused": sum(1 for o in outcomes if o.ok for item in o.items if isinstance(item, IngestFailure)),
        "lost": expected_articles - read,
        "misbehaved": sum(1 for o in outcomes if not o.ok),
    }


def report(outcomes: list[Outcome]) -> str:
    """The markdown report: a summary line and one table row per case."""
    total = counts(outcomes)
    lines = [
        "# Hostile inputs",
        "",
        "Generated by `bench/hostile.py` (do not edit by hand): every case in `tests/fixtures/hostile/`, read with "
        f"default settings except {', '.join(f'`{k}={v}`' for k, v in CORPUS_SETTINGS.items())}. File cases are "
        "read as one folder, network cases are fetched from a local server that misbehaves on purpose. "
        "`tests/test_hostile.py` and `tests/test_ingest_network.py` run the same cases and fail on any difference.",
        "",
        f"**{total['cases']} cases, {total['items']} items: {total['read']} articles read correctly, "
        f"{total['refused']} items refused with a clear reason, {total['lost']} articles lost, "
        f"{total['misbehaved']} cases that did not behave as expected.**",
        "",
        "| case | kind | what it tests | expected | outcome | time |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for outcome in outcomes:
        result = _describe(outcome.items) if outcome.ok else "**FAILED**: " + "; ".join(outcome.problems)
        row = [f"`{outcome.case.name}`", outcome.case.kind, outcome.case.about, _describe(outcome.case.items), result]
        lines.append("| " + " | ".join(_cell(cell) for cell in row) + f" | {outcome.seconds:.2f} s |")
    return "\n".join(lines) + "\n"


# Attacks on the running system rather than on one input, found by trying them as an attacker would: what each did
# before its fix, what happens now, and the test that failed before the fix (in tests/test_hostile_attacks.py
# unless a case of the table is named).
ATTACKS: list[tuple[str, str, str, str]] = [
    ("A NUL byte in a search (`/search?q=%00`, `/api/search?q=%00`)",
     "500 (`unterminated string` from SQLite's full-text search)",
     "200: control characters in a query are spaces", "test_a_nul_byte_in_a_search_is_no_server_error"),
    ("Any server error", "the 500 answer lacked the CSP, nosniff and frame headers",
     "every answer carries them, a 500 included", "test_a_server_error_carries_the_security_headers"),
    ("A database on read-only storage (read-only mount or volume)",
     "`stories` and `export` gave a traceback, `serve` answered 503 “No database yet”",
     "read: a file in a folder that cannot be written is opened immutable",
     "test_a_database_on_read_only_storage_can_be_read"),
    ("A small `.jsonl.gz` or `.warc.gz` cut short", "every record lost (the first 64 kB were inflated before any "
     "was read)", "the records before the cut are read, then one failure names the file",
     "cases `truncated-small.jsonl.gz`, `truncated-small.warc.gz`"),
    ("One NUL byte in the first 64 kB of a JSON Lines file", "the whole file refused as binary",
     "only that line fails", "case `nul-line.jsonl`"),
    ("A link to a file outside the folder given (`/etc/passwd`)", "followed: the file stored as an article",
     "refused by name: “a link to outside the folder given”", "case `link-out.txt`"),
    ("Formula cells (`=HYPERLINK(…)`, `+cmd|…`) and control bytes in `crosscheck export --format csv`",
     "written as they were", "one guard for the CLI and the web downloads: a leading `'`, control characters "
     "dropped", "test_cli_csv_export_guards_formulas_and_control_bytes"),
    ("Snippet markers `[[`/`]]` written in an article's text", "highlighted as matches, unbalanced ones too; in JSON "
     "they could not be told from matches", "matches are character offsets (`matches` in the API); the text is "
     "shown as written", "test_match_markers_in_article_text_are_not_matches"),
    ("A `--db` in a missing folder, a file of random bytes as database", "a traceback",
     "one line naming the path and why, exit 2",
     "test_a_database_in_a_missing_folder_is_a_clear_error, test_a_file_that_is_not_a_database_is_a_clear_error"),
    ("A database from a newer crosscheck", "reads went on without a warning; writes raised a traceback",
     "reads warn; writes are one error line, exit 2", "test_a_database_from_a_newer_crosscheck"),
    ("`CROSSCHECK_INGEST_CHUNK=0`, `CROSSCHECK_MINHASH_PERMUTATIONS=0`; `CROSSCHECK_FETCH_TIMEOUT=nan` or `-5`, "
     "`CROSSCHECK_MIN_ARTICLE_CHARS=-100`, `CROSSCHECK_MODEL_WORKERS=1000`", "tracebacks; the others accepted",
     "every numeric setting is checked against its range: one line naming it, exit 2",
     "test_out_of_range_settings_stop_every_command"),
    ("An unknown `CROSSCHECK_*` name (a misspelt setting)", "silently ignored", "one line naming it, exit 2",
     "test_an_unknown_setting_name_stops_every_command"),
    ("`serve --host 0.0.0.0`", "no warning; LAN requests got a bare 400 “Invalid host header”",
     "a warning on start; the 400 names the host and `CROSSCHECK_ALLOWED_HOSTS`",
     "test_serve_on_every_address_warns_that_it_is_exposed, "
     "test_a_refused_host_is_told_about_the_allowed_hosts_setting"),
    ("`HEAD` on any page, `/healthz` included", "405", "answered as `GET`, without the body",
     "test_head_is_answered_wherever_get_is"),
    ("`/healthz` with no database", "200", "503 with the reason", "test_healthz_says_503_without_a_database"),
    ("`crosscheck stories --order foo`, `--limit -3` (and negative limits and bad ports elsewhere)",
     "a 27-line traceback; every story listed", "a usage error, exit 2", "test_bad_option_values_are_usage_errors"),
    ("A feed of 10,000 near-identical items (one story)", "3.7 GB peak memory: the story's split built "
     "10,000 × 10,000 matrices (3.4 GB), its headline a dense titles × vocabulary one (2.7 GB)",
     "a story of more than 2,000 reports alone is left as placed; titles stay sparse: 655 MB against 3,409 for "
     "the pipeline with stand-in models (bench/feed_memory.py)",
     "test_a_story_too_large_to_split_is_left_as_placed, "
     "test_a_story_headline_never_builds_a_dense_titles_by_words_matrix"),
]  # fmt: skip


def attacks_report() -> str:
    """The markdown section on the attacks on the running system."""
    lines = [
        "",
        "## Attacks on the running system",
        "",
        "Tried as an attacker would against the CLI, the settings, the database and the web server. Each row has a "
        "test that failed before its fix.",
        "",
        "| attack | before | now | test |",
        "| --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in ATTACKS]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run the corpus and print the report; exit 1 when a case did not behave."""
    with tempfile.TemporaryDirectory(prefix="crosscheck-hostile-") as folder:
        outcomes = run_corpus(Path(folder))
    print(report(outcomes) + attacks_report(), end="")
    return 1 if any(not outcome.ok for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
