"""How each call to a store ended, told to whoever keeps the store's health.

Both transports turn an httpx failure into the error tree through
``transport_error`` (so a refused connection is "cannot reach", never "not
answering properly"), and report every attempt's end through ``report_call``
to an optional observer: the sync keeps the stores' health from these reports
(``domain.store_health`` decides the state).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx

from tiktok_console.domain.store_health import CallResult
from tiktok_console.stores.errors import (
    AuthExpiredError,
    RateLimitedError,
    RequestRejectedError,
    StoreError,
    StoreUnavailableError,
    StoreUnreachableError,
)
from tiktok_console.stores.retry import AmbiguousWriteError

log = logging.getLogger(__name__)

CallObserver = Callable[[str, CallResult, str], None]
"""Hears (store, how the call ended, the reason in plain words) after every attempt."""


def transport_error(
    store: str, error: httpx.TransportError, safe_to_repeat: bool, where: str
) -> StoreError:
    """The store error an httpx failure stands for.

    A connection never made (refused, no address, connect timeout) means the
    request was never sent: unreachable, and safe to send again even for a write.
    A timeout after sending hides whether a write happened.
    """
    detail = f"{type(error).__name__} on {where}: {error!r}"
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
        return StoreUnreachableError(store, unreachable_reason(error), detail)
    if not safe_to_repeat:
        return AmbiguousWriteError(store, detail)
    if isinstance(error, httpx.TimeoutException):
        return StoreUnreachableError(store, unreachable_reason(error), detail)
    return StoreUnavailableError(store, detail)


def unreachable_reason(error: BaseException) -> str:
    """Why no connection was made, in plain words."""
    if isinstance(error, httpx.TimeoutException):
        return "no answer in time"
    causes = _chain(error)
    if any(isinstance(e, ConnectionRefusedError) for e in causes):
        return "connection refused"
    text = " ".join(str(e) for e in causes).lower()
    if any(w in text for w in ("name or service", "nodename", "getaddrinfo", "name resolution")):
        return "its address could not be found (DNS)"
    if "network is unreachable" in text or "no route" in text:
        return "no route to the network"
    if "refused" in text:
        return "connection refused"
    return "could not connect"


def classify(error: BaseException | None) -> tuple[CallResult, str] | None:
    """How a call that raised ``error`` (None: succeeded) ended; None if not a call's end."""
    if error is None or isinstance(error, RequestRejectedError):
        return CallResult.ANSWERED, ""
    if isinstance(error, StoreUnreachableError):
        return CallResult.UNREACHABLE, error.reason
    if isinstance(error, httpx.ConnectError | httpx.TimeoutException):
        return CallResult.UNREACHABLE, unreachable_reason(error)
    if isinstance(error, AuthExpiredError):
        return CallResult.SIGN_IN_REFUSED, "the store refused the console's sign-in"
    if isinstance(error, RateLimitedError):
        return CallResult.RATE_LIMITED, "asked to slow down"
    cause = error.__cause__
    if isinstance(error, AmbiguousWriteError) and isinstance(cause, httpx.TimeoutException):
        return CallResult.UNREACHABLE, unreachable_reason(cause)
    if isinstance(error, StoreError | httpx.TransportError):
        return CallResult.FAILING, _failing_reason(error)
    return None  # cancelled, or a bug: not something the store did


def report_call(observer: CallObserver | None, store: str, error: BaseException | None) -> None:
    """Tell ``observer`` how one attempt ended; an observer that fails never fails the call."""
    if observer is None:
        return
    found = classify(error)
    if found is None:
        return
    try:
        observer(store, *found)
    except Exception:
        log.exception("A call observer failed")


def _failing_reason(error: BaseException) -> str:
    detail = str(getattr(error, "detail", "") or "")
    if detail.startswith("HTTP 5") or " (HTTP 5" in detail:
        return "server errors (HTTP 5xx)"
    if "unreadable" in detail:
        return "replies it sends cannot be read"
    if isinstance(error, httpx.TransportError) or isinstance(error.__cause__, httpx.TransportError):
        return "the connection dropped mid-reply"
    return "unexpected errors"


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
