"""Security headers on every response (pages, JSON, static files and errors alike), and the Host allow-list."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeadersMiddleware:
    """Pure ASGI middleware that sets :data:`SECURITY_HEADERS` on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request through, adding the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostCheckMiddleware(TrustedHostMiddleware):
    """Starlette's Host allow-list (against DNS rebinding), whose refusal names the setting that allows a host."""

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        super().__init__(_MarkPassed(app), allowed_hosts=allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the Host header; a refused request is told why and how to allow its host."""

        refused = False

        async def explain_refusal(message: Message) -> None:
            nonlocal refused
            if not scope.get(_HOST_PASSED) and message["type"] == "http.response.start" and message["status"] == 400:
                refused = True
                host = Headers(scope=scope).get("host", "")
                await PlainTextResponse(HOST_REFUSED.format(host=host), status_code=400)(scope, receive, send)
            elif not refused:  # the library's own refusal body is dropped: ours was sent whole
                await send(message)

        await super().__call__(scope, receive, explain_refusal)


_HOST_PASSED = "crosscheck.host_passed"


class _MarkPassed:
    """Marks a request that passed the Host check, so that the answers of the app are not taken for a refusal."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_HOST_PASSED] = True
        await self.app(scope, receive, send)


HOST_REFUSED = (
    "Invalid host header: this server does not answer to the name {host!r}. To reach it by that name, start it "
    "with CROSSCHECK_ALLOWED_HOSTS set to a comma-separated list that includes it (see docs/web.md)."
)
