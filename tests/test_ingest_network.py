"""Fetching from a server that misbehaves on purpose (``tests/fixtures/hostile/misbehaving_server.py``, on
127.0.0.1 only, so private addresses are allowed here): slow drips, endless bodies, wrong lengths, gzip bombs,
redirect loops. Every fetch must end by its deadline with one clear failure; no test touches the internet.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import socket
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from crosscheck.ingest import fetch, read_inputs
from crosscheck.models import IngestFailure
from crosscheck.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _load_bench() -> ModuleType:
    """bench/hostile.py, loaded from its file once (bench/ is not a package)."""
    name = "crosscheck_bench_hostile"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


hostile = _load_bench()
URL_CASES = [case for case in hostile.load_cases() if case.kind == "url"]
SETTINGS = hostile.corpus_settings()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with hostile.SERVER.misbehaving_server() as base:
        yield base


def _fetch(url: str, **changes: Any) -> tuple[list[Any], float]:
    settings = dataclasses.replace(SETTINGS, **changes)
    start = time.monotonic()
    items = list(read_inputs([url], settings, allow_private=True))
    return items, time.monotonic() - start


@pytest.mark.parametrize("case", URL_CASES, ids=lambda case: case.name)
def test_network_case_behaves_by_its_deadline(server: str, case: Any) -> None:
    (outcome,) = hostile.run_urls([case], server, SETTINGS)
    assert outcome.ok, "\n".join(outcome.problems)
    assert outcome.seconds < SETTINGS.fetch_timeout + 1.5


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers", "/silent"])
def test_fetch_timeout_is_one_deadline_not_a_per_read_limit(server: str, path: str) -> None:
    # A byte every 50 ms never trips a per-read timeout; only a deadline for the whole fetch ends these.
    (item,), elapsed = _fetch(server + path, fetch_timeout=0.8)
    assert isinstance(item, IngestFailure) and "timed out" in item.reason
    assert 0.7 < elapsed < 1.8


def test_redirect_hops_share_one_deadline(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each hop is quick but the deadline runs across them: with no time left, the next hop is not started.
    real = fetch._checked_addresses

    def slow_check(url: str, allow_private: bool, deadline: float) -> list[Any]:
        time.sleep(0.25)
        return real(url, allow_private, deadline)

    monkeypatch.setattr(fetch, "_checked_addresses", slow_check)
    (item,), elapsed = _fetch(server + "/loop", fetch_timeout=0.6)
    assert isinstance(item, IngestFailure) and "timed out" in item.reason, item
    assert elapsed < 1.5


def test_endless_body_is_cut_at_the_cap_with_bounded_memory(server: str) -> None:
    tracemalloc.start()
    try:
        (item,), elapsed = _fetch(server + "/endless", max_input_bytes=2_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(item, IngestFailure) and "max_input_bytes (2000000 bytes)" in item.reason
    assert peak < 12_000_000 and elapsed < 2


def test_gzip_bomb_over_http_is_inflated_under_the_cap(server: str) -> None:
    tracemalloc.start()
    try:
        (item,), _ = _fetch(server + "/gzip-bomb", max_document_bytes=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(item, IngestFailure) and "max_document_bytes (1000000 bytes) once decompressed" in item.reason
    assert peak < 20_000_000  # the 3 MB compressed body and a few chunks, never the 2 GB inside


def test_slow_dns_is_cut_off_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def hanging_getaddrinfo(*args: object, **kwargs: object) -> list[Any]:
        release.wait(10)
        raise socket.gaierror("gave up")

    monkeypatch.setattr(fetch.socket, "getaddrinfo", hanging_getaddrinfo)
    try:
        (item,), elapsed = _fetch("http://news.invalid/article", fetch_timeout=0.5)
    finally:
        release.set()
    assert isinstance(item, IngestFailure) and "timed out resolving host 'news.invalid'" in item.reason
    assert elapsed < 1.5


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0x7f000001/",
        "http://127.1/",
        "http://0/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::1]/",
        "http://evil.example@127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata address
        "http://10.0.0.1:8080/",
    ],
)
def test_private_address_spellings_are_refused_before_connecting(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("a refused URL must not be connected to")

    monkeypatch.setattr(fetch, "_connect", no_connection)
    (item,) = list(read_inputs([url], Settings()))
    assert isinstance(item, IngestFailure) and "non-public address" in item.reason, item


def test_every_address_a_host_resolves_to_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host whose first address is public and second is private is refused: a check of the first alone would
    let a rebinding name reach 127.0.0.1."""
    import ipaddress

    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("a refused URL must not be connected to")

    addresses = [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("127.0.0.1")]
    monkeypatch.setattr(fetch, "resolve", lambda host, port, timeout=None: addresses)
    monkeypatch.setattr(fetch, "_connect", no_connection)
    (item,) = list(read_inputs(["http://news.example.org/story"], Settings()))
    assert isinstance(item, IngestFailure) and "non-public address 127.0.0.1" in item.reason, item
