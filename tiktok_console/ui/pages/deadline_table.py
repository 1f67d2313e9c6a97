"""The Deadlines table: one line per clock, a live countdown, urgency colours, CSV with ids as text.

Kept apart from the page so the page is a layout of controls. The model is
the large-table model (the queue can hold tens of thousands of items): cell
texts are formatted when painted, except the countdown and its colours, which
depend on the moment and are computed from ``now`` on every paint, so one
timer moving ``now`` and repainting the visible cells keeps every countdown
live without re-reading anything.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from tiktok_console.domain.deadline_sources import money_words
from tiktok_console.domain.deadlines import Deadline, DeadlineKind, Urgency, urgency_of
from tiktok_console.ui.cell_text import local_time
from tiktok_console.ui.large_table import LargeRowModel
from tiktok_console.ui.table_model import RIGHT, Column
from tiktok_console.ui.theme import ACCENT, DANGER, MUTED, WARNING

AnyIndex = QModelIndex | QPersistentModelIndex

KIND_TITLES: dict[DeadlineKind, str] = {
    DeadlineKind.SHIP_BY: "Ship by",
    DeadlineKind.CANCELLATION_RESPONSE: "Cancellation request",
    DeadlineKind.RETURN_RESPONSE: "Return or refund request",
    DeadlineKind.RECEIVE_PACKAGE: "Returned parcel",
    DeadlineKind.DISPUTE_RESPONSE: "Dispute",
    DeadlineKind.REAUTHORIZE: "Sign-in",
}
URGENCY_TITLES: dict[Urgency, str] = {
    Urgency.OVERDUE: "Overdue",
    Urgency.CRITICAL: "Under 1 h",
    Urgency.URGENT: "Under 4 h",
    Urgency.SOON: "Under 24 h",
    Urgency.LATER: "Later",
}
# A translucent cell tint per band, under the palette's own text colour: the
# tint lies over the base of either theme, so the text keeps the theme's
# contrast on light and dark alike (red text on a red tint would not).
_BAND_STYLE: dict[Urgency, tuple[str, int]] = {
    Urgency.OVERDUE: (DANGER, 110),
    Urgency.CRITICAL: (DANGER, 70),
    Urgency.URGENT: (WARNING, 70),
    Urgency.SOON: (ACCENT, 45),
}


class DeadlineLine(NamedTuple):
    """One line of the queue: the deadline and, if snoozed, until when.

    A named tuple: a page of 10,000 lines builds them several times faster
    than frozen dataclasses.
    """

    deadline: Deadline
    snoozed_until: datetime | None = None

    @property
    def key(self) -> str:
        """The deadline's identity (snoozes and notification marks use it)."""
        return self.deadline.key


class DeadlineColumn(IntEnum):
    LEFT = 0
    DUE = 1
    WHAT = 2
    AT_ZERO = 3
    AMOUNT = 4
    ORDER = 5
    REQUEST = 6
    KIND = 7
    SNOOZED = 8


def countdown(left: timedelta) -> str:
    """The time left as a ticking countdown: ``2 d 3 h 12 min``, ``3 h 12 min 05 s``.

    Passed deadlines read ``Overdue 3 h 12 min``.
    """
    seconds = int(left.total_seconds())
    if seconds <= 0:
        over = -seconds
        days, rest = divmod(over, 86_400)
        hours, minutes = rest // 3600, rest % 3600 // 60
        if days:
            return f"Overdue {days} d {hours} h"
        return f"Overdue {hours} h {minutes:02d} min" if hours else f"Overdue {minutes} min"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h {minutes:02d} min"
    if hours:
        return f"{hours} h {minutes:02d} min {secs:02d} s"
    return f"{minutes} min {secs:02d} s"


def at_zero_text(deadline: Deadline) -> str:
    """What happens at zero, with who does it: "TikTok auto-approves a $24.90 refund"."""
    who = "The console" if deadline.kind is DeadlineKind.REAUTHORIZE else "TikTok"
    return f"{who} {deadline.at_zero}"


def _amount(line: DeadlineLine) -> str:
    amount = line.deadline.amount
    return money_words(amount) if amount is not None else ""


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


