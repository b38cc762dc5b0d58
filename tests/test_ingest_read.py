"""read_inputs end to end: limits (size, gzip bombs, truncation), directory walks, and a batch that goes on."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import tracemalloc
from pathlib import Path

from crosscheck.ingest import read_inputs, walk
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings

ARTICLE = (
    "The regional council approved a new cycling plan on Thursday, adding forty kilometres of protected lanes "
    "over the next three years.\n\nThe plan costs about 12 million euros, shared between the region and the towns."
)


def _write(path: Path, text: str = ARTICLE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _read(*inputs: Path | str, settings: Settings | None = None) -> list[ParsedArticle | IngestFailure]:
    return list(read_inputs([str(value) for value in inputs], settings or Settings()))


def test_gzip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    # 200 MB of one repeated word compress to about 200 kB; the cap is 1 MB. (Text, not NUL bytes, so that it is
    # not refused as binary before the cap is reached.)
    bomb = tmp_path / "bomb.txt.gz"
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as handle:
        block = b"lol " * (1 << 18)
        for _ in range(200):
            handle.write(block)
    bomb.write_bytes(buffer.getvalue())
    assert bomb.stat().st_size < 500_000
    settings = Settings(max_decompressed_bytes=1_000_000)
    tracemalloc.start()
    try:
        items = _read(bomb, settings=settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], IngestFailure)
    assert "max_decompressed_bytes" in items[0].reason
    assert peak < 20_000_000  # bounded by the chunk size, not by the 200 MB inside


def test_gzip_jsonl_is_streamed_and_a_cap_keeps_what_came_before(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"n{i}", "title": f"Item {i}", "text": ARTICLE}) for i in range(400)]
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    items = _read(path, settings=Settings(max_decompressed_bytes=100_000))
    articles = [item for item in items if isinstance(item, ParsedArticle)]
    assert 0 < len(articles) < 400
    assert [a.external_id for a in articles] == [f"n{i}" for i in range(len(articles))]
    assert isinstance(items[-1], IngestFailure) and "max_decompressed_bytes" in items[-1].reason
    assert items[-1].location == str(path)


def test_corrupt_and_nested_gzip(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.txt.gz"
    truncated.write_bytes(gzip.compress(ARTICLE.encode())[:-12])
    nested = tmp_path / "twice.txt.gz"
    nested.write_bytes(gzip.compress(gzip.compress(ARTICLE.encode())))
    first, second = _read(truncated, nested)
    assert isinstance(first, IngestFailure) and "gzip" in first.reason
    assert isinstance(second, IngestFailure) and "gzip inside gzip" in second.reason


def test_file_larger_than_max_input_bytes_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.txt", ARTICLE * 10)
    (item,) = _read(path, settings=Settings(max_input_bytes=1000))
    assert isinstance(item, IngestFailure) and "max_input_bytes" in item.reason


def test_long_text_is_truncated_at_max_article_chars(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.txt", "Long report\n" + ARTICLE * 20)
    (item,) = _read(path, settings=Settings(max_article_chars=500))
    assert isinstance(item, ParsedArticle)
    assert item.truncated and len(item.text) <= 500
    assert not item.text.endswith(" ")
    (untouched,) = _read(path)
    assert isinstance(untouched, ParsedArticle) and not untouched.truncated


def test_directory_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    for relative in ("b.txt", "a.txt", "sub/c.txt", "sub/a.txt", "z.txt", ".hidden.txt", ".git/d.txt", "sub/.e.txt"):
        _write(root / relative)
    expected = ["a.txt", "b.txt", "sub/a.txt", "sub/c.txt", "z.txt"]
    assert [path.relative_to(root).as_posix() for path in walk(root)] == expected
    items = _read(root)
    assert [item.location for item in items] == [str(root / name) for name in expected]
    assert all(isinstance(item, ParsedArticle) for item in items)


def test_a_batch_goes_on_after_bad_inputs(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    nav_only = _write(tmp_path / "nav.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    items = _read(empty, missing, nav_only, tmp_path / "sub-does-not-exist", good)
    reasons = [item.reason for item in items if isinstance(item, IngestFailure)]
    assert reasons[0] == "empty"
    assert "No such file" in reasons[1]
    assert "too short" in reasons[2] or "no main text" in reasons[2]
    assert isinstance(items[-1], ParsedArticle) and items[-1].location == str(good)


def test_utf16_jsonl_and_crlf_lines(tmp_path: Path) -> None:
    record = {"id": "u16", "title": "Wide characters", "text": ARTICLE}
    path = tmp_path / "wide.jsonl"
    path.write_bytes(("\ufeff" + json.dumps(record) + "\r\n").encode("utf-16-le"))
    (item,) = _read(path)
    assert isinstance(item, ParsedArticle) and item.external_id == "u16"


def test_min_article_chars_comes_from_settings(tmp_path: Path) -> None:
    path = _write(tmp_path / "short.txt", "A short but complete note about the weather today.")
    assert isinstance(_read(path)[0], ParsedArticle)
    strict = dataclasses.replace(Settings(), min_article_chars=100)
    (item,) = _read(path, settings=strict)
    assert isinstance(item, IngestFailure) and "too short" in item.reason


def test_overlong_title_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "long-title.jsonl"
    path.write_text(json.dumps({"id": "t", "title": "word " * 200, "text": ARTICLE}) + "\n", encoding="utf-8")
    (item,) = _read(path)
    assert isinstance(item, ParsedArticle)
    assert len(item.title) <= 300 and item.title.endswith("…")
