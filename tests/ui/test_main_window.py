"""The shell as the merchant meets it: welcome first, then Overview, status, errors."""

import json
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tiktok_console.app import Console, _deliver, build_window
from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.sync.events import JobStateChanged
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.main_window import MainWindow
from tiktok_console.ui.status_area import Health


def _window(qtbot, console: Console, dismissed: bool = False) -> tuple[MainWindow, ErrorReporter]:
    console.profile.settings.welcome_dismissed = dismissed
    reporter = ErrorReporter()
    window = build_window(console, reporter)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.settled)  # the pages read off the GUI thread
    return window, reporter


def test_first_run_shows_the_welcome_then_overview(qtbot, console) -> None:
    window, _ = _window(qtbot, console)
    assert window.current_page().page_id == "welcome"
    welcome = window.pages["welcome"]
    qtbot.mouseClick(welcome.continue_button, Qt.MouseButton.LeftButton)
    assert window.current_page().page_id == "overview"


def test_welcome_promises_only_what_the_console_does_today(qtbot, console) -> None:
    window, _ = _window(qtbot, console)
    text = " ".join(w.text() for w in window.pages["welcome"].findChildren(QLabel)).lower()
    assert "orders" in text and "stock" in text and "tracking" in text
    assert not [word for word in ("refund", "dispute", "payout", "settlement") if word in text]


def test_welcome_connect_button_opens_the_accounts_page(qtbot, console) -> None:
    window, _ = _window(qtbot, console)
    welcome = window.pages["welcome"]
    qtbot.mouseClick(welcome.connect_button, Qt.MouseButton.LeftButton)
    assert window.current_page().page_id == "accounts"


def _click_try_the_demo(qtbot, console: Console, starts: bool) -> tuple[MainWindow, list]:
    started: list[tuple[str, list[str]]] = []

    def start_detached(program: str, arguments: list[str]) -> bool:
        started.append((program, arguments))
        return starts

    window = build_window(console, ErrorReporter(), start_detached)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.pages["welcome"].demo_button, Qt.MouseButton.LeftButton)
    return window, started


def test_try_the_demo_starts_this_app_in_demo_mode_and_closes(qtbot, console) -> None:
    window, started = _click_try_the_demo(qtbot, console, starts=True)
    assert started == [(sys.executable, ["-m", "tiktok_console", "--demo"])]
    assert not window.isVisible()


def test_a_demo_that_cannot_start_is_explained_and_the_window_stays(qtbot, console) -> None:
    window, started = _click_try_the_demo(qtbot, console, starts=False)
    assert len(started) == 1
    assert window.isVisible()
    assert window.message_bar.messages[0].text == "The demo could not be started."


def test_status_area_shows_both_stores_disconnected(qtbot, console) -> None:
    window, _ = _window(qtbot, console)
    assert "Shopify: not connected" in window.status_area.shopify.text()
    assert "TikTok Shop: not connected" in window.status_area.tiktok.text()


def test_overview_counts_todays_activity_and_errors(qtbot, console) -> None:
    record_activity("orders", "create", "Created #1001")
    record_activity("orders", "create", "Shopify refused the order", level="error")
    record_activity("orders", "create", "old", at=datetime(2020, 1, 1, tzinfo=UTC))
    window, _ = _window(qtbot, console, dismissed=True)
    overview = window.current_page()
    assert overview.page_id == "overview"
    assert overview.actions_card.value_label.text() == "2"
    assert ">1<" in overview.errors_card.value_label.text()
    assert overview.last_card.value_label.text() != "—"


def _order(order_id: str, state: str, **fields: object) -> None:
    now = datetime.now(UTC)
    TikTokOrderRow.create(
        order_id=order_id, status=fields.pop("status", "AWAITING_SHIPMENT"), created_at=now,
        update_time=int(now.timestamp()), total=Decimal("10.00"), currency="USD",
        payload=json.dumps({"line_items": []}), sync_state=state, updated_at=now, **fields,
    )  # fmt: skip


def test_overview_cards_count_synced_orphan_and_due_orders(qtbot, console) -> None:
    now = datetime.now(UTC)
    _order("synced-1", "created", synced_at=now)
    _order("synced-2", "linked", synced_at=now, status="AWAITING_COLLECTION")
    _order("synced-3", "created", synced_at=now - timedelta(days=2))  # not today
    _order("orphan-1", "orphan", unmapped="s1", ship_by=now - timedelta(hours=1))  # overdue
    _order("orphan-2", "orphan", unmapped="s1", ship_by=now + timedelta(days=3))
    window, _ = _window(qtbot, console, dismissed=True)
    overview = window.current_page()
    assert overview.synced_card.value_label.text() == "2"
    assert ">2<" in overview.orphans_card.value_label.text()
    assert overview.orphans_card.note_label.text() == "Waiting for a SKU mapping."
    assert ">1<" in overview.ship_card.value_label.text()
    assert overview.ship_card.note_label.text() == "Ship-by deadline today or passed."


def test_each_distinct_error_is_shown_once(qtbot, console) -> None:
    window, reporter = _window(qtbot, console)
    bar = window.message_bar
    reporter.report(ConsoleError("Shopify is not answering. Retrying in 30 s."))
    reporter.report(ConsoleError("Shopify is not answering. Retrying in 30 s."))
    reporter.report(ValueError("unexpected"), "syncing orders")
    assert bar.messages[0].text == "Shopify is not answering. Retrying in 30 s."
    assert len(bar.messages) == 2
    assert "syncing orders" in bar.messages[1].text and "ValueError" in bar.messages[1].text
    assert bar.isVisibleTo(window)
    bar.clear()
    assert not bar.isVisibleTo(window)


def test_sidebar_selects_pages(qtbot, console) -> None:
    window, _ = _window(qtbot, console)
    window.show_page("overview")
    assert window.current_page().page_id == "overview"
    window.show_page("welcome")
    assert window.current_page().page_id == "welcome"


def test_the_sync_badge_follows_the_jobs(qtbot, console) -> None:
    window, _ = _window(qtbot, console, dismissed=True)
    bridge = window.findChild(Bridge)
    badge = window.status_area.sync
    _deliver(JobStateChanged("orders", "backing_off", "Shopify is unavailable"), bridge)
    qtbot.waitUntil(lambda: badge.state == "retrying (orders: Shopify is unavailable)")
    assert badge.health == Health.PROBLEM
    _deliver(JobStateChanged("orders", "idle"), bridge)
    qtbot.waitUntil(lambda: badge.state == "up to date")
    assert badge.health == Health.OK
