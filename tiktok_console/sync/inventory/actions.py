"""What the Inventory page does: freeze, buffers, caps, livestream mode.

Each action writes SQLite only; the page then nudges the engine
(``engine.nudge("inventory")``) and the fast path applies it within a poll:
a freeze pushes 0 at once, an unfreeze restores the computed quantity.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from tiktok_console.domain.inventory import parse_buffer
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db
from tiktok_console.storage.inventory import livestreams
from tiktok_console.storage.inventory.livestreams import Livestream, LivestreamReport
from tiktok_console.storage.inventory.stock import save_rule

__all__ = [
    "Livestream",
    "LivestreamReport",
    "active_livestream",
    "end_livestream",
    "livestream_reports",
    "set_buffer",
    "set_cap",
    "set_frozen",
    "start_livestream",
]

JOB = "inventory"


def set_frozen(sku_ids: Sequence[str], frozen: bool) -> None:
    """Freeze SKUs (TikTok shows 0 until unfrozen) or unfreeze them."""
    with db.atomic():
        for sku_id in sku_ids:
            save_rule(sku_id, frozen=frozen)
        verb = "Froze" if frozen else "Unfroze"
        record_activity(JOB, "freeze", f"{verb} {len(sku_ids)} SKU(s)", subject=",".join(sku_ids))


def set_buffer(sku_id: str, buffer: str) -> None:
    """Set a SKU's buffer: ``"3"`` units, ``"10%"``, or ``""`` for the global default.

    Raises:
        ValueError: the text is not a buffer (the message says what to type).
    """
    parsed = parse_buffer(buffer)
    save_rule(sku_id, buffer="" if parsed is None else parsed.text())


def set_cap(sku_id: str, cap: int | None) -> None:
    """Set the most TikTok shows of a SKU during a livestream (None: no cap of its own).

    Raises:
        ValueError: a negative cap.
    """
    if cap is not None and cap < 0:
        raise ValueError(f"A cap cannot be negative ({cap}): use 0 to show none.")
    save_rule(sku_id, cap=cap)


def start_livestream(ends_at: datetime, now: datetime | None = None) -> None:
    """Switch livestream mode on until ``ends_at``: faster polls, tighter buffers, caps.

    Raises:
        ValueError: ``ends_at`` is not after now.
    """
    started = now or datetime.now(UTC)
    if ends_at.tzinfo is None:
        raise ValueError("Give the end time with its time zone.")
    if ends_at <= started:
        raise ValueError("The livestream must end in the future.")
    livestreams.start(started, ends_at)
    record_activity(JOB, "livestream", f"Livestream mode on until {ends_at:%H:%M} UTC")


def end_livestream(now: datetime | None = None) -> LivestreamReport:
    """End the livestream now and return its report.

    Raises:
        LookupError: no livestream is on.
    """
    ended = now or datetime.now(UTC)
    current = livestreams.active(ended)
    if current is None:
        raise LookupError("No livestream is on.")
    report = livestreams.finish(current.id, ended)
    record_activity(
        JOB, "livestream",
        f"Livestream ended: {report.units_sold_tiktok} unit(s) sold on TikTok, "
        f"{report.oversells_avoided} oversell(s) avoided",
    )  # fmt: skip
    return report


def active_livestream(now: datetime) -> Livestream | None:
    """The livestream on at ``now``, if any."""
    return livestreams.active(now)


def livestream_reports() -> list[LivestreamReport]:
    """Reports of past livestreams, newest first."""
    return livestreams.reports()