_DUE = attrgetter("deadline.deadline")  # in C: the default sort keys 10,000 lines

# Widths let a 1280-pixel window show each row's order (the detail pane says the rest).
COLUMNS: list[Column[DeadlineLine]] = [
    # The countdown's text and colours are drawn live by the model (see ``data``).
    Column("Time left", lambda r: "", sort_key=_DUE, searchable=False,
           export=lambda r: str(int(r.deadline.remaining(datetime.now(UTC)).total_seconds())),
           width=142),
    Column("Due", lambda r: local_time(r.deadline.deadline), sort_key=_DUE,
           export=lambda r: _utc(r.deadline.deadline), searchable=False, width=110),
    Column("What", lambda r: r.deadline.action, tooltip=lambda r: r.deadline.action, width=190),
    Column("At zero", lambda r: at_zero_text(r.deadline),
           tooltip=lambda r: at_zero_text(r.deadline), width=240),
    Column("Amount", _amount, sort_key=lambda r: r.deadline.amount.amount if r.deadline.amount
           else None, align=RIGHT, export=lambda r: r.deadline.amount.to_wire()
           if r.deadline.amount else "", width=80),
    Column("Order", lambda r: r.deadline.order_id or "—", export=lambda r: r.deadline.order_id,
           width=180),
    Column("Request", lambda r: r.deadline.request_id or "—",
           export=lambda r: r.deadline.request_id or "", width=140),
    Column("Kind", lambda r: KIND_TITLES[r.deadline.kind], export=lambda r: r.deadline.kind.value,
           width=160),
    Column("Snoozed until", lambda r: local_time(r.snoozed_until) if r.snoozed_until else "",
           sort_key=lambda r: r.snoozed_until, searchable=False,
           export=lambda r: _utc(r.snoozed_until) if r.snoozed_until else ""),
]  # fmt: skip


class DeadlineTableModel(LargeRowModel[DeadlineLine]):
    """The queue, with the countdown column drawn from ``now`` at paint time."""

    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, key=lambda line: line.key, parent=parent)
        self.now = now
        self._tints = {band: _tint(color, alpha) for band, (color, alpha) in _BAND_STYLE.items()}
        self._muted = QColor(MUTED)

    def urgency(self, line: DeadlineLine) -> Urgency:
        """The line's band at the model's ``now``."""
        return urgency_of(line.deadline.deadline - self.now)

    def tick(self, now: datetime, first: int, last: int) -> None:
        """Move the clock and repaint the countdowns of lines ``first``..``last`` (visible ones)."""
        self.now = now
        if 0 <= first <= last < self.rowCount():
            column = DeadlineColumn.LEFT
            self.dataChanged.emit(self.index(first, column), self.index(last, column))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.row(index.row())
        if index.column() == DeadlineColumn.LEFT:
            live = self._live(line, role)
            if live is not None:
                return live
        if role == Qt.ItemDataRole.ForegroundRole and line.snoozed_until is not None:
            return self._muted
        return super().data(index, role)

    def _live(self, line: DeadlineLine, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return countdown(line.deadline.deadline - self.now)
        band = self.urgency(line)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._tints.get(band)
        if role == Qt.ItemDataRole.FontRole and band in (Urgency.OVERDUE, Urgency.CRITICAL):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{URGENCY_TITLES[band]} · due {local_time(line.deadline.deadline, True)}"
        return None


def _tint(color: str, alpha: int) -> QColor:
    tint = QColor(color)
    tint.setAlpha(alpha)
    return tint


def export_lines(lines: list[DeadlineLine], path: Path) -> int:
    """Write ``lines`` as CSV, every field quoted so ids stay text in a spreadsheet.

    Order and request ids are 18-digit numbers that a spreadsheet would turn
    into rounded floats if unquoted; times are ISO 8601 UTC; money plain decimal
    text; the time left in seconds.
    """
    export: list[Callable[[DeadlineLine], str]] = [c.export or c.value for c in COLUMNS]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(column.title for column in COLUMNS)
        for line in lines:
            writer.writerow(value(line) for value in export)
    return len(lines)
