"""The background servers bind loopback ports and answer real HTTP."""

import httpx
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tiktok_console.sandbox.serving import BackgroundServers


def _app(text: str) -> Starlette:
    return Starlette(routes=[Route("/", lambda request: PlainTextResponse(text))])


def test_each_app_gets_its_own_loopback_port() -> None:
    with BackgroundServers({"a": _app("A"), "b": _app("B")}) as servers:
        assert servers.urls["a"].startswith("http://127.0.0.1:")
        assert servers.urls["a"] != servers.urls["b"]
        assert httpx.get(servers.urls["a"]).text == "A"
        assert httpx.get(servers.urls["b"]).text == "B"


def test_stopped_servers_refuse_connections() -> None:
    servers = BackgroundServers({"a": _app("A")})
    url = servers.start()["a"]
    servers.stop()
    try:
        httpx.get(url, timeout=2)
    except httpx.ConnectError:
        return
    raise AssertionError("server still answering after stop()")
