"""A one-shot HTTP listener on 127.0.0.1 that receives the store's OAuth redirect.

The system browser is sent to the store's consent page with
``redirect_uri=http://127.0.0.1:<port>/callback``; after the merchant approves,
the browser requests that URL and this listener reads the query. It answers
only loopback peers, checks every redirect with a caller-supplied validator
(state, HMAC...), shows the merchant a small page either way, and stops after
the first valid redirect or at the timeout. A bad redirect (a forged state, a
stale timestamp) gets an error page and does not end the wait: the genuine one
may still come.

Plain ``asyncio.start_server`` keeps it free of web-framework dependencies; it
reads one request line and headers, nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import ipaddress
import logging
import secrets
from collections.abc import Callable, Mapping
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

from tiktok_console.core.errors import ConsoleError

from .errors import CallbackRejectedError, SignInError, SignInTimeoutError

log = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"
_MAX_HEAD_BYTES = 16_384
_READ_TIMEOUT = 10.0

Validator = Callable[[Mapping[str, str]], None]
"""Checks a redirect's query; raises a ``ConsoleError`` to reject it.

``CallbackRejectedError`` means "not this one, keep waiting"; any other
``ConsoleError`` (e.g. the merchant declined) ends the sign-in with that error.
"""


def new_state() -> str:
    """A fresh unguessable ``state`` nonce for one sign-in."""
    return secrets.token_urlsafe(32)


def state_matches(received: str | None, expected: str) -> bool:
    """Constant-time comparison of the returned ``state`` with ours."""
    return hmac.compare_digest((received or "").encode(), expected.encode())


def peer_allowed(host: str | None) -> bool:
    """Whether a connection from ``host`` may deliver the redirect (loopback only)."""
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def query_of(url: str) -> dict[str, str]:
    """The query parameters of a URL (the last value wins for repeated keys)."""
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


class LoopbackListener:
    """Waits for one valid OAuth redirect on ``http://127.0.0.1:<port>/callback``.

    Args:
        validator: checks each redirect's query (see ``Validator``).
        timeout: seconds to wait for a valid redirect before giving up.
        store_name: the store's name for the pages and messages ("Shopify").
    """

    def __init__(self, validator: Validator, *, timeout: float = 300.0, store_name: str) -> None:
        self._validator = validator
        self._timeout = timeout
        self._store_name = store_name
        self._server: asyncio.Server | None = None
        self._result: asyncio.Future[dict[str, str]] | None = None
        self._last_rejection: CallbackRejectedError | None = None
        self.redirect_uri = ""

    async def start(self) -> str:
        """Bind an ephemeral loopback port; returns the ``redirect_uri`` to send."""
        self._result = asyncio.get_running_loop().create_future()
        self._server = await asyncio.start_server(self.handle_connection, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.redirect_uri = f"http://127.0.0.1:{port}{CALLBACK_PATH}"
        log.debug("listening for the %s redirect on %s", self._store_name, self.redirect_uri)
        return self.redirect_uri

    async def wait(self) -> dict[str, str]:
        """The query of the first valid redirect; raises ``SignInTimeoutError`` or the
        validator's final error."""
        if self._result is None:
            raise RuntimeError("start() the listener first")
        try:
            return await asyncio.wait_for(asyncio.shield(self._result), self._timeout)
        except TimeoutError:
            if self._last_rejection is not None:
                # An answer came and was refused: that is the cause, not the wait.
                rejection = self._last_rejection
                raise SignInError(
                    f"{rejection.message} Start the sign-in again once that is fixed.",
                    f"no valid redirect within {self._timeout:.0f} s; {rejection.detail}",
                ) from None
            raise SignInTimeoutError(
                f"The {self._store_name} sign-in timed out: no answer came back from the "
                "browser. Start the sign-in again, or paste the address the browser ended "
                "on into the console.",
                f"no valid redirect within {self._timeout:.0f} s",
            ) from None
        finally:
            await self.close()

    def offer(self, params: Mapping[str, str]) -> None:
        """Check a redirect's query (from the browser or pasted); complete the wait if valid.

        Raises:
            ConsoleError: the validator's error when the redirect is rejected.
        """
        if self._result is None or self._result.done():
            raise SignInError(
                f"No {self._store_name} sign-in is waiting for this address any more. "
                "Start the sign-in again."
            )
        try:
            self._validator(params)
        except CallbackRejectedError as error:
            log.warning("%s redirect rejected (%s): %s", self._store_name, error.check, error)
            self._last_rejection = error
            raise
        except ConsoleError as error:
            self._result.set_exception(error)
            raise
        self._result.set_result(dict(params))

    def complete_from_pasted_url(self, url: str) -> None:
        """The fallback when the browser cannot reach the listener: the pasted address."""
        self.offer(query_of(url.strip()))

    async def close(self) -> None:
        """Stop listening (idempotent)."""
        if self._server is not None:
            server, self._server = self._server, None
            server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2)

    async def __aenter__(self) -> LoopbackListener:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def handle_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Serve one HTTP request (asyncio's connection callback)."""
        try:
            status, title, text = await self._respond(reader, writer)
            await _send_page(writer, status, title, text)
        except (
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            TimeoutError,
            ValueError,
        ):
            log.debug("loopback connection dropped or malformed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _respond(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[int, str, str]:
        peer = writer.get_extra_info("peername")
        host = peer[0] if isinstance(peer, tuple) and peer else None
        if not peer_allowed(host):
            log.warning("ignored a sign-in redirect from a non-loopback address %s", host)
            return 403, "Forbidden", "This address only answers this computer."
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_TIMEOUT)
        if len(head) > _MAX_HEAD_BYTES:
            return 431, "Request too large", "The request was too large."
        method, _, target = head.split(b"\r\n", 1)[0].decode("latin-1").partition(" ")
        target = target.rsplit(" ", 1)[0]
        if method != "GET" or urlsplit(target).path != CALLBACK_PATH:
            return 404, "Not found", "Nothing here."
        try:
            self.offer(query_of(target))
        except ConsoleError as error:
            return 400, "Sign-in failed", error.message
        return (
            200,
            f"Connected to {self._store_name}",
            "You can close this window and return to TikTok Console.",
        )


async def _send_page(writer: asyncio.StreamWriter, status: int, title: str, text: str) -> None:
    reasons = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 431: "Too Large"}
    title, text = html.escape(title), html.escape(text)
    body = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reasons.get(status, 'Error')}\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        # The redirect URL carries a one-time code: keep it out of caches and referrers.
        "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n"
    ).encode()
    writer.write(head + body)
    await writer.drain()
