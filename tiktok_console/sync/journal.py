"""Journaled writes: every write to a store goes record -> call -> complete / failed / unconfirmed.

The intent is committed before the call, so a crash between the two leaves a
``pending`` intent the job resolves by asking the store, never by writing
blind. After the call there are exactly three outcomes, decided here and
nowhere else:

- **complete**: the store answered; ``settle`` stores what it did, in the
  same transaction that marks the intent done.
- **failed**: the request certainly did nothing. The store refused it
  (validation, a ``userErrors`` reply: ``refused`` records why, in the same
  transaction), or it was not let through at all: an expired sign-in or a rate
  limit, which are re-raised for the engine to handle (reconnect, back off)
  after the intent is marked failed, with ``refused`` false on it.
- **unconfirmed**: the request may have reached the store (timeout after
  sending, dropped connection, 5xx or unreadable reply): the intent stays
  pending and the job asks the store before any new attempt. See
  ``may_have_reached_store``: that is the one definition.

``resolve_pending`` settles the pending intents of a kind after a crash or an
unconfirmed outcome: the job says what the store shows (``Found``, ``Absent``
or not known yet) and the bookkeeping is done here, a transaction each.

Every write that must not happen twice uses it (absolute stock levels and
status switches are safe to repeat and do not): orders (create, cancel),
fulfillment (ship, update shipping info), restock, refunds and return
decisions, and the catalog (TikTok product creates and edits, fixes written
back to Shopify).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from tiktok_console.storage.database import db
from tiktok_console.storage.intents import Intent, complete_intent, fail_intent, record_intent
from tiktok_console.stores.errors import (
    RequestRejectedError,
    StoreError,
    StoreUnavailableError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


class WriteOutcome(StrEnum):
    """How a journaled write ended."""

    COMPLETE = "complete"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class Written(Generic[T]):
    """A journaled write's outcome, with the call's value (complete) or error (otherwise)."""

    outcome: WriteOutcome
    value: T | None = None
    error: StoreError | None = None

    @property
    def complete(self) -> bool:
        """The store did it (and ``settle`` recorded it)."""
        return self.outcome is WriteOutcome.COMPLETE

    @property
    def unconfirmed(self) -> bool:
        """The store may have done it: ask it before trying again."""
        return self.outcome is WriteOutcome.UNCONFIRMED


def may_have_reached_store(error: StoreError) -> bool:
    """Whether a failed write may still have happened: the one definition of unconfirmed.

    True for a timeout after sending, a dropped connection, a 5xx, and a reply
    that cannot be read or does not fit (all ``StoreUnavailableError``). False
    for a refusal (validation, user errors), an expired sign-in and a rate
    limit: the store turned those away before doing anything.
    """
    return isinstance(error, StoreUnavailableError)


async def journaled(
    kind: str,
    key: str,
    call: Callable[[], Awaitable[T]],
    *,
    settle: Callable[[T], Mapping[str, Any]],
    subject: str,
    payload: Mapping[str, Any] | None = None,
    refused: Callable[[RequestRejectedError], None] | None = None,
    at: datetime | None = None,
) -> Written[T]:
    """Record the intent ``key``, make the write, and record how it ended.

    Args:
        kind: the kind of write (``"shopify.orderCreate"``); pending intents are found by it.
        key: the intent's key: one per write (a retry of the same write reuses it).
        call: makes the write; raises ``RequestRejectedError`` for a refusal
            (including a mutation's ``userErrors``).
        settle: stores what the write did; returns the intent's result. Runs in the
            transaction that marks the intent done.
        subject: what the write is about (an order id), for finding it again.
        payload: what a later resolution needs to ask the store about this write.
        refused: stores a refusal (the order's state, an Activity entry), in the
            transaction that marks the intent failed.
        at: when, on the clock the caller later compares ``created_at`` with.

    Raises:
        AuthExpiredError, RateLimitedError: after the intent is marked failed.
    """
    record_intent(key, kind, subject, dict(payload or {}), at=at)
    try:
        value = await call()
    except RequestRejectedError as error:
        with db.atomic():
            fail_intent(key, _failure(error, refused=True))
            if refused is not None:
                refused(error)
        return Written(WriteOutcome.FAILED, error=error)
    except StoreError as error:
        if may_have_reached_store(error):
            log.info("%s unconfirmed (%s); the store is asked before a retry", key, error.detail)
            return Written(WriteOutcome.UNCONFIRMED, error=error)
        fail_intent(key, _failure(error, refused=False))
        raise
    with db.atomic():
        complete_intent(key, dict(settle(value)))
    return Written(WriteOutcome.COMPLETE, value=value)


@dataclass(frozen=True)
class Found:
    """The store has the write: ``settle`` records it, as after an answer, and returns
    the intent's result."""

    settle: Callable[[], Mapping[str, Any]]


@dataclass(frozen=True)
class Absent:
    """The store does not have the write: the intent fails (not refused), so the write
    is made again; ``then`` records what that means for the job's own rows."""

    reason: str
    then: Callable[[], None] | None = None


async def resolve_pending(
    intents: Sequence[Intent], look: Callable[[Intent], Awaitable[Found | Absent | None]]
) -> int:
    """Settle pending intents by what the store shows; returns how many were settled.

    ``look`` asks the store about one intent: ``Found``, ``Absent``, or None when the
    store cannot tell yet (e.g. its search index may still lag the write).
    """
    resolved = 0
    for pending in intents:
        seen = await look(pending)
        if seen is None:
            continue
        with db.atomic():
            if isinstance(seen, Found):
                complete_intent(pending.key, dict(seen.settle()))
            else:
                fail_intent(pending.key, {"error": seen.reason, "refused": False})
                if seen.then is not None:
                    seen.then()
        resolved += 1
    return resolved


def _failure(error: StoreError, *, refused: bool) -> dict[str, Any]:
    code = error.code if isinstance(error, RequestRejectedError) else type(error).__name__
    message = error.store_message if isinstance(error, RequestRejectedError) else error.message
    return {"error": message, "code": code, "refused": refused}
