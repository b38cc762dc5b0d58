"""Fetching an http(s) URL safely: timeouts, a size cap while streaming, few redirects, an allowed content type,
and no requests to private networks (SSRF) unless explicitly allowed.

Every hop, redirects included, is resolved first and refused if any address is not public. The connection is
then made to the address that was checked (the host name travels in the Host header and TLS SNI), so a DNS answer
that changes between check and connect (DNS rebinding) cannot slip through.

``fetch_timeout`` is one deadline for the whole fetch, not a limit per socket operation: a server that drips its
headers or body a byte at a time, each in time for a per-read timeout, is still cut off at the deadline. Every
socket operation is given only the time left (a network backend wrapped around httpcore's), and DNS resolution,
which has no timeout of its own, runs in a helper thread that is abandoned at the deadline.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from crosscheck.errors import InputError
from crosscheck.settings import Settings

T = TypeVar("T")

MAX_REDIRECTS = 5
USER_AGENT = "crosscheck/0.1 (self-hosted news-coverage analyzer)"

_REDIRECT_CODES = {301, 302, 303, 307, 308}
_ALLOWED_TYPES = (
    "text/",
    "application/xhtml+xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",  # generic; the body is still sniffed and binary content refused
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Fetched:
    """A fetched response body with what its headers said about it."""

    url: str  # the final URL, after redirects
    body: bytes
    content_type: str
    charset: str | None


def is_url(value: str) -> bool:
    """True when ``value`` is an http or https URL (an input to fetch rather than a path)."""
    return value[:8].lower().startswith(("http://", "https://"))


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses; private, loopback, link-local, reserved, multicast and
    shared (CGNAT) ranges are not public, nor are IPv6 forms that embed such an IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and not is_public_address(embedded):
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(host: str, port: int, timeout: float | None = None) -> list[IPAddress]:
    """All addresses ``host`` resolves to (an IP literal resolves to itself), within ``timeout`` seconds."""
    infos = _getaddrinfo(host, port, timeout)
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise InputError(f"cannot resolve host {host!r}")
    return addresses


def _getaddrinfo(host: str, port: int, timeout: float | None) -> list[Any]:
    """``socket.getaddrinfo`` with a time limit: it has none, so it runs in a daemon thread left behind if slow."""
    found: list[Any] = []

    def look_up() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            found.append(exc)

    thread = threading.Thread(target=look_up, name="crosscheck-resolve", daemon=True)
    thread.start()
    thread.join(timeout)
    if not found:
        raise InputError(f"timed out resolving host {host!r}")
    if isinstance(found[0], BaseException):
        raise InputError(f"cannot resolve host {host!r}") from found[0]
    return list(found[0])


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation must end by one deadline: a total time limit, not one per read."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise error("the fetch deadline has passed")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        left = self._left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with every stream it opens held to ``deadline`` (a monotonic time)."""

    def __init__(self, deadline: float) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise httpcore.ConnectTimeout("the fetch deadline has passed")
        limit = remaining if timeout is None else min(timeout, remaining)
        stream = self._inner.connect_tcp(host, port, limit, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS client context for every fetch: building one loads the CA bundle, about 30 ms of CPU each time,
    which dominated a poll cycle of 304 answers. A context is safe to share between threads."""
    return httpx.create_ssl_context(trust_env=False)


def _transport(deadline: float) -> httpx.HTTPTransport:
    """An httpx transport whose connections end by ``deadline``.

    httpx takes no network backend, so its connection pool is replaced by one built with ours (httpx is pinned;
    tests/test_ingest_network.py checks that a dripping server is cut off at the deadline).
    """
    context = _ssl_context()
    transport = httpx.HTTPTransport(verify=context, trust_env=False)  # given a context, httpx builds none of its own
    transport._pool = httpcore.ConnectionPool(
        ssl_context=context,
        max_connections=4,
        network_backend=_DeadlineBackend(deadline),
    )
    return transport


def _checked_addresses(url: str, allow_private: bool, deadline: float) -> list[IPAddress]:
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        raise InputError(f"unsupported URL scheme {parts.scheme!r}")
    if not parts.hostname:
        raise InputError("URL without a host")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise InputError("URL with an invalid port") from exc
    addresses = resolve(parts.hostname, port, max(0.0, deadline - time.monotonic()))
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise InputError(f"refused: {parts.hostname} resolves to non-public address {address}")
    return addresses


def _pinned_request(client: httpx.Client, url: str, address: IPAddress) -> httpx.Request:
    """A request for ``url`` that connects to ``address`` while presenting the original host name."""
    target = httpx.URL(url)
    host_header = target.netloc.decode("ascii")
    if "@" in host_header:
        host_header = host_header.rsplit("@", 1)[1]
    request = client.build_request(
        "GET",
        target.copy_with(host=str(address)),
        headers={"Host": host_header},
        extensions={"sni_hostname": target.host},
    )
    return request


def _connect(client: httpx.Client, url: str, addresses: list[IPAddress]) -> httpx.Response:
    """Send the request to the first checked address that accepts a connection (IPv6 and IPv4 in DNS order)."""
    for address in addresses[:-1]:
        try:
            return client.send(_pinned_request(client, url, address), stream=True)
        except httpx.ConnectError:
            continue
    return client.send(_pinned_request(client, url, addresses[-1]), stream=True)


def content_type(response: httpx.Response) -> str:
    value = str(response.headers.get("content-type", ""))
    kind = value.split(";", 1)[0].strip().lower()
    if kind and not (kind.startswith(_ALLOWED_TYPES) or kind.endswith(("+xml", "+json"))):
        raise InputError(f"unsupported content type {kind!r}")
    return kind


def read_body(response: httpx.Response, cap: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise InputError(f"response larger than max_input_bytes ({declared} > {cap} bytes)")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in {"identity", "gzip", "x-gzip", ""}:
        raise InputError(f"unsupported content encoding {encoding!r}")
    parts: list[bytes] = []
    total = 0
    # Raw bytes: a gzip-encoded body stays compressed here and is inflated later under its own cap.
    for chunk in response.iter_raw():
        total += len(chunk)
        if total > cap:
            raise InputError(f"response larger than max_input_bytes ({cap} bytes)")
        if time.monotonic() > deadline:
            raise InputError("timed out while reading the response")
        parts.append(chunk)
    return b"".join(parts)


def guarded_get(
    url: str,
    settings: Settings,
    *,
    headers: Mapping[str, str],
    answer: Callable[[str, httpx.Response, float], T],
    allow_private: bool = False,
    on_redirect: Callable[[str], object] | None = None,
) -> T:
    """GET ``url`` following at most 5 redirects, each hop through the SSRF guard, within one deadline of
    ``settings.fetch_timeout`` seconds; ``answer(final url, response, deadline)`` reads the final response.
    ``on_redirect(target)`` is called before each redirect is followed; whatever it raises ends the fetch (a
    feed poller refuses a target that the target host's robots.txt disallows).

    Raises InputError with the reason when the URL is refused or the transfer fails.
    """
    deadline = time.monotonic() + settings.fetch_timeout
    try:
        with httpx.Client(
            timeout=settings.fetch_timeout,
            follow_redirects=False,
            trust_env=False,
            headers=dict(headers),
            transport=_transport(deadline),
        ) as client:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                response = _connect(client, current, _checked_addresses(current, allow_private, deadline))
                try:
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECT_CODES and location:
                        current = urljoin(current, location)
                        if on_redirect is not None:
                            on_redirect(current)
                        continue
                    return answer(current, response, deadline)
                finally:
                    response.close()
            raise InputError(f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException as exc:
        raise InputError(f"timed out after {settings.fetch_timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise InputError(f"fetch failed: {exc}") from exc


def fetch_url(url: str, settings: Settings, *, allow_private: bool = False) -> Fetched:
    """Fetch ``url`` (at most 5 redirects, ``settings.fetch_timeout`` seconds in all, ``max_input_bytes``).

    Raises InputError with the reason when the URL is refused, the answer is an HTTP error or the fetch fails.
    """

    def fetched(final: str, response: httpx.Response, deadline: float) -> Fetched:
        if response.status_code >= 400:
            raise InputError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        kind = content_type(response)
        body = read_body(response, settings.max_input_bytes, deadline)
        charset = response.charset_encoding
        return Fetched(url=final, body=body, content_type=kind, charset=str(charset) if charset else None)

    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    return guarded_get(url, settings, headers=headers, answer=fetched, allow_private=allow_private)
