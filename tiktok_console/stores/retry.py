"""Retrying store calls: exponential backoff with jitter, honouring ``Retry-After``.

Only errors that say they are retryable are retried (429, 5xx, timeouts,
dropped connections, malformed replies); a request the store rejected is
never sent again. Writes that carry no idempotency key are not retried after
an ambiguous failure (timeout, dropped connection): the store may have acted.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from tiktok_console.stores.errors import RateLimitedError, StoreError, StoreUnavailableError

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts in all, and the backoff's first step and ceiling."""

    attempts: int = 6
    initial: float = 0.25
    maximum: float = 30.0


class AmbiguousWriteError(StoreUnavailableError):
    """A write without an idempotency key failed in a way that hides whether it happened."""


def _should_retry(safe_to_repeat: bool) -> Callable[[BaseException], bool]:
    def check(error: BaseException) -> bool:
        if not isinstance(error, StoreError) or not error.retryable:
            return False
        if isinstance(error, RateLimitedError) or safe_to_repeat:
            return True
        return not isinstance(error, AmbiguousWriteError)

    return check


def _wait(policy: RetryPolicy) -> Callable[[RetryCallState], float]:
    jitter = wait_random_exponential(multiplier=policy.initial, max=policy.maximum)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        delay = jitter(state)
        if isinstance(error, RateLimitedError):
            delay = max(delay, error.retry_after)
        return float(min(delay, policy.maximum))

    return wait


async def with_retries(
    call: Callable[[], Awaitable[T]], policy: RetryPolicy, *, safe_to_repeat: bool = True
) -> T:
    """Run ``call`` until it succeeds, fails for good, or the attempts run out."""
    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.attempts),
        wait=_wait(policy),
        retry=retry_if_exception(_should_retry(safe_to_repeat)),
        reraise=True,
        before_sleep=_log_retry,
    )
    async for attempt in retrying:
        with attempt:
            return await call()
    raise AssertionError("unreachable: tenacity re-raises the last error")


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    log.info(
        "Retrying after %s (attempt %d): %s",
        type(error).__name__,
        state.attempt_number,
        getattr(error, "detail", "") or error,
    )
