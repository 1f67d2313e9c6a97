"""One deadline model for everything with a clock in either store, and when to raise a notification.

Ship-by dates, cancellation and return responses, parcel confirmations,
dispute answers and sign-in expiry all become a ``Deadline``: the Deadlines
page sorts one queue of them, the CLI prints them, and ``notifications_due``
decides which desktop notifications to raise. That last rule is pure so it can
be checked over any sequence of moments: it never raises the same
(item, threshold) twice, and a laptop that slept through several thresholds
gets one notification per item (its most urgent), not one per threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tiktok_console.domain.money import Money


class DeadlineKind(StrEnum):
    """What kind of clock is running (the names the CLI prints)."""

    SHIP_BY = "ship_by"
    CANCELLATION_RESPONSE = "cancellation_response"
    RETURN_RESPONSE = "return_response"
    RECEIVE_PACKAGE = "receive_package"
    DISPUTE_RESPONSE = "dispute_response"
    REAUTHORIZE = "reauthorize"


class Urgency(StrEnum):
    """The page's colour bands."""

    OVERDUE = "overdue"
    CRITICAL = "critical"  # under an hour
    URGENT = "urgent"  # under four hours
    SOON = "soon"  # under a day
    LATER = "later"


_BANDS = (
    (timedelta(hours=1), Urgency.CRITICAL),
    (timedelta(hours=4), Urgency.URGENT),
    (timedelta(hours=24), Urgency.SOON),
)
DEFAULT_THRESHOLDS: tuple[timedelta, ...] = (
    timedelta(hours=24),
    timedelta(hours=4),
    timedelta(hours=1),
)


@dataclass(frozen=True)
class Deadline:
    """Something the merchant must do before a store decides alone.

    Attributes:
        kind: the kind of clock.
        order_id: the TikTok order ("" for a sign-in expiry).
        request_id: the return, cancellation or dispute id; None for order and
            account deadlines.
        deadline: exactly the store's timestamp (aware UTC).
        action: what to do, in the merchant's words ("Approve or reject the return").
        at_zero: what the store (the console, for a sign-in) does if nothing is
            done, as a verb phrase: "auto-approves a $24.90 refund".
        amount: the money at stake, if any.
        code: the store's own name for the step (``SELLER_RESPOND_REFUND``,
            ``AUTO_CANCEL``...), which tells two clocks of one order apart.
    """

    kind: DeadlineKind
    order_id: str
    request_id: str | None
    deadline: datetime
    action: str
    at_zero: str
    amount: Money | None = None
    code: str = ""

    def __post_init__(self) -> None:
        if self.deadline.tzinfo is None:
            raise ValueError("a deadline must be timezone-aware")

    @property
    def key(self) -> str:
        """Identifies this clock: a moved deadline is a new clock (and notifies again)."""
        stamp = int(self.deadline.timestamp())
        return f"{self.kind}:{self.order_id}:{self.request_id or ''}:{self.code}:{stamp}"

    def as_json(self) -> dict[str, object]:
        """The object ``deadlines --json`` prints (times ISO 8601 UTC, money as exact text)."""
        return {
            "kind": self.kind.value,
            "order_id": self.order_id,
            "request_id": self.request_id,
            "deadline": self.deadline.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "action": self.action,
            "at_zero": self.at_zero,
            "amount": None
            if self.amount is None
            else {"amount": self.amount.to_wire(), "currency": self.amount.currency},
        }

    def remaining(self, now: datetime) -> timedelta:
        """Time left (negative once passed)."""
        return self.deadline - now

    def urgency(self, now: datetime) -> Urgency:
        """The colour band at ``now``."""
        return urgency_of(self.remaining(now))


def urgency_of(left: timedelta) -> Urgency:
    """The band a time left falls in."""
    if left <= timedelta(0):
        return Urgency.OVERDUE
    for limit, band in _BANDS:
        if left <= limit:
            return band
    return Urgency.LATER


def one_per_kind(deadlines: Iterable[Deadline]) -> list[Deadline]:
    """One item per order, request and kind of clock: the soonest (first given on a tie).

    A store may name the same wait twice (two steps of one request with one
    answer, a dispute over several steps): the merchant sees one row per thing to
    do. Sign-in clocks are told apart by their store (their ``code``).
    """
    kept: dict[tuple[str, str, str, str], Deadline] = {}
    for item in deadlines:
        store = item.code if item.kind is DeadlineKind.REAUTHORIZE else ""
        slot = (item.kind.value, item.order_id, item.request_id or "", store)
        if slot not in kept or item.deadline < kept[slot].deadline:
            kept[slot] = item
    return list(kept.values())


