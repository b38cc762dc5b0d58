"""HEAD requests: answered wherever GET is, with the GET answer's status and headers and no body."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadMiddleware:
    """Pure ASGI middleware that runs a ``HEAD`` request as ``GET`` and drops the body of the answer.

    The routes are declared for ``GET`` only; without this, ``HEAD`` would be 405 everywhere (uptime checks and
    link checkers send it). The ``Content-Length`` stays that of the ``GET`` answer, as HTTP asks.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass ``HEAD`` on as ``GET``; everything else unchanged."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
