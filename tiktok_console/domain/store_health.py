"""A store's health, decided from the calls the console actually made to it.

Every call to a store ends in one ``CallResult``; ``next_health`` folds each
result into the store's one ``StoreHealth`` (its state, since when, and the
plain reason). Pure: the transports report, storage keeps, the UI shows it.

The rules, in words:
- a call the store answered (even with a refusal of the request itself) means
  the store is there and accepts the sign-in: ``ok``;
- no connection, no address, no answer in time: ``unreachable``;
- a 5xx or a reply the console cannot read: ``failing``;
- the sign-in refused: ``reconnect``, which only a call that succeeds ends
  (a network fault meanwhile does not make reconnecting unnecessary);
- asked to slow down: ``rate_limited`` (normal, not an error).
``since`` is when the store entered its state: more results of the same kind
keep it, so "unreachable since 14:02" stays true while retries fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class HealthState(StrEnum):
    """The one state a store is in (its text is what ``status --json`` prints)."""

    OK = "ok"
    UNREACHABLE = "unreachable"
    FAILING = "failing"
    RECONNECT = "reconnect"
    RATE_LIMITED = "rate_limited"


class CallResult(StrEnum):
    """How one call to a store ended."""

    ANSWERED = "answered"  # a reply, or the store refused the request itself
    UNREACHABLE = "unreachable"  # no connection, no address, timed out
    FAILING = "failing"  # 5xx, unreadable or unexpected reply
    SIGN_IN_REFUSED = "sign_in_refused"
    RATE_LIMITED = "rate_limited"


_STATE_OF: dict[CallResult, HealthState] = {
    CallResult.ANSWERED: HealthState.OK,
    CallResult.UNREACHABLE: HealthState.UNREACHABLE,
    CallResult.FAILING: HealthState.FAILING,
    CallResult.SIGN_IN_REFUSED: HealthState.RECONNECT,
    CallResult.RATE_LIMITED: HealthState.RATE_LIMITED,
}

# States that need the merchant's eye (rate limits and ok do not).
PROBLEMS = frozenset({HealthState.UNREACHABLE, HealthState.FAILING, HealthState.RECONNECT})


@dataclass(frozen=True)
class StoreHealth:
    """A store's state, since when, and why (the reason is plain words, "" when ok)."""

    state: HealthState = HealthState.OK
    since: datetime | None = None  # None: no call decided it yet
    reason: str = ""

    @property
    def is_problem(self) -> bool:
        """Whether the merchant should look (unreachable, failing, reconnect)."""
        return self.state in PROBLEMS


def next_health(
    current: StoreHealth, result: CallResult, at: datetime, reason: str = ""
) -> StoreHealth:
    """The store's health after one call that ended in ``result`` at ``at``."""
    state = _STATE_OF[result]
    if current.state is HealthState.RECONNECT and state is not HealthState.OK:
        return current  # only a call that gets through proves the sign-in works again
    if state is HealthState.OK:
        fresh = current.state is not HealthState.OK or current.since is None
        return StoreHealth(HealthState.OK, at) if fresh else current
    if state is current.state:
        # The same trouble again: keep since-when; the newest reason says it best.
        return StoreHealth(state, current.since or at, reason or current.reason)
    return StoreHealth(state, at, reason)


def headline(title: str, health: StoreHealth) -> str:
    """One short phrase for the store ``title``: "Shopify cannot be reached"…"""
    return {
        HealthState.OK: f"{title} is connected",
        HealthState.UNREACHABLE: f"{title} cannot be reached",
        HealthState.FAILING: f"{title} is answering with errors",
        HealthState.RECONNECT: f"{title} needs to be reconnected",
        HealthState.RATE_LIMITED: f"{title} asked the console to slow down (normal)",
    }[health.state]


def describe(title: str, health: StoreHealth, now: datetime) -> str:
    """The headline, with since-when and the reason: one sentence for the merchant."""
    text = headline(title, health)
    if health.state is HealthState.OK or health.since is None:
        return text
    text += f" since {_when(health.since, now)}"
    return f"{text}: {health.reason}" if health.reason else text


def no_network(healths: Iterable[StoreHealth]) -> bool:
    """Whether every connected store is unreachable: the network itself is likely down."""
    states = [health.state for health in healths]
    return bool(states) and all(state is HealthState.UNREACHABLE for state in states)


NO_NETWORK = (
    "No network at all: neither Shopify nor TikTok Shop can be reached. "
    "Check this computer's internet connection; syncing resumes by itself."
)


def _when(since: datetime, now: datetime) -> str:
    local = since.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b %H:%M")
