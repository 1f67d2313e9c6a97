"""The merchant's reviewed flag and note on any payouts line, kept for offline review.

A subject names what was reviewed: ``order:<id>``, ``sku:<order>:<sku>``,
``adjustment:<id>``, ``payment:<id>``, ``statement:<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tiktok_console.storage.payouts.tables import PayoutReviewRow


@dataclass(frozen=True)
class Review:
    """A subject's flag and note."""

    subject: str
    reviewed: bool
    note: str
    updated_at: datetime


def set_review(subject: str, reviewed: bool, note: str) -> Review:
    """Saves the flag and note (an empty note and no flag forget the subject)."""
    now = datetime.now(UTC)
    if not reviewed and not note.strip():
        PayoutReviewRow.delete().where(PayoutReviewRow.subject == subject).execute()
    else:
        PayoutReviewRow.insert(subject=subject, reviewed=reviewed, note=note, updated_at=now)\
            .on_conflict_replace().execute()  # fmt: skip
    return Review(subject, reviewed, note, now)


def reviews() -> dict[str, Review]:
    """Every review, by subject."""
    return {
        r.subject: Review(r.subject, bool(r.reviewed), r.note, r.updated_at)
        for r in PayoutReviewRow.select()
    }
