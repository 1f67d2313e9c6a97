"""The intent journal: every write to a store is recorded before the call, marked after.

After a crash, a ``pending`` intent means "we may or may not have done this":
the job asks the store what happened before trying again, so nothing is done
twice and nothing is lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tiktok_console.storage.tables import IntentRow

PENDING, DONE, FAILED = "pending", "done", "failed"


@dataclass(frozen=True)
class Intent:
    """One recorded write."""

    key: str
    kind: str
    subject: str
    status: str
    payload: dict[str, Any]
    result: dict[str, Any]
    created_at: datetime

    @property
    def refused(self) -> bool:
        """The store refused it: only the merchant's Retry sends it again.

        A write failed for an expired sign-in or a rate limit was not refused
        (``result["refused"]`` is false): it is sent again once the store lets it.
        """
        return self.status == FAILED and bool(self.result.get("refused", True))


def record_intent(
    key: str, kind: str, subject: str, payload: dict[str, Any], at: datetime | None = None
) -> Intent:
    """Record (or re-arm) the intent ``key`` as pending, committed before the call.

    ``at`` is when, on the clock the caller later compares it with (default: now).
    """
    now = at or datetime.now(UTC)
    IntentRow.insert(
        key=key, kind=kind, subject=subject, status=PENDING, payload=json.dumps(payload),
        created_at=now, updated_at=now,
    ).on_conflict(
        conflict_target=[IntentRow.key],
        update={IntentRow.status: PENDING, IntentRow.created_at: now, IntentRow.updated_at: now},
    ).execute()  # fmt: skip
    found = intent(key)
    assert found is not None
    return found


def complete_intent(key: str, result: dict[str, Any]) -> None:
    """The store did it; ``result`` is what it answered."""
    _finish(key, DONE, result)


def fail_intent(key: str, result: dict[str, Any]) -> None:
    """The store refused; nothing happened there."""
    _finish(key, FAILED, result)


def forget_intent(key: str) -> None:
    """Drop a refused intent, so the write is tried again (the merchant asked for it)."""
    IntentRow.delete().where((IntentRow.key == key) & (IntentRow.status == FAILED)).execute()


def intent(key: str) -> Intent | None:
    """The intent recorded under ``key``, if any."""
    row = IntentRow.get_or_none(IntentRow.key == key)
    return None if row is None else _intent(row)


def pending_intents(kind: str | None = None) -> list[Intent]:
    """Intents whose outcome is unknown (a crash or an unclear failure came between)."""
    query = IntentRow.select().where(IntentRow.status == PENDING)
    if kind is not None:
        query = query.where(IntentRow.kind == kind)
    return [_intent(row) for row in query.order_by(IntentRow.created_at)]


def _finish(key: str, status: str, result: dict[str, Any]) -> None:
    IntentRow.update(status=status, result=json.dumps(result), updated_at=datetime.now(UTC)).where(
        IntentRow.key == key
    ).execute()


def _intent(row: IntentRow) -> Intent:
    return Intent(
        key=row.key,
        kind=row.kind,
        subject=row.subject,
        status=row.status,
        payload=json.loads(row.payload or "{}"),
        result=json.loads(row.result or "{}"),
        created_at=row.created_at,
    )
