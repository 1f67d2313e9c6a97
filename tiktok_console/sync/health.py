"""Each store's health, kept from every call the sync's transports make.

The transports report how each attempt ended (``stores.call_results``); the
tracker folds the reports through ``domain.store_health.next_health``, keeps
the result on the account row (``status --json`` runs in another process),
and tells listeners when a store's state changes. It also decides, for
``sync --once``, when a store is unreachable beyond doubt, so jobs that need
it are given up instead of retried for minutes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from tiktok_console.domain.accounts import STORE_KINDS, STORE_TITLES, StoreKind
from tiktok_console.domain.store_health import (
    CallResult,
    HealthState,
    StoreHealth,
    describe,
    next_health,
)
from tiktok_console.storage.accounts import load_health, record_call, record_health
from tiktok_console.sync.events import Changed, HealthChanged, Listener, Topic, ignore

log = logging.getLogger(__name__)

# Unreachable this many times in a row (every attempt of one call, under the
# ``sync --once`` retry policy): the store is down, not one request unlucky.
UNREACHABLE_STREAK = 3
# ok <-> rate_limited flips are normal under load: written and told at most this often.
QUIET_SECONDS = 30.0
SUCCESS_EVERY = 30.0  # seconds between notes of "last successful call" on the account


class HealthTracker:
    """Keeps both stores' health from the calls made in this process.

    Args:
        listener: hears ``HealthChanged`` and ``Changed({accounts, sync})``.
        now: the wall clock (health is about the network, not the sandbox's day).
        monotonic: paces the writes of calm changes (ok <-> rate limited).
    """

    def __init__(
        self,
        listener: Listener = ignore,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.listener = listener
        self._now = now
        self._monotonic = monotonic
        self._lock = threading.Lock()
        try:
            self._health: dict[StoreKind, StoreHealth] = load_health()
        except Exception:  # e.g. a locked database: start from "nothing known"
            log.exception("Could not read the stores' recorded health")
            self._health = {}
        self._recorded = dict(self._health)  # what the account rows say
        self._streak: dict[StoreKind, int] = {}
        self._told: dict[StoreKind, float] = {}
        self._success_noted: dict[StoreKind, float] = {}

    def health(self, store: StoreKind) -> StoreHealth:
        """``store``'s health as this process knows it."""
        with self._lock:
            return self._health.get(store, StoreHealth())

    def observe(self, store: str, result: CallResult, reason: str) -> None:
        """One call to ``store`` ended in ``result`` (a transport's ``CallObserver``)."""
        if store not in STORE_KINDS:
            return
        kind: StoreKind = "shopify" if store == "shopify" else "tiktok"
        at = self._now()
        with self._lock:
            before = self._health.get(kind, StoreHealth())
            after = next_health(before, result, at, reason)
            self._health[kind] = after
            unreachable = result is CallResult.UNREACHABLE
            self._streak[kind] = self._streak.get(kind, 0) + 1 if unreachable else 0
            # Compared with what was last written (not the last call): a quiet flip
            # ok -> rate_limited -> ok must not leave "rate_limited" written for good.
            recorded = self._recorded.get(kind, StoreHealth())
            tell = after != recorded and self._worth_telling(kind, recorded, after)
            if tell:
                self._recorded[kind] = after
            note_success = result is CallResult.ANSWERED and self._due(
                self._success_noted, kind, SUCCESS_EVERY
            )
        if note_success:
            self._write(lambda: record_call(kind, at))
        if tell:
            self._write(lambda: record_health(kind, after))
            if after.state is not recorded.state:
                log.warning("%s", describe(STORE_TITLES[kind], after, at))
            self._notify(HealthChanged(kind, after))
            self._notify(Changed(frozenset({Topic.ACCOUNTS, Topic.SYNC})))

    def blocking(self, stores: Iterable[StoreKind]) -> str:
        """Why a job calling ``stores`` cannot run now ("" when it can): a store down
        beyond doubt (unreachable on every attempt of a call), or refusing the sign-in."""
        with self._lock:
            for store in stores:
                health = self._health.get(store, StoreHealth())
                down = self._streak.get(store, 0) >= UNREACHABLE_STREAK
                if (health.state is HealthState.UNREACHABLE and down) or (
                    health.state is HealthState.RECONNECT and store in self._streak
                ):
                    return describe(STORE_TITLES[store], health, self._now())
        return ""

    def _worth_telling(self, store: StoreKind, before: StoreHealth, after: StoreHealth) -> bool:
        calm = {HealthState.OK, HealthState.RATE_LIMITED}
        if before.state in calm and after.state in calm:
            return self._due(self._told, store, QUIET_SECONDS)
        if after.state is before.state:  # only the reason changed: no need to tell at once
            return self._due(self._told, store, QUIET_SECONDS)
        self._told[store] = self._monotonic()
        return True

    def _due(self, last: dict[StoreKind, float], store: StoreKind, every: float) -> bool:
        now = self._monotonic()
        if now - last.get(store, -every) < every:
            return False
        last[store] = now
        return True

    def _write(self, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception:  # the database is locked or gone: the log keeps the state
            log.exception("Could not record a store's health")

    def _notify(self, event: HealthChanged | Changed) -> None:
        try:
            self.listener(event)
        except Exception:
            log.exception("A listener failed on %s", event)
