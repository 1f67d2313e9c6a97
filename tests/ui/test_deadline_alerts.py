"""Deadline notifications over a real database: one per threshold crossed, never twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from tests.domain.aftersales_views import T0
from tests.ui.deadline_rows import RETURN_ID, SHIP_ORDER, H, plant_order, plant_return
from tiktok_console.core.settings import DeadlineSettings
from tiktok_console.storage.aftersales.deadline_queue import notified
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.ui.deadline_alerts import DeadlineAlerts, badged_icon
from tiktok_console.ui.message_bar import MessageBar
from tiktok_console.ui.page_context import PageContext


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Bar:
    """Where notifications fall back to without a system tray (the message bar's signature)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def __call__(self, text: str, detail: str = "") -> bool:
        self.shown.append((text, detail))
        return True


def _alerts(context: PageContext, clock: Clock, bar: Bar, **settings: object) -> DeadlineAlerts:
    return DeadlineAlerts(
        context.work, DeadlineSettings.model_validate(settings), None, bar, clock=clock, tray=False
    )


def _check(alerts: DeadlineAlerts, settle: Callable[[], None]) -> None:
    alerts.check()
    settle()


def test_a_deadline_crossing_a_threshold_raises_exactly_one_notification(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    plant_return(T0 + 30 * H)  # 30 h left at T0
    clock, bar = Clock(T0), Bar()
    alerts = _alerts(context, clock, bar)
    _check(alerts, settle)
    assert bar.shown == []

    clock.now = T0 + 6 * H + timedelta(seconds=1)  # 23:59:59 left: the 24 h mark is crossed
    for _ in range(3):
        _check(alerts, settle)
    clock.now += timedelta(minutes=30)
    _check(alerts, settle)

    assert len(bar.shown) == 1
    text, detail = bar.shown[0]
    assert text.startswith("Under 24 h left: Approve or reject the refund")
    assert "auto-approves a $24.90 refund" in detail
    assert {threshold for _key, threshold in notified()} == {24 * H}

    clock.now = T0 + 26 * H + timedelta(seconds=1)  # under 4 h
    _check(alerts, settle)
    _check(alerts, settle)
    assert [t.split(":")[0] for t, _d in bar.shown] == ["Under 24 h left", "Under 4 h left"]
    assert alerts.urgent == 1


def test_a_restarted_console_does_not_notify_again(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    plant_return(T0 + 3 * H)
    clock, bar = Clock(T0), Bar()
    _check(_alerts(context, clock, bar), settle)
    _check(_alerts(context, clock, bar), settle)  # a second notifier: the marks are stored
    assert len(bar.shown) == 1 and RETURN_ID not in bar.shown[0][0]
    assert bar.shown[0][0].startswith("Under 4 h left")  # one, the most urgent crossed


def test_thresholds_come_from_the_settings_and_notify_can_be_off(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    plant_order(T0 + 20 * timedelta(minutes=1))
    clock, bar = Clock(T0), Bar()
    loud = _alerts(context, clock, bar, threshold_minutes=[30])
    _check(loud, settle)
    assert [t.split(":")[0] for t, _d in bar.shown] == ["Under 30 min left"]
    qtbot.waitUntil(lambda: not loud._pending)  # its follow-up check wrote the mark
    loud.stop()

    plant_order(T0 + 10 * timedelta(minutes=1), order_id="576000000000000888")
    quiet = _alerts(context, clock, bar, threshold_minutes=[30], notify=False)
    _check(quiet, settle)
    assert len(bar.shown) == 1 and quiet.urgent == 2


def test_the_badge_draws_the_count() -> None:
    plain, badged = badged_icon(0).pixmap(64, 64).toImage(), badged_icon(7).pixmap(64, 64).toImage()
    assert plain != badged


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen only
def test_the_window_opens_deadlines_when_the_notifier_asks(qtbot: QtBot, console) -> None:
    from tiktok_console.app import build_window
    from tiktok_console.ui.error_reporter import ErrorReporter

    console.profile.settings.welcome_dismissed = True
    window = build_window(console, ErrorReporter())
    qtbot.addWidget(window)
    window.showMinimized()
    qtbot.waitUntil(lambda: window.settled)
    alerts = window.findChild(DeadlineAlerts)
    assert alerts is not None and alerts.tray is None  # offscreen: no system tray

    alerts.open_requested.emit()  # the tray menu's "Open Deadlines", or a balloon clicked

    assert window.current_page().page_id == "deadlines" and not window.isMinimized()
    qtbot.waitUntil(lambda: window.settled)


def test_the_banner_follows_the_deadlines_still_in_the_queue(
    qtbot: QtBot, context: PageContext, settle: Callable[[], None]
) -> None:
    """Without a tray the message bar holds the notification until dismissed: once the
    order ships (it leaves the queue) its "Under 24 h left" goes; the rest stays."""
    plant_order(T0 + 30 * H)
    plant_return(T0 + 30 * H)
    bar = MessageBar()
    qtbot.addWidget(bar)
    clock = Clock(T0 + 6 * H + timedelta(seconds=1))  # both cross the 24 h mark together
    alerts = DeadlineAlerts(
        context.work, DeadlineSettings(), None, bar.show_message, clock=clock, tray=False,
        withdraw=bar.withdraw,
    )  # fmt: skip
    _check(alerts, settle)
    (shown,) = bar.messages
    assert shown.text.startswith("Under 24 h left") and "1 other deadline" in shown.text

    TikTokOrderRow.update(status="IN_TRANSIT").where(
        TikTokOrderRow.order_id == SHIP_ORDER
    ).execute()  # shipped: no longer in the queue
    for _ in range(2):
        clock.now += timedelta(minutes=1)
        _check(alerts, settle)
    (left,) = bar.messages
    assert left.text.startswith("Under 24 h left: Approve or reject the refund"), left.text
    assert "other deadline" not in left.text and "Ship" not in left.text + left.detail
    assert not bar.isHidden()

    clock.now += timedelta(minutes=1)
    _check(alerts, settle)  # nothing changed: the bar keeps it as it is
    assert bar.messages == [left]
