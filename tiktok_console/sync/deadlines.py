"""The whole deadline queue: the stored after-sales and order clocks, plus both stores' sign-ins.

``storage.aftersales.deadline_queue.open_deadlines`` reads what the database
holds. A sign-in's end is not there: the account rows carry only the access
token's expiry, which the sessions renew on their own, while the date after
which the merchant must sign in again (the refresh token's end) lives with the
tokens in the keyring. This module adds those, so the Deadlines page, its
notifications and ``deadlines --json`` show one queue. No Qt: the page reads it
as long work, the CLI directly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.deadline_sources import reauthorize_deadline
from tiktok_console.domain.deadlines import (
    Deadline,
    Notification,
    Urgency,
    is_snoozed,
    notifications_due,
    soonest_first,
)
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.storage.aftersales.deadline_queue import (
    active_snoozes,
    mark_notified,
    notified,
    open_deadlines,
)
from tiktok_console.stores.tokens import TokenStore

log = logging.getLogger(__name__)

_URGENT = frozenset({Urgency.OVERDUE, Urgency.CRITICAL, Urgency.URGENT})


def sign_in_deadlines(token_store: TokenStore | None) -> list[Deadline]:
    """When each connected store's sign-in ends (its refresh token's end, where it has one).

    A store whose tokens never expire (a Shopify custom-app token) or whose
    renewal needs no sign-in (client credentials) has no such date. A keyring
    that cannot be read is logged and skipped: the Accounts page says why.
    """
    if token_store is None:
        return []
    items = []
    for store, account in sorted(load_accounts().items()):
        try:
            tokens = token_store.load(account.account_key)
        except ConsoleError as error:
            log.warning("Sign-in of %s not read for the deadlines: %s", store, error.message)
            continue
        if tokens is not None and tokens.refresh_expires_at is not None:
            items.append(reauthorize_deadline(store, tokens.refresh_expires_at))
    return items


def deadline_queue(token_store: TokenStore | None) -> list[Deadline]:
    """Every open deadline in either store, soonest first (overdue ones too)."""
    queue = open_deadlines()  # already soonest first: sorting 10,000 again costs 20 ms
    sign_ins = sign_in_deadlines(token_store)
    return soonest_first([*queue, *sign_ins]) if sign_ins else queue


@dataclass(frozen=True)
class DeadlineSnapshot:
    """What the Deadlines page shows: the queue and the snoozes running now."""

    items: list[Deadline]
    snoozes: dict[str, datetime]
    read_at: datetime


def read_deadlines(token_store: TokenStore | None, now: datetime) -> DeadlineSnapshot:
    """The queue and its snoozes at ``now``, in one read."""
    return DeadlineSnapshot(deadline_queue(token_store), active_snoozes(now), now)


@dataclass(frozen=True)
class AlertCheck:
    """What the notifier learns on one check: what to raise, and how many items are urgent."""

    due: list[Notification]
    urgent: int  # not snoozed, and under the urgent band (4 h) or passed
    open_keys: frozenset[str] = frozenset()  # every item still in the queue


def check_alerts(
    token_store: TokenStore | None,
    thresholds: Iterable[timedelta],
    now: datetime,
    raised: Iterable[Notification] = (),
) -> AlertCheck:
    """Record the notifications already raised, then say which to raise at ``now``.

    ``raised`` are notifications shown since the last check: their marks are
    written first (idempotently, so a repeated check writes nothing twice), and
    the answer never repeats them.
    """
    mark_notified(raised, now)
    queue = deadline_queue(token_store)
    snoozes = active_snoozes(now)
    urgent = sum(
        1 for item in queue
        if item.urgency(now) in _URGENT and not is_snoozed(item.key, snoozes, now)
    )  # fmt: skip
    due = notifications_due(queue, thresholds, now, notified(), snoozes)
    return AlertCheck(due, urgent, frozenset(item.key for item in queue))