def soonest_first(deadlines: Iterable[Deadline]) -> list[Deadline]:
    """The queue order: earliest deadline first, ties in a stable, readable order."""
    return sorted(deadlines, key=lambda d: (d.deadline, d.kind, d.order_id, d.request_id or ""))


# -- snooze -----------------------------------------------------------------


def snooze_until(deadline: Deadline, now: datetime, duration: timedelta) -> datetime:
    """When a snooze asked at ``now`` ends: never after the deadline itself.

    Raises:
        ValueError: a duration that is not positive.
    """
    if duration <= timedelta(0):
        raise ValueError("a snooze lasts some time")
    return min(now + duration, deadline.deadline)


def is_snoozed(key: str, snoozes: Mapping[str, datetime], now: datetime) -> bool:
    """Whether the item is silenced at ``now`` (``snoozes``: key -> until)."""
    until = snoozes.get(key)
    return until is not None and now < until


# -- notifications ----------------------------------------------------------


@dataclass(frozen=True)
class Notification:
    """A desktop notification to raise now.

    Attributes:
        deadline: the item it is about.
        threshold: the most urgent threshold crossed (what the text says: "under 1 h").
        settles: every threshold this notification answers: the one it names and
            the wider ones crossed with it; record each as notified.
    """

    deadline: Deadline
    threshold: timedelta
    settles: tuple[timedelta, ...]

    @property
    def title(self) -> str:
        """The notification's first line."""
        return f"Under {_hours(self.threshold)} left: {self.deadline.action}"

    @property
    def body(self) -> str:
        """The notification's text."""
        item = self.deadline
        if item.kind is DeadlineKind.REAUTHORIZE:
            return f"At zero, the console {item.at_zero}."
        return f"Order {item.order_id}. At zero, TikTok {item.at_zero}."


def notifications_due(
    deadlines: Iterable[Deadline],
    thresholds: Iterable[timedelta],
    now: datetime,
    notified: Set[tuple[str, timedelta]],
    snoozes: Mapping[str, datetime] | None = None,
) -> list[Notification]:
    """Exactly the notifications to raise at ``now``.

    For each open, unsnoozed item, the thresholds it has crossed (time left at
    or under the threshold) and not yet been notified of are settled by ONE
    notification naming the most urgent of them. So an item is never notified
    twice for a threshold, a wider threshold is never raised after a narrower
    one, and after a sleep (or on first sight) one notification per item says
    how close it is. Passed deadlines raise nothing: the window has closed and
    the page shows it as overdue.

    Args:
        deadlines: the open items.
        thresholds: time-left marks (24 h, 4 h, 1 h by default).
        now: the moment (aware).
        notified: the (item key, threshold) pairs already raised.
        snoozes: item key -> snoozed until.
    """
    marks = sorted(set(thresholds))
    if any(mark <= timedelta(0) for mark in marks):
        raise ValueError("thresholds are positive times left")
    silenced = snoozes or {}
    raised = []
    for item in soonest_first(deadlines):
        left = item.remaining(now)
        if left <= timedelta(0) or is_snoozed(item.key, silenced, now):
            continue
        crossed = [m for m in marks if left <= m and (item.key, m) not in notified]
        if crossed:
            raised.append(Notification(item, crossed[0], tuple(crossed)))
    return raised


def parse_thresholds(text: str) -> tuple[timedelta, ...]:
    """Thresholds from a setting such as ``"24h, 4h, 1h, 30m"`` (largest first).

    Raises:
        ValueError: an entry that is not a positive number of hours (h) or minutes (m).
    """
    found = set()
    for part in text.replace(";", ",").split(","):
        entry = part.strip().lower()
        if not entry:
            continue
        unit, number = entry[-1], entry[:-1].strip()
        if unit not in "hm" or not number.isdigit() or int(number) == 0:
            raise ValueError(f"not a threshold: {part.strip()!r} (use e.g. 24h or 30m)")
        found.add(timedelta(hours=int(number)) if unit == "h" else timedelta(minutes=int(number)))
    if not found:
        raise ValueError("no thresholds given")
    return tuple(sorted(found, reverse=True))


def _hours(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} min"
    return f"{minutes // 60} h"
