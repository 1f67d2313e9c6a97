"""The Inventory page's livestream switch: go live until a time, end it, and the last report.

While a livestream is on the inventory job polls faster, tightens buffers and
applies per-SKU caps; this bar only starts and ends it and says where it
stands. It shows what it is given and calls back; the page does the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import QDateTimeEdit, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from tiktok_console.ui.cell_text import local_time, plural
from tiktok_console.ui.theme import DANGER, MUTED
from tiktok_console.ui.widgets import button, label

DEFAULT_LENGTH = timedelta(hours=2)


class Livestream(Protocol):
    """A livestream under way (``sync.inventory_actions.Livestream``)."""

    @property
    def started_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...


class LivestreamReport(Protocol):
    """What a finished livestream did (``sync.inventory_actions.LivestreamReport``)."""

    @property
    def started_at(self) -> datetime: ...

    @property
    def ended_at(self) -> datetime: ...

    @property
    def oversells_avoided(self) -> int: ...

    @property
    def cancellations(self) -> int: ...

    @property
    def units_sold_tiktok(self) -> int: ...

    @property
    def units_moved(self) -> int: ...

    @property
    def pushes(self) -> int: ...


def report_text(report: LivestreamReport | None) -> str:
    """The last livestream's report in one sentence ("" when there was none)."""
    if report is None:
        return ""
    ran = f"{local_time(report.started_at)}–{report.ended_at.astimezone():%H:%M}"
    return (
        f"Last livestream ({ran}): {plural(report.units_sold_tiktok, 'unit', 'units')} sold "
        f"on TikTok, {plural(report.oversells_avoided, 'oversell', 'oversells')} avoided, "
        f"{plural(report.cancellations, 'cancellation', 'cancellations')}, "
        f"{plural(report.units_moved, 'unit', 'units')} of stock moved in "
        f"{plural(report.pushes, 'push', 'pushes')} to TikTok."
    )


class LivestreamBar(QFrame):
    """ "Go live until …" or "Live until 21:30 · End livestream", and the last report.

    Signals:
        start_requested(object): go live until this aware datetime.
        end_requested: end the livestream now.
    """

    start_requested = Signal(object)
    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.live: Livestream | None = None
        self._picked = False  # the merchant chose an end time: refreshes keep it
        self.status = label("", wrap=True)
        self.status.setStyleSheet("font-weight: 600;")
        self.hint = label("", "CardNote", wrap=True)
        self.until_label = label("until", "Muted")
        self.until = QDateTimeEdit()
        self.until.setDisplayFormat("dd MMM HH:mm")
        self.until.setCalendarPopup(True)
        self.until.dateTimeChanged.connect(self._on_time_edited)
        self.start_button = button("Go live", "Primary")
        self.start_button.clicked.connect(self._on_start_clicked)
        self.end_button = button("End livestream", "Secondary")
        self.end_button.clicked.connect(self.end_requested)
        self.report = label("", "CardNote", wrap=True)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.status)
        texts.addWidget(self.hint)
        texts.addWidget(self.report)
        box = QHBoxLayout(self)
        box.setContentsMargins(16, 10, 16, 10)
        box.addLayout(texts, 1)
        for widget in (self.until_label, self.until, self.start_button, self.end_button):
            box.addWidget(widget)
        self.show_state(None, None, datetime.now(UTC))

    def show_state(
        self,
        live: Livestream | None,
        last: LivestreamReport | None,
        now: datetime,
        *,
        connected: bool = True,
    ) -> None:
        """Show the livestream under way (or the switch to start one) and the last report.

        Without both stores connected there is no stock to protect: "Go live" is off.
        """
        self.live = live
        self.start_button.setEnabled(connected)
        self.start_button.setToolTip("" if connected else "Connect both stores first")
        if live is None and not connected:
            self.status.setText("Livestream mode is off")
            self.status.setStyleSheet(f"font-weight: 600; color: {MUTED};")
            self.hint.setText("Connect both stores to use livestream mode.")
        elif live is None:
            self.status.setText("Livestream mode is off")
            self.status.setStyleSheet(f"font-weight: 600; color: {MUTED};")
            self.hint.setText(
                "Going live polls Shopify every moment, tightens buffers and applies each "
                "SKU's cap until the end time."
            )
            if not self._picked:
                self.until.blockSignals(True)
                default_end = _rounded(now + DEFAULT_LENGTH)
                self.until.setDateTime(QDateTime.fromSecsSinceEpoch(int(default_end.timestamp())))
                self.until.blockSignals(False)
        else:
            self._picked = False  # the next livestream gets a fresh default
            self.status.setText(f"● Live until {live.ends_at.astimezone():%H:%M}")
            self.status.setStyleSheet(f"font-weight: 600; color: {DANGER};")
            self.hint.setText(
                f"Started {local_time(live.started_at)}. Buffers are tighter and caps apply; "
                "it ends by itself at the end time."
            )
        for widget in (self.until_label, self.until, self.start_button):
            widget.setVisible(live is None)
        self.end_button.setVisible(live is not None)
        self.report.setText(report_text(last))
        self.report.setVisible(last is not None)

    def chosen_end(self) -> datetime:
        """The end time picked, as an aware datetime."""
        picked = self.until.dateTime().toPython()
        assert isinstance(picked, datetime)
        return picked.astimezone() if picked.tzinfo is None else picked

    def _on_time_edited(self, _moment: QDateTime) -> None:
        self._picked = True

    def _on_start_clicked(self) -> None:
        self.start_requested.emit(self.chosen_end())


def _rounded(moment: datetime) -> datetime:
    """``moment`` rounded up to the next half hour (end times are picked that way)."""
    extra = (30 - moment.minute % 30) % 30
    return (moment + timedelta(minutes=extra)).replace(second=0, microsecond=0)
