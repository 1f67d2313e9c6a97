"""The loopback listener over real HTTP: one valid redirect ends it, bad ones do not."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx
import pytest

from tiktok_console.core.errors import ConsoleError
from tiktok_console.stores.oauth.errors import (
    CallbackRejectedError,
    SignInDeniedError,
    SignInError,
    SignInTimeoutError,
)
from tiktok_console.stores.oauth.loopback import (
    LoopbackListener,
    new_state,
    peer_allowed,
    state_matches,
)


def state_is(expected: str):  # type: ignore[no-untyped-def]
    def validate(params: Mapping[str, str]) -> None:
        if not state_matches(params.get("state"), expected):
            raise CallbackRejectedError("state", "wrong state")
        if params.get("error"):
            raise SignInDeniedError("declined")

    return validate


async def test_redirect_uri_is_loopback_with_an_ephemeral_port() -> None:
    async with LoopbackListener(state_is("s"), store_name="Shop") as listener:
        assert listener.redirect_uri.startswith("http://127.0.0.1:")
        assert listener.redirect_uri.endswith("/callback")
        assert int(listener.redirect_uri.split(":")[2].split("/")[0]) > 0


async def test_bad_state_gets_an_error_page_and_the_wait_goes_on() -> None:
    listener = LoopbackListener(state_is("good"), store_name="Shop", timeout=5)
    uri = await listener.start()
    waiting = asyncio.create_task(listener.wait())
    async with httpx.AsyncClient() as http:
        bad = await http.get(uri, params={"code": "c1", "state": "forged"})
        assert bad.status_code == 400 and "wrong state" in bad.text
        assert bad.headers["cache-control"] == "no-store"
        assert not waiting.done()
        other = await http.get(uri.replace("/callback", "/elsewhere"), params={"state": "good"})
        assert other.status_code == 404
        ok = await http.get(uri, params={"code": "c2", "state": "good"})
        assert ok.status_code == 200
        assert "You can close this window and return to TikTok Console" in ok.text
    assert await waiting == {"code": "c2", "state": "good"}
    # One-shot: the port is closed once the valid redirect arrived.
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(uri, params={"code": "c2", "state": "good"})


async def test_a_final_error_ends_the_wait_with_that_error() -> None:
    listener = LoopbackListener(state_is("s"), store_name="Shop", timeout=5)
    uri = await listener.start()
    waiting = asyncio.create_task(listener.wait())
    async with httpx.AsyncClient() as http:
        page = await http.get(uri, params={"error": "auth_denied", "state": "s"})
    assert page.status_code == 400 and "declined" in page.text
    with pytest.raises(SignInDeniedError):
        await waiting


async def test_timeout_is_a_clear_console_error() -> None:
    listener = LoopbackListener(state_is("s"), store_name="Shopify", timeout=0.2)
    await listener.start()
    with pytest.raises(SignInTimeoutError) as caught:
        await listener.wait()
    assert isinstance(caught.value, ConsoleError)
    assert "Shopify sign-in timed out" in caught.value.message


async def test_pasted_url_completes_the_wait() -> None:
    listener = LoopbackListener(state_is("s"), store_name="Shop", timeout=5)
    await listener.start()
    with pytest.raises(CallbackRejectedError):
        listener.complete_from_pasted_url("http://127.0.0.1:1/callback?code=c&state=x")
    listener.complete_from_pasted_url(" http://127.0.0.1:1/callback?code=c&state=s \n")
    assert await listener.wait() == {"code": "c", "state": "s"}
    with pytest.raises(SignInError, match="No Shop sign-in is waiting"):
        listener.complete_from_pasted_url("http://127.0.0.1:1/callback?code=c&state=s")


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("192.168.1.20", False),
        ("203.0.113.9", False),
        ("::ffff:203.0.113.9", False),
        ("localhost", False),  # peers are addresses; a name is never what asyncio reports
        (None, False),
        ("", False),
    ],
)
def test_peer_check(host: str | None, allowed: bool) -> None:
    assert peer_allowed(host) is allowed


class FakeWriter:
    """A stream writer whose peer is another machine.

    The listener binds 127.0.0.1 only, so no real non-loopback peer can reach it
    from this test; this drives the same connection handler with the peer address
    asyncio would report for a remote client.
    """

    def __init__(self, peer: tuple[str, int]) -> None:
        self.peer = peer
        self.data = b""

    def get_extra_info(self, name: str) -> object:
        return self.peer if name == "peername" else None

    def write(self, data: bytes) -> None:
        self.data += data

    async def drain(self) -> None:
        pass

    def close(self) -> None:
        pass

    async def wait_closed(self) -> None:
        pass


async def test_non_loopback_peer_is_refused_and_ignored() -> None:
    listener = LoopbackListener(state_is("s"), store_name="Shop", timeout=5)
    uri = await listener.start()
    waiting = asyncio.create_task(listener.wait())
    reader = asyncio.StreamReader()
    reader.feed_data(b"GET /callback?code=c&state=s HTTP/1.1\r\nHost: x\r\n\r\n")
    reader.feed_eof()
    writer = FakeWriter(("203.0.113.9", 40000))
    await listener.handle_connection(reader, writer)  # type: ignore[arg-type]
    assert writer.data.startswith(b"HTTP/1.1 403")
    await asyncio.sleep(0)
    assert not waiting.done()
    async with httpx.AsyncClient() as http:
        assert (await http.get(uri, params={"code": "c", "state": "s"})).status_code == 200
    assert (await waiting)["code"] == "c"


async def test_garbage_and_oversized_requests_do_not_end_the_wait() -> None:
    listener = LoopbackListener(state_is("s"), store_name="Shop", timeout=5)
    uri = await listener.start()
    waiting = asyncio.create_task(listener.wait())
    port = int(uri.split(":")[2].split("/")[0])
    for payload in (b"\r\n\r\n", b"POST /callback?code=c&state=s HTTP/1.1\r\n\r\n",
                    b"GET /callback?" + b"x" * 20000 + b" HTTP/1.1\r\n\r\n"):  # fmt: skip
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(payload)
        await writer.drain()
        await reader.read()
        writer.close()
    assert not waiting.done()
    listener.complete_from_pasted_url(uri + "?code=c&state=s")
    assert (await waiting)["code"] == "c"


def test_states_are_unique_and_long() -> None:
    states = {new_state() for _ in range(100)}
    assert len(states) == 100 and min(len(s) for s in states) >= 43
