"""Fuzz target (atheris) for crosscheck's ingest entry point: bytes in, articles or failures out, nothing else.

Each input is one byte choosing the file name (so that name-based format hints are exercised: ``.txt``, ``.html``,
``.rss``, ``.jsonl``, ``.gz`` …) followed by the file's bytes, read by
:func:`crosscheck.ingest.dispatch.parse_input`, the path ``read_inputs`` takes for every file and URL, without the
guard that turns unexpected exceptions into failures. Any exception but ``InputError`` is a bug, and so is an
article the store could not take (lone surrogates, empty or overlong fields).

Run: ``.venv/bin/python fuzz/fuzz_ingest.py -max_total_time=60`` (libFuzzer options; with no corpus folder given,
a temporary one is seeded from ``tests/fixtures/ingest`` and ``tests/fixtures/hostile``).
``tests/test_ingest_fuzz.py`` runs it for a bounded time in CI.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["crosscheck"]):
    from crosscheck.errors import InputError
    from crosscheck.ingest.cleanup import MAX_TITLE_CHARS
    from crosscheck.ingest.dispatch import parse_input
    from crosscheck.ingest.origin import Origin
    from crosscheck.models import IngestFailure, ParsedArticle
    from crosscheck.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED_FOLDERS = (ROOT / "tests" / "fixtures" / "ingest", ROOT / "tests" / "fixtures" / "hostile")
NAMES = ("article.txt", "page.html", "feed.rss", "feed.atom", "dump.jsonl", "page.html.gz", "data.bin", "feed.xml")
# Small caps keep each run quick; extraction in this process (no worker) so that coverage reaches it.
SETTINGS = Settings(max_document_bytes=1_000_000, max_decompressed_bytes=2_000_000, extraction_timeout=0)


def _check(item: ParsedArticle | IngestFailure) -> None:
    """What the store and the CLI rely on, for every item read."""
    if isinstance(item, IngestFailure):
        assert item.reason and "\n" not in item.reason, item
        return
    for value in (item.text, item.title, item.external_id, item.url or "", item.location, *item.authors):
        value.encode("utf-8")  # no lone surrogates: SQLite could not store them
    assert len(item.text) >= SETTINGS.min_article_chars and len(item.title) <= MAX_TITLE_CHARS, item
    assert len(item.text) <= SETTINGS.max_article_chars, item


def test_one_input(data: bytes) -> None:
    """The fuzz target: read one input; only InputError may escape."""
    name = NAMES[data[0] % len(NAMES)] if data else NAMES[0]
    origin = Origin(location=name, name=name, external_id=name)
    try:
        for item in parse_input([data[1:]], origin, SETTINGS):
            _check(item)
    except InputError:
        pass


def _seed(folder: Path) -> None:
    """Copy the ingest and hostile fixtures into ``folder``, each behind the byte that selects a fitting name."""
    for source in SEED_FOLDERS:
        for path in sorted(source.iterdir()):
            if path.is_file() and not path.name.endswith((".json", ".py")):
                suffix = path.suffix.lower()
                selector = next((i for i, name in enumerate(NAMES) if name.endswith(suffix)), 0)
                (folder / path.name).write_bytes(bytes([selector]) + path.read_bytes())


def main() -> None:
    """Run libFuzzer with the arguments given; seed a temporary corpus when none is named."""
    args = list(sys.argv)
    corpus = None
    if not any(not arg.startswith("-") for arg in args[1:]):
        corpus = Path(tempfile.mkdtemp(prefix="crosscheck-fuzz-"))
        _seed(corpus)
        args.append(str(corpus))
    try:
        atheris.Setup(args, test_one_input)
        atheris.Fuzz()
    finally:
        if corpus is not None:
            shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    main()
