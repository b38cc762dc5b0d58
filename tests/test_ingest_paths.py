"""One way in: ``crosscheck ingest`` and the library's ``Pipeline.ingest`` store the same database for the same
inputs, web archives (and the page revisions they hold) included."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from crosscheck import Store
from crosscheck.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "crosscheck" / "examples" / "articles"
PAGE = "https://www.bluestemcourier.example/nation/2024/03/26/baltimore-key-bridge-collapse"


def _page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
    return html.encode()


def _archive(path: Path) -> Path:
    """A web archive holding one page captured twice, its text edited in between."""
    lines = (EXAMPLES / "005_key-bridge-collapse.txt").read_text(encoding="utf-8").splitlines()
    paragraphs = [line for line in lines[5:] if line.strip()]
    title = lines[4]
    edited = [*paragraphs[:-1], "Officials said on Wednesday that the channel would reopen within weeks."]
    captures = [("2024-03-26T09:00:00Z", paragraphs), ("2024-03-27T09:00:00Z", edited)]
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for date, text in captures:
            body = _page(title, text)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                PAGE,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)
    return path


def _contents(path: Path) -> dict[str, object]:
    """What a database holds, named by article keys (ids and times of the run left out)."""
    conn = sqlite3.connect(path)
    key = dict(conn.execute("SELECT id, key FROM articles").fetchall())
    articles = conn.execute(
        """SELECT a.key, a.url, a.title, a.text, a.published, a.format, a.location, a.text_hash, a.duplicate_kind,
                  d.key FROM articles a LEFT JOIN articles d ON d.id = a.duplicate_of ORDER BY a.key"""
    ).fetchall()
    revisions = [
        (url, revision, digest, key[article], key.get(previous), fetched)
        for url, revision, digest, article, previous, fetched in conn.execute(
            "SELECT url, revision, text_hash, article_id, previous_id, fetched_at FROM page_revisions"
        )
    ]
    members: dict[int, set[str]] = {}
    for story, article in conn.execute("SELECT story_id, id FROM articles"):
        members.setdefault(story, set()).add(key[article])
    headlines = dict(conn.execute("SELECT id, headline FROM stories").fetchall())
    stories = sorted((sorted(keys), headlines[story]) for story, keys in members.items())
    conn.close()
    return {"articles": articles, "revisions": sorted(revisions), "stories": stories}


def test_cli_and_library_ingest_store_the_same_database(tmp_path: Path, pipeline_factory) -> None:  # type: ignore[no-untyped-def]
    inputs = [str(EXAMPLES), str(_archive(tmp_path / "pages.warc.gz"))]
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "cli.db"), "ingest", *inputs])
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "library.db") as store:
        report = pipeline_factory(store).ingest(inputs)
    assert report.revisions == 1 and not report.failures
    cli, library = _contents(tmp_path / "cli.db"), _contents(tmp_path / "library.db")
    assert [r[:2] for r in library["revisions"]] == [(PAGE, 1), (PAGE, 2)]  # type: ignore[index]
    assert cli == library
