"""Fetching URLs: fixtures served from a local http.server on 127.0.0.1 (no test touches the internet).

Loopback is private, so the happy paths run with ``allow_private=True``; without it every request is refused
before a connection is made (SSRF protection), on the first hop and on every redirect.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crosscheck.ingest import fetch, read_inputs
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
TEXT = "A plain text article served over HTTP, long enough to pass the minimum length, about the weather."

# path -> (status, headers, body)
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/article.html": (200, {"Content-Type": "text/html; charset=utf-8"}, (FIXTURES / "article-page.html").read_bytes()),
    "/feed": (200, {"Content-Type": "application/rss+xml"}, (FIXTURES / "full-content.rss").read_bytes()),
    "/data.jsonl.gz": (
        200,
        {"Content-Type": "application/gzip"},
        gzip.compress((FIXTURES / "articles.jsonl").read_bytes()),
    ),
    "/encoded": (200, {"Content-Type": "text/plain", "Content-Encoding": "gzip"}, gzip.compress(TEXT.encode())),
    "/latin1": (200, {"Content-Type": "text/plain; charset=iso-8859-1"}, ("Zürich: " + TEXT).encode("latin-1")),
    "/redirect": (302, {"Location": "/article.html"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
    "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    "/big": (200, {"Content-Type": "text/plain"}, TEXT.encode() * 100),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/host":
            body = f"The request arrived with the Host header {self.headers['Host']} and this filler text.".encode()
            status, headers = 200, {"Content-Type": "text/plain"}
        elif self.path.startswith("/redirect-to/"):
            status, headers, body = 302, {"Location": "http://" + self.path.removeprefix("/redirect-to/")}, b""
        else:
            status, headers, body = ROUTES.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _read(
    url: str, settings: Settings | None = None, allow_private: bool = True
) -> list[ParsedArticle | IngestFailure]:
    return list(read_inputs([url], settings or Settings(), allow_private=allow_private))


def test_html_page_is_fetched_and_extracted(server: str) -> None:
    (item,) = _read(f"{server}/article.html")
    assert isinstance(item, ParsedArticle), item
    assert item.format == "html"
    assert item.location == item.external_id == f"{server}/article.html"
    assert item.url == "https://ledger.example.org/news/2025/11/harbour-ferry-timetable"  # the page's canonical
    assert item.title == "Harbour board backs winter ferry timetable"


def test_loopback_is_refused_without_allow_private(server: str) -> None:
    for url in (f"{server}/article.html", server.replace("127.0.0.1", "localhost") + "/article.html"):
        (item,) = _read(url, allow_private=False)
        assert isinstance(item, IngestFailure)
        assert item.location == url
        assert "non-public address" in item.reason


def test_every_redirect_hop_is_checked(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend 127.0.0.1 is public; the redirect then leads to 127.0.0.2, which must still be refused.
    monkeypatch.setattr(fetch, "is_public_address", lambda address: str(address) == "127.0.0.1")
    port = server.rsplit(":", 1)[1]
    (item,) = _read(f"{server}/redirect-to/127.0.0.2:{port}/article.html", allow_private=False)
    assert isinstance(item, IngestFailure) and "127.0.0.2" in item.reason
    (ok,) = _read(f"{server}/redirect", allow_private=False)
    assert isinstance(ok, ParsedArticle)


def test_redirects_are_followed_but_limited(server: str) -> None:
    (item,) = _read(f"{server}/redirect")
    assert isinstance(item, ParsedArticle)
    assert item.location == f"{server}/redirect" and item.external_id == f"{server}/article.html"
    (loop,) = _read(f"{server}/loop")
    assert isinstance(loop, IngestFailure) and "more than 5 redirects" in loop.reason
    (scheme,) = _read(f"{server}/to-file")
    assert isinstance(scheme, IngestFailure) and "unsupported URL scheme" in scheme.reason


def test_host_header_names_the_host_while_connecting_to_the_checked_address(server: str) -> None:
    url = server.replace("127.0.0.1", "localhost") + "/host"
    (item,) = _read(url)
    assert isinstance(item, ParsedArticle), item
    assert f"Host header {url.split('/')[2]}" in item.text


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/image.png", "unsupported content type 'image/png'"), ("/missing", "HTTP 404"), ("/big", "max_input_bytes")],
)
def test_refused_responses(server: str, path: str, reason: str) -> None:
    (item,) = _read(f"{server}{path}", settings=Settings(max_input_bytes=2000))
    assert isinstance(item, IngestFailure) and reason in item.reason


def test_timeout(server: str) -> None:
    (item,) = _read(f"{server}/slow", settings=Settings(fetch_timeout=0.3))
    assert isinstance(item, IngestFailure) and "timed out" in item.reason


def test_feed_jsonl_gzip_and_charset_over_http(server: str) -> None:
    entries = _read(f"{server}/feed")
    assert [item.location for item in entries] == [f"{server}/feed#entry-1", f"{server}/feed#entry-2"]
    lines = _read(f"{server}/data.jsonl.gz")
    assert [item.location for item in lines] == [f"{server}/data.jsonl.gz:{n}" for n in (1, 2, 3)]
    assert all(isinstance(item, ParsedArticle) and item.format == "jsonl" for item in lines)
    (encoded,) = _read(f"{server}/encoded")
    assert isinstance(encoded, ParsedArticle) and encoded.text == TEXT
    (latin,) = _read(f"{server}/latin1")
    assert isinstance(latin, ParsedArticle) and latin.text.startswith("Zürich: ")


def test_public_address_rules() -> None:
    import ipaddress

    public = ["93.184.216.34", "2606:4700:4700::1111"]
    private = [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::1",
        "224.0.0.1",
        "240.0.0.1",
    ]
    assert all(fetch.is_public_address(ipaddress.ip_address(a)) for a in public)
    assert not any(fetch.is_public_address(ipaddress.ip_address(a)) for a in private)
