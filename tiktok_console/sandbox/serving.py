"""Serve ASGI apps on loopback, on ephemeral ports, from a background thread.

Tests use ``BackgroundServers`` as a context manager; demo mode keeps one
running for the life of the app. Sockets are bound before the thread starts,
so every URL is known (and connectable) as soon as ``start()`` returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any

import uvicorn

log = logging.getLogger(__name__)

BackgroundTask = Callable[[], Awaitable[None]]


class BackgroundServers:
    """Runs several ASGI apps (one port each) plus optional background tasks.

    Args:
        apps: name -> ASGI app; each gets its own loopback port.
        tasks: coroutine factories run on the same loop (e.g. the world's ticker).
        host: always loopback unless a test says otherwise.
    """

    def __init__(
        self,
        apps: Mapping[str, Any],
        tasks: list[BackgroundTask] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self._apps = dict(apps)
        self._tasks = list(tasks or [])
        self._host = host
        self._servers: list[uvicorn.Server] = []
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._error: BaseException | None = None
        self.urls: dict[str, str] = {}

    def start(self) -> dict[str, str]:
        """Bind every port, start serving, and return name -> base URL."""
        sockets = {}
        for name in self._apps:
            # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets
            # whose proto says TCP, and without it keep-alive requests wait ~40 ms each
            # (Nagle against delayed ACK).
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self._host, 0))
            sock.listen(256)
            sockets[name] = sock
            self.urls[name] = f"http://{self._host}:{sock.getsockname()[1]}"
        self._thread = threading.Thread(
            target=self._run, args=(sockets,), name="sandbox-servers", daemon=True
        )
        self._thread.start()
        self._started.wait(timeout=30)
        if self._error is not None:
            raise RuntimeError("the sandbox servers failed to start") from self._error
        return dict(self.urls)

    def stop(self) -> None:
        """Ask every server to exit and wait for the thread."""
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None

    def run_coroutine(self, factory: Callable[[], Awaitable[Any]], timeout: float = 30) -> Any:
        """Run a coroutine on the servers' loop from another thread and return its result."""
        if self._loop is None:
            raise RuntimeError("servers are not running")
        future = asyncio.run_coroutine_threadsafe(_await(factory), self._loop)
        return future.result(timeout)

    def __enter__(self) -> BackgroundServers:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self, sockets: dict[str, socket.socket]) -> None:
        try:
            asyncio.run(self._serve(sockets))
        except BaseException as error:  # surfaced to start() or logged
            self._error = error
            self._started.set()
            log.exception("sandbox servers stopped with an error")

    async def _serve(self, sockets: dict[str, socket.socket]) -> None:
        self._loop = asyncio.get_running_loop()
        for app in self._apps.values():
            # No server Date: the stores' apps date their replies on the world's clock
            # (world_date.py), which may be days from the wall clock.
            config = uvicorn.Config(
                app, log_level="warning", access_log=False, lifespan="off",
                timeout_keep_alive=30, date_header=False,
            )  # fmt: skip
            server = uvicorn.Server(config)
            self._servers.append(server)
        serving = [
            asyncio.create_task(server.serve(sockets=[sockets[name]]))
            for server, name in zip(self._servers, self._apps, strict=True)
        ]
        background = [asyncio.create_task(_await(task)) for task in self._tasks]
        # uvicorn exposes start-up only as a flag, so poll it.
        while not all(server.started for server in self._servers):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        self._started.set()
        await asyncio.gather(*serving, return_exceptions=True)
        for task in background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _await(factory: Callable[[], Awaitable[Any]]) -> Any:
    return await factory()
