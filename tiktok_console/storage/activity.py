"""Read and write the activity log (what the console did, and what failed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

import peewee

from tiktok_console.storage.tables import ActivityRow

_ID = cast(peewee.Field, ActivityRow._meta.primary_key)
COLLAPSED_LEVELS = frozenset({"error", "warning"})
REPEAT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class ActivitySummary:
    """Counts for the Overview page."""

    actions: int
    errors: int
    last_at: datetime | None


def record_activity(
    job: str,
    action: str,
    message: str,
    *,
    level: str = "info",
    subject: str = "",
    detail: str = "",
    retryable: bool = False,
    at: datetime | None = None,
) -> None:
    """Append one entry to the activity log.

    An error or warning identical to the job's previous entry (within the hour)
    is counted on that entry instead, its time range widened: a store that stays
    unreachable shows as one row "×40, 14:02–14:03", not forty.
    """
    at = at or datetime.now(UTC)
    if level in COLLAPSED_LEVELS and _count_repeat(job, action, level, subject, message, at,
                                                   detail):  # fmt: skip
        return
    ActivityRow.create(
        at=at,
        level=level,
        job=job,
        action=action,
        subject=subject,
        message=message,
        detail=detail,
        retryable=retryable,
    )


def _count_repeat(
    job: str, action: str, level: str, subject: str, message: str, at: datetime, detail: str
) -> bool:
    """Count this entry on the job's previous one if it is the same; True if counted."""
    previous = (
        ActivityRow.select()
        .where(ActivityRow.job == job)
        .order_by(ActivityRow.at.desc(), _ID.desc())
        .first()
    )
    same = previous is not None and (
        (previous.action, previous.level, previous.subject, previous.message)
        == (action, level, subject, message)
    )
    if previous is None or not same or at - previous.at > REPEAT_WINDOW or at < previous.at:
        return False
    ActivityRow.update(
        repeats=ActivityRow.repeats + 1,
        first_at=previous.first_at or previous.at,
        at=at,
        detail=detail,
    ).where(previous.get_id() == _ID).execute()
    return True


def activity_summary(since: datetime) -> ActivitySummary:
    """How many actions and errors were logged since ``since``."""
    # A counted row stands for each of its repeats.
    total = peewee.fn.COALESCE(peewee.fn.SUM(ActivityRow.repeats), 0)
    recent = ActivityRow.select(total).where(ActivityRow.at >= since)
    actions = int(recent.scalar() or 0)
    errors = int(recent.where(ActivityRow.level == "error").scalar() or 0)
    latest = ActivityRow.select(ActivityRow.at).order_by(ActivityRow.at.desc()).first()
    return ActivitySummary(actions=actions, errors=errors, last_at=latest.at if latest else None)
