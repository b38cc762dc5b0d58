"""Peak memory and time stay bounded whatever the input: each giant input is read by ``read_inputs`` in a fresh
subprocess, whose peak resident set size (``getrusage``) is compared with its size right before reading.

The inputs are written here at run time (nothing big is committed). Bounds are far below the input sizes: JSON
Lines stream line by line, a long line is skipped as it streams, a single document is refused past
``max_document_bytes``, and text beyond a few times ``max_article_chars`` is cut before it is cleaned.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crosscheck.errors import InputError
from crosscheck.ingest import read_inputs
from crosscheck.ingest.detect import sniff_format
from crosscheck.ingest.feeds import refuse_entities
from crosscheck.ingest.meta import clean_url
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings

MB = 1 << 20
ARTICLE = (
    "The harbour board approved a winter timetable on Tuesday that keeps two daily ferry crossings to the islands, "
    "after a long debate about fuel costs and the age of the fleet. "
)

# Runs in the subprocess: imports first (they are not the input's doing), then the baseline, then the read.
PROBE = """
import json, resource, sys
from crosscheck.ingest import read_inputs
from crosscheck.ingest.worker import _WORKER
from crosscheck.models import ParsedArticle
from crosscheck.settings import Settings
import crosscheck.ingest.html

def peak(who=resource.RUSAGE_SELF):
    return resource.getrusage(who).ru_maxrss * 1024  # kilobytes on Linux

settings = Settings(**json.loads(sys.argv[2]))
base = peak()
articles, reasons = 0, []
for item in read_inputs([sys.argv[1]], settings):
    if isinstance(item, ParsedArticle):
        articles += 1
    else:
        reasons.append(item.reason)
_WORKER.close()  # reaped, so that its peak counts in RUSAGE_CHILDREN
print(json.dumps({"base": base, "peak": peak(), "worker": peak(resource.RUSAGE_CHILDREN), "articles": articles,
                  "reasons": reasons}))
"""


def _probe(path: Path, **settings: Any) -> dict[str, Any]:
    command = [sys.executable, "-c", PROBE, str(path), json.dumps(settings)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["grew_mb"] = (result["peak"] - result["base"]) / MB
    return result


def _write_repeated(path: Path, head: bytes, block: bytes, size: int, tail: bytes = b"") -> Path:
    """Write ``head``, then ``block`` repeated up to about ``size`` bytes, then ``tail``, a block at a time."""
    with path.open("wb") as handle:
        handle.write(head)
        for _ in range(size // len(block)):
            handle.write(block)
        handle.write(tail)
    return path


def _line(identifier: str, text: str) -> bytes:
    return (json.dumps({"id": identifier, "title": f"Article {identifier}", "text": text}) + "\n").encode()


def test_many_megabytes_of_json_lines_stream(tmp_path: Path) -> None:
    lines = b"".join(_line(f"n{i}", ARTICLE * 300) for i in range(20))  # 20 lines of about 50 kB
    path = _write_repeated(tmp_path / "dump.jsonl", b"", lines, 64 * MB)
    result = _probe(path)
    assert result["articles"] == (64 * MB // len(lines)) * 20 and not result["reasons"]
    assert result["grew_mb"] < 60, result


def test_a_giant_single_line_is_skipped_as_it_streams(tmp_path: Path) -> None:
    head = _line("before", ARTICLE) + b'{"id": "huge", "text": "'
    tail = b'"}\n' + _line("after", ARTICLE)
    path = _write_repeated(tmp_path / "long-line.jsonl", head, b"word " * 20_000, 100 * MB, tail)
    result = _probe(path)
    assert result["articles"] == 2
    assert len(result["reasons"]) == 1 and "line longer than max_document_bytes" in result["reasons"][0]
    assert result["grew_mb"] < 40, result


def test_a_giant_document_is_refused_at_the_document_cap(tmp_path: Path) -> None:
    path = _write_repeated(tmp_path / "giant.txt", ARTICLE.encode(), b"word " * 20_000, 100 * MB)
    result = _probe(path)
    assert result["articles"] == 0 and "document larger than max_document_bytes" in result["reasons"][0]
    assert result["grew_mb"] < 60, result


@pytest.mark.parametrize("encoding", ["utf-8", "koi8-r"])
def test_a_document_just_under_the_cap_is_read_in_bounded_memory(tmp_path: Path, encoding: str) -> None:
    # One 15 MB line with no line break (a legacy encoding goes through charset detection as well).
    text = ("Городской совет утвердил бюджет. " if encoding == "koi8-r" else ARTICLE) * 1000
    path = _write_repeated(tmp_path / "one-line.txt", b"", text.encode(encoding), 15 * MB)
    result = _probe(path)
    assert result["articles"] == 1, result
    assert result["grew_mb"] < 150, result


def test_html_extraction_memory_is_bounded_by_the_document_cap(tmp_path: Path) -> None:
    paragraphs = b"".join(f"<p>Paragraph {i}: {ARTICLE}</p>".encode() for i in range(1000))
    path = _write_repeated(tmp_path / "big.html", b"<html><body><article>", paragraphs, 15 * MB, b"</article></body>")
    result = _probe(path, extraction_timeout=5.0)
    assert result["articles"] + len(result["reasons"]) == 1
    assert result["grew_mb"] < 100, result  # this process only decodes and sends the page
    assert result["worker"] < 600 * MB, result  # the worker parses 15 MB of HTML (an lxml tree, copies of it)


@pytest.mark.parametrize(
    "text",
    [
        "A. " * 2_000_000,  # every full stop looks like an initial: was quadratic in the lead-sentence search
        "word " * 3_000_000,  # one line of 15 MB: no line split, no headline test on it
        "Headline\n" + "x" * 15_000_000,  # one 15 MB "word"
    ],
    ids=["initials", "one-line", "one-word"],
)
def test_pathological_plain_texts_are_read_in_linear_time(tmp_path: Path, text: str) -> None:
    path = tmp_path / "text.txt"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    (item,) = list(read_inputs([str(path)], Settings()))
    assert isinstance(item, ParsedArticle) and item.truncated
    assert len(item.title) <= 300
    assert time.perf_counter() - start < 3


@pytest.mark.parametrize(
    ("check", "hostile"),
    [
        # each took time quadratic (or exponential) in its input: hours for a few megabytes
        (refuse_entities, "<!DOCTYPE" * 200_000),
        (clean_url, "http://" + "a" * 1_000_000 + " b"),
        (sniff_format, "<!--a-->" * 8000 + "x"),
    ],
    ids=["doctype-scan", "url-check", "comment-prolog"],
)
def test_no_regular_expression_backtracks_without_bound(check: Any, hostile: str) -> None:
    start = time.perf_counter()
    with contextlib.suppress(InputError):
        check(hostile)
    assert time.perf_counter() - start < 0.5
