"""The engine's one owner: starts, stops and rebuilds it as the connected stores change.

Sessions hold a store's token grant in memory, so an engine built for one set
of accounts must never outlive them. The supervisor polls a cheap fingerprint
of the accounts (who is connected, to which shop, since when) every second or
so, and on any change stops the running engine (cancelling a call in flight),
drops its sessions, and builds a fresh one from the keyring, or none while a
store is missing. So a store disconnected here, in the app, or by the
``disconnect`` command in another process gets no call after a few seconds,
and a newly connected shop is the one synced.

It runs the engine on an asyncio loop: in the app, on its own thread with its
own loop and HTTP client (as Electrum runs its network apart from its GUI);
headless, on the command's loop. Either way the GUI or CLI reaches it through
the ``EngineControl`` methods (``job_names``, ``nudge``, ``pause``, ``resume``),
which are thread-safe and do nothing while sync is not running. Its listener
hears every event on the engine's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime

import httpx

from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.settings import Settings
from tiktok_console.domain.accounts import StoreKind
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.database import db
from tiktok_console.stores.call_results import report_call
from tiktok_console.stores.connections import POOL_LIMITS
from tiktok_console.stores.errors import AuthExpiredError
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.engine import Engine
from tiktok_console.sync.events import (
    EngineStarted,
    EngineStopped,
    Event,
    JobError,
    Listener,
    ReconnectNeeded,
    ignore,
)
from tiktok_console.sync.health import HealthTracker
from tiktok_console.sync.runtime import NotConnectedError, RuntimeOptions, build_engine

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, ...], ...]

POLL_SECONDS = 1.0  # how often the accounts are looked at: a change runs within ~2 s


def accounts_fingerprint() -> Fingerprint:
    """What identifies the connected accounts; it changes on connect, reconnect and disconnect.

    Not the token's expiry nor the last error: a refresh or a failed call must not
    rebuild the engine. A reconnect writes a new ``connected_at``, so it does.
    """
    return tuple(
        sorted(
            (
                a.store,
                a.account_key,
                a.shop,
                a.api_url,
                a.app_id,
                a.shop_cipher,
                _iso(a.connected_at),
            )
            for a in load_accounts().values()
        )
    )


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


class Supervisor:
    """Owns the sync engine: start, stop, rebuild when the accounts change.

    Args:
        settings: the profile's settings.
        token_store: where the sessions read their sign-ins (the same store the
            account service writes).
        listener: hears engine and supervisor events, on the engine's thread.
        options: what tests and benchmarks tune.
        only: run only these jobs (``sync --job``).
        poll: seconds between looks at the accounts.
        http_timeout: the engine's HTTP client timeout.
        transport: the engine's HTTP transport (benchmarks time requests with one).
    """

    def __init__(
        self,
        settings: Settings,
        token_store: TokenStore,
        *,
        listener: Listener = ignore,
        options: RuntimeOptions | None = None,
        only: Sequence[str] | None = None,
        poll: float = POLL_SECONDS,
        http_timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.listener = listener
        self._settings = settings
        self._token_store = token_store
        self._options = options or RuntimeOptions()
        self._only = list(only or [])
        self._poll = poll
        self._http_timeout = http_timeout
        self._transport = transport
        self._engine: Engine | None = None
        self._names: list[str] = []
        self._lock = threading.Lock()  # guards _names and _loop for other threads
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None
        self._fingerprint: Fingerprint | None = None
        self._thread: threading.Thread | None = None
        self._thread_error: BaseException | None = None
        self.rebuilds = 0  # engines built so far (tests read it)

    # -- EngineControl: callable from any thread; no-ops while sync is not running

    def job_names(self) -> list[str]:
        """The running engine's jobs ([] when sync is not running)."""
        with self._lock:
            return list(self._names)

    def nudge(self, job: str | None = None) -> None:
        """ "Sync now" for ``job``, or all jobs; an unknown job: nothing."""
        self._call(lambda engine: engine.nudge(job) if job is None or job in engine.names else None)

    def pause(self, job: str) -> None:
        """Pause ``job`` after its current batch (remembered across restarts)."""
        self._call(lambda engine: engine.pause(job) if job in engine.names else None)

    def resume(self, job: str) -> None:
        """Run ``job`` again."""
        self._call(lambda engine: engine.resume(job) if job in engine.names else None)

    def rebuild_soon(self) -> None:
        """Look at the accounts now instead of at the next poll (after a connect here)."""
        with self._lock:
            loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop just closed
                loop.call_soon_threadsafe(wake.set)

    @property
    def engine(self) -> Engine | None:
        """The running engine, for reading its jobs' counters (tests, the self-test)."""
        return self._engine

    @property
    def running(self) -> bool:
        """Whether the supervisor's loop runs."""
        with self._lock:
            return self._loop is not None

    # -- its own thread (the app)

    def start(self) -> None:
        """Run the supervisor on a thread of its own, with its own loop; returns at once."""
        if self._thread is not None:
            return
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._thread_main, args=(ready,), name="sync-engine", daemon=True
        )
        self._thread.start()
        ready.wait(10)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the engine and the thread, waiting up to ``timeout`` seconds."""
        thread = self._thread
        if thread is None:
            return
        self._request_stop()
        thread.join(timeout)
        if thread.is_alive():
            log.error("The sync engine did not stop within %.0f s", timeout)
        self._thread = None

    async def aclose(self) -> None:
        """``stop`` for a caller on an event loop (the GUI's): the loop keeps turning."""
        if self._thread is not None:
            self._request_stop()
            await asyncio.to_thread(self.stop)

    def _request_stop(self) -> None:
        with self._lock:
            loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)

    def _thread_main(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self.run(ready=ready))
        except BaseException as error:  # logged; the GUI keeps running without sync
            self._thread_error = error
            log.exception("The sync engine's thread ended with an error")
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                asyncio.set_event_loop(None)
                loop.close()
                # peewee keeps one SQLite connection per thread: close this thread's.
                if not db.is_closed():
                    db.close()
            ready.set()

    # -- the supervising loop (on whichever loop runs it)

    async def run(
        self, stop: asyncio.Event | None = None, ready: threading.Event | None = None
    ) -> None:
        """Supervise until ``stop`` is set (or ``stop()`` is called); then stop the engine."""
        stop = stop or asyncio.Event()
        wake = asyncio.Event()
        with self._lock:
            self._loop, self._wake, self._stop = asyncio.get_running_loop(), wake, stop
        if ready is not None:
            ready.set()
        try:
            client = httpx.AsyncClient(
                timeout=self._http_timeout, transport=self._transport, limits=POOL_LIMITS
            )
            async with client as http:
                try:
                    while not stop.is_set():
                        wake.clear()
                        await self._check(http)
                        await _first(stop, wake, seconds=self._poll)
                finally:
                    await self._stop_engine("the console is closing.")
        finally:
            with self._lock:
                self._loop = self._wake = self._stop = None

    async def _check(self, http: httpx.AsyncClient) -> None:
        try:
            fingerprint = accounts_fingerprint()
        except Exception:  # e.g. the database is locked for a moment: look again next poll
            log.warning("Could not read the accounts; looking again shortly", exc_info=True)
            return
        if fingerprint == self._fingerprint:
            return
        first = self._fingerprint is None
        self._fingerprint = fingerprint
        if not first:
            log.info("The connected stores changed: rebuilding sync")
        await self._stop_engine("the connected stores changed.")
        self._build(http)

    def _build(self, http: httpx.AsyncClient) -> None:
        try:
            engine = build_engine(
                self._settings, self._token_store, http, listener=self._notify,
                options=self._options, only=self._only or None,
            )  # fmt: skip
        except NotConnectedError as error:
            self._notify(EngineStopped(error.message))
            return
        except AuthExpiredError as error:  # the account is there but its sign-in is not
            # The store's health says it too (Accounts, cards, `status`), as a refused call would.
            report_call(HealthTracker(self._notify).observe, error.store, error)
            self._notify(ReconnectNeeded(_store(error.store), JobError.from_exception(error)))
            self._notify(EngineStopped(error.message))
            return
        except ConsoleError as error:
            log.warning("Sync cannot start: %s", error.message)
            self._notify(EngineStopped(error.message))
            return
        self._engine = engine
        with self._lock:
            self._names = engine.names
        self.rebuilds += 1
        engine.start()
        log.info("Sync started: %s", ", ".join(engine.names))
        self._notify(EngineStarted(tuple(engine.names)))

    async def _stop_engine(self, reason: str) -> None:
        engine = self._engine
        if engine is None:
            return
        with self._lock:
            self._names = []
        self._engine = None
        await engine.stop()
        log.info("Sync stopped: %s", reason)
        self._notify(EngineStopped(reason))

    def _call(self, action: Callable[[Engine], object]) -> None:
        with self._lock:
            loop = self._loop

        def run() -> None:
            if self._engine is not None:
                action(self._engine)

        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop just closed: sync stopped
                loop.call_soon_threadsafe(run)

    def _notify(self, event: Event) -> None:
        try:
            self.listener(event)
        except Exception:
            log.exception("A listener failed on %s", event)


def _store(store: str) -> StoreKind:
    return "tiktok" if store == "tiktok" else "shopify"


async def _first(stop: asyncio.Event, wake: asyncio.Event, *, seconds: float) -> None:
    """Return when ``stop`` or ``wake`` is set, or after ``seconds``."""
    waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()
        await asyncio.gather(*waits, return_exceptions=True)
