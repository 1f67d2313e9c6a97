"""The shell as the merchant meets it: welcome first, then Overview, status, errors."""

import json
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tiktok_console.app import Console, build_window
from tiktok_console.core.errors import ConsoleError
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.stores.errors import AuthExpiredError, StoreUnavailableError
from tiktok_console.sync.events import JobError, JobState, JobStateChanged, ReconnectNeeded
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


def _post_from_the_engine_thread(bridge: Bridge, *events: object) -> None:
    """Post as the engine does: from its own thread."""
    import threading

    thread = threading.Thread(target=lambda: [bridge.post(e) for e in events])
    thread.start()
    thread.join()


def _connect_both(console: Console) -> None:
    from tiktok_console.domain.accounts import Account
    from tiktok_console.storage.accounts import save_account

    now = datetime.now(UTC)
    for store, name in (("shopify", "Harbor Shopify"), ("tiktok", "Harbor TikTok")):
        save_account(Account(store=store, account_key=f"k-{store}", shop=f"{store}-shop",
                             shop_name=name, region="US", scopes=(), app_id="app",
                             api_url="http://127.0.0.1:9", connected_at=now))  # fmt: skip


def test_the_sync_badge_follows_the_jobs(qtbot, console) -> None:
    window, _ = _window(qtbot, console, dismissed=True)
    bridge = window.findChild(Bridge)
    badge = window.status_area.sync
    error = JobError.from_exception(StoreUnavailableError("shopify", "HTTP 503"))
    _post_from_the_engine_thread(bridge, JobStateChanged("orders", JobState.BACKING_OFF, error))
    qtbot.waitUntil(
        lambda: (
            badge.state == "retrying (orders: Shopify is not answering properly right now; "
            "retrying.)"
        )
    )
    assert badge.health == Health.PROBLEM
    _post_from_the_engine_thread(bridge, JobStateChanged("orders", JobState.IDLE))
    qtbot.waitUntil(lambda: badge.state == "up to date")
    assert badge.health == Health.OK


def test_a_store_error_marks_that_stores_badge_until_the_job_recovers(qtbot, console) -> None:
    _connect_both(console)
    window, _ = _window(qtbot, console, dismissed=True)
    bridge = window.findChild(Bridge)
    area = window.status_area
    qtbot.waitUntil(lambda: area.tiktok.health == Health.OK)
    error = JobError.from_exception(StoreUnavailableError("tiktok", "HTTP 503"))
    _post_from_the_engine_thread(bridge, JobStateChanged("orders", JobState.BACKING_OFF, error))
    qtbot.waitUntil(lambda: area.tiktok.health == Health.PROBLEM)
    assert "not answering" in area.tiktok.state
    assert area.shopify.health == Health.OK  # the store that failed is data on the event
    _post_from_the_engine_thread(bridge, JobStateChanged("orders", JobState.RUNNING))
    qtbot.waitUntil(lambda: area.tiktok.health == Health.OK)


def test_an_expired_sign_in_asks_once_to_reconnect_with_a_way_to_accounts(qtbot, console) -> None:
    _connect_both(console)
    window, _ = _window(qtbot, console, dismissed=True)
    window.show()
    bridge = window.findChild(Bridge)
    qtbot.waitUntil(lambda: window.status_area.tiktok.health == Health.OK)
    error = JobError.from_exception(AuthExpiredError("tiktok", "401"))
    stopped = [JobStateChanged(job, JobState.STOPPED, error) for job in ("orders", "inventory")]
    _post_from_the_engine_thread(bridge, *stopped, ReconnectNeeded("tiktok", error))
    bar = window.message_bar
    qtbot.waitUntil(lambda: bool(bar.messages))
    assert bar.messages[0].text.startswith("Reconnect TikTok Shop")
    assert window.status_area.sync.state == "stopped: reconnect TikTok Shop"
    assert window.status_area.tiktok.health == Health.PROBLEM
    _post_from_the_engine_thread(bridge, ReconnectNeeded("tiktok", error))
    qtbot.wait(50)
    assert len(bar.messages) == 1  # asked once
    qtbot.mouseClick(bar.action_button, Qt.MouseButton.LeftButton)
    assert window.current_page().page_id == "accounts"
