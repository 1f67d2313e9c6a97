"""Read and write the activity log (what the console did, and what failed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tiktok_console.storage.tables import ActivityRow


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
    """Append one entry to the activity log."""
    ActivityRow.create(
        at=at or datetime.now(UTC),
        level=level,
        job=job,
        action=action,
        subject=subject,
        message=message,
        detail=detail,
        retryable=retryable,
    )


def activity_summary(since: datetime) -> ActivitySummary:
    """How many actions and errors were logged since ``since``."""
    recent = ActivityRow.select().where(ActivityRow.at >= since)
    actions = recent.count()
    errors = recent.where(ActivityRow.level == "error").count()
    latest = ActivityRow.select(ActivityRow.at).order_by(ActivityRow.at.desc()).first()
    return ActivitySummary(actions=actions, errors=errors, last_at=latest.at if latest else None)
