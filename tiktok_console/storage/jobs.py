"""Sync job state: each job's cursor (written with its data) and its last outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tiktok_console.storage.tables import JobStateRow


@dataclass(frozen=True)
class JobState:
    """A job as the UI and ``status`` show it."""

    name: str
    cursor: str
    paused: bool
    last_success_at: datetime | None
    last_error: str
    updated_at: datetime | None = None  # the last outcome or cursor written


def load_cursor(name: str) -> str:
    """The job's cursor ("" before its first run)."""
    row = JobStateRow.get_or_none(JobStateRow.name == name)
    return "" if row is None else str(row.cursor)


def save_cursor(name: str, cursor: str) -> None:
    """Advance the cursor. Call inside the transaction that writes the data it describes."""
    now = datetime.now(UTC)
    JobStateRow.insert(name=name, cursor=cursor, updated_at=now).on_conflict(
        conflict_target=[JobStateRow.name],
        update={JobStateRow.cursor: cursor, JobStateRow.updated_at: now},
    ).execute()


def record_outcome(name: str, error: str = "") -> None:
    """Note a run's success (clears the error) or failure."""
    now = datetime.now(UTC)
    update = {JobStateRow.last_error: error, JobStateRow.updated_at: now}
    if not error:
        update[JobStateRow.last_success_at] = now
    first = {"name": name, "updated_at": now, "last_error": error}
    if not error:  # a job without a cursor has no row until its first run ends
        first["last_success_at"] = now
    JobStateRow.insert(**first).on_conflict(
        conflict_target=[JobStateRow.name], update=update
    ).execute()


def set_paused(name: str, paused: bool) -> None:
    """Remember a job's pause switch across restarts."""
    now = datetime.now(UTC)
    JobStateRow.insert(name=name, updated_at=now, paused=paused).on_conflict(
        conflict_target=[JobStateRow.name],
        update={JobStateRow.paused: paused, JobStateRow.updated_at: now},
    ).execute()


def job_states() -> dict[str, JobState]:
    """Every job that has run, by name."""
    return {
        row.name: JobState(
            row.name,
            row.cursor,
            bool(row.paused),
            row.last_success_at,
            row.last_error,
            row.updated_at,
        )
        for row in JobStateRow.select()
    }
