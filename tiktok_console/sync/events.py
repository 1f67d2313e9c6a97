"""What the engine tells its listeners (the UI bridge, the CLI): typed data, no Qt.

Each event is a frozen dataclass; a listener dispatches on its type (the UI
bridge calls ``on_event_<snake_case_name>``). State and errors travel as data,
so no listener ever parses text to learn what happened.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum

from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.accounts import STORE_KINDS, StoreKind
from tiktok_console.domain.store_health import StoreHealth
from tiktok_console.stores.errors import (
    AuthExpiredError,
    RateLimitedError,
    RequestRejectedError,
    StoreError,
    StoreUnavailableError,
)


class Topic(StrEnum):
    """What a ``Changed`` event can name; views refresh for the topics they show.

    A ``StrEnum``: a topic equals its text, so jobs that still name topics as
    strings and views that declare them as strings meet the same set.
    """

    ACCOUNTS = "accounts"
    ACTIVITY = "activity"
    CARRIERS = "carriers"
    FULFILLMENT = "fulfillment"
    INVENTORY = "inventory"
    ORDERS = "orders"
    ORPHANS = "orphans"
    SYNC = "sync"
    VARIANTS = "variants"


class JobState(Enum):
    """Where a job's loop is."""

    RUNNING = "running"
    IDLE = "idle"  # caught up, waiting for its interval or a nudge
    PAUSED = "paused"  # the merchant paused it (remembered across restarts)
    BACKING_OFF = "backing_off"  # its last batch failed; it runs again after a delay
    STOPPED = "stopped"  # a store refused the sign-in: held until the store is reconnected


class ErrorKind(Enum):
    """What kind of failure a job hit, which decides what the console does about it."""

    AUTH = "auth"  # the store refused our sign-in: reconnect, do not retry
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"  # 5xx, timeout, dropped or malformed reply
    REJECTED = "rejected"  # the store refused the request itself
    OTHER = "other"  # an error meant for the merchant that is not a store's
    BUG = "bug"  # an unexpected exception


@dataclass(frozen=True)
class JobError:
    """A failure as data: the merchant's message, which store (if any), and its kind."""

    message: str
    kind: ErrorKind
    store: StoreKind | None = None
    detail: str = ""

    @classmethod
    def from_exception(cls, error: BaseException) -> JobError:
        """Classify ``error``; the store is read from a ``StoreError``, never from its text."""
        store = _store_of(error)
        detail = str(getattr(error, "detail", ""))
        if isinstance(error, ConsoleError):
            return cls(error.message, _kind(error), store, detail)
        return cls(f"{type(error).__name__}: {error}", ErrorKind.BUG, None, detail)


def _store_of(error: BaseException) -> StoreKind | None:
    if isinstance(error, StoreError):
        for kind in STORE_KINDS:
            if error.store == kind:
                return kind
    return None


def _kind(error: ConsoleError) -> ErrorKind:
    kinds: tuple[tuple[type[StoreError], ErrorKind], ...] = (
        (AuthExpiredError, ErrorKind.AUTH),
        (RateLimitedError, ErrorKind.RATE_LIMITED),
        (StoreUnavailableError, ErrorKind.UNAVAILABLE),
        (RequestRejectedError, ErrorKind.REJECTED),
    )
    for cls, kind in kinds:
        if isinstance(error, cls):
            return kind
    return ErrorKind.OTHER


@dataclass(frozen=True)
class Changed:
    """Data under these topics changed; views showing them should refresh."""

    topics: frozenset[str]


@dataclass(frozen=True)
class JobStateChanged:
    """A job's state changed; ``error`` is set while it is failing (backing off, or
    running again after a failure), ``summary`` says what its last good batch did."""

    job: str
    state: JobState
    error: JobError | None = None
    summary: str = ""


@dataclass(frozen=True)
class ReconnectNeeded:
    """A store refused the console's sign-in: its jobs are stopped until it is reconnected.

    Sent once per store for as long as the engine that saw it runs.
    """

    store: StoreKind
    error: JobError

    @property
    def title(self) -> str:
        """The store's name as the merchant knows it."""
        return {"shopify": "Shopify", "tiktok": "TikTok Shop"}[self.store]


@dataclass(frozen=True)
class EngineStarted:
    """The supervisor started an engine over these jobs (after start or a rebuild)."""

    jobs: tuple[str, ...]


@dataclass(frozen=True)
class EngineStopped:
    """The supervisor stopped the engine; ``reason`` says why, for the merchant."""

    reason: str


@dataclass(frozen=True)
class HealthChanged:
    """A store's health changed (ok, unreachable, failing, reconnect, rate limited)."""

    store: StoreKind
    health: StoreHealth


Event = Changed | JobStateChanged | ReconnectNeeded | EngineStarted | EngineStopped | HealthChanged
Listener = Callable[[Event], None]


def handler_name(event: Event) -> str:
    """``on_event_<name>``: the handler a dispatcher calls for ``event``'s type."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(event).__name__).lower()
    return f"on_event_{name}"


def ignore(_: Event) -> None:
    """A listener that listens to nothing (headless runs)."""
