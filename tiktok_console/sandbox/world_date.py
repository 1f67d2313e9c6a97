"""Every sandbox response carries a ``Date`` on the world's clock, as a real store's
carries its own clock.

Token expiries (TikTok's ``access_token_expire_in``) are instants on the store's
clock; a client learns how long a token has left by reading them against the
reply's ``Date``. The world's clock can be days away from the wall clock, so the
server's own (wall-clock) ``Date`` would be wrong here.
"""

from __future__ import annotations

from email.utils import formatdate

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tiktok_console.sandbox.clock import SandboxClock


class WorldDate:
    """ASGI middleware setting ``Date`` to ``clock``'s time on every HTTP response."""

    def __init__(self, app: ASGIApp, clock: SandboxClock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"date"
                ]
                stamp = formatdate(self.clock.now(), usegmt=True).encode()
                message = {**message, "headers": [*headers, (b"date", stamp)]}
            await send(message)

        await self.app(scope, receive, dated)
