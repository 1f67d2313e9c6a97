"""The shell as the merchant meets it: welcome first, then Overview, status, errors."""

import sys
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tiktok_console.app import Console, build_window
from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.activity import record_activity
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.main_window import MainWindow


def _window(qtbot, console: Console, dismissed: bool = False) -> tuple[MainWindow, ErrorReporter]:
    console.profile.settings.welcome_dismissed = dismissed
    reporter = ErrorReporter()
    window = build_window(console, reporter)
    qtbot.addWidget(window)
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
