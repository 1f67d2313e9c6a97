"""How ``sync --once`` stays within two minutes when a store cannot be reached.

A scripted run (cron, a CI check) must end and say the truth. Its calls use a
shorter retry policy and timeouts than the app's; once every attempt of a call
to a store found it unreachable (``HealthTracker.blocking``), each job that
needs the store ends at once, "not caught up", instead of backing off for
minutes. ``worst_case_seconds`` is the bound this buys; a test holds it under
``PROMISE`` rather than timing a slow run.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tiktok_console.domain.accounts import STORE_KINDS
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.sync.engine import Engine
from tiktok_console.sync.health import UNREACHABLE_STREAK, HealthTracker

PROMISE = 120.0  # seconds: a store unreachable, ``sync --once`` has ended by then

CONNECT_SECONDS = 5.0
READ_SECONDS = 12.0
TIMEOUT = httpx.Timeout(READ_SECONDS, connect=CONNECT_SECONDS)
RETRY = RetryPolicy(attempts=UNREACHABLE_STREAK, initial=0.25, maximum=2.0)
# With a store unhealthy, jobs not started after this long are not started.
BUDGET = 100.0


def worst_case_seconds(policy: RetryPolicy = RETRY, stores: int = len(STORE_KINDS)) -> float:
    """The longest a run spends on unreachable stores before giving their jobs up.

    Each unreachable store costs one call: every attempt waits its whole timeout
    (connect, then read when a server accepts but never answers), with the
    policy's backoff between attempts. A call in flight when the budget runs out
    ends within that too.
    """
    attempt = CONNECT_SECONDS + READ_SECONDS
    backoff = sum(min(policy.maximum, policy.initial * 2**n) for n in range(1, policy.attempts))
    return float(stores * (policy.attempts * attempt + backoff))


def give_up(
    engine: Engine, health: HealthTracker, clock: Callable[[], float]
) -> Callable[[str], str]:
    """For ``Engine.run_until_caught_up``: why a job must end now ("" to go on)."""
    started = clock()

    def check(name: str) -> str:
        stores = engine.stores_of(name)
        reason = health.blocking(stores)
        if reason:
            return reason
        unhealthy = any(health.health(store).is_problem for store in STORE_KINDS)
        if unhealthy and clock() - started > BUDGET:
            return "not started: a store is unhealthy and the run's two minutes are up"
        return ""

    return check
