"""The window says each store's health the same way everywhere (issue 13, item 1).

A real ``HealthTracker`` hears call results and posts to the window's bridge from
another thread, as the engine's transports do: the status bar, the Overview's
store cards, Sync and Needs attention, and the Accounts page follow.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from PySide6.QtCore import Qt

from tiktok_console.app import Console, build_window
from tiktok_console.domain.accounts import Account
from tiktok_console.domain.store_health import NO_NETWORK, CallResult
from tiktok_console.storage.accounts import save_account
from tiktok_console.sync.health import HealthTracker
from tiktok_console.ui.bridge import Bridge
from tiktok_console.ui.error_reporter import ErrorReporter
from tiktok_console.ui.main_window import MainWindow
from tiktok_console.ui.pages.accounts import AccountsPage
from tiktok_console.ui.pages.overview import OverviewPage
from tiktok_console.ui.status_area import Health


def _window(qtbot, console: Console) -> tuple[MainWindow, HealthTracker]:
    now = datetime.now(UTC)
    for store, name in (("shopify", "Harbor Shopify"), ("tiktok", "Harbor TikTok")):
        save_account(Account(store=store, account_key=f"k-{store}", shop=f"{store}-shop",
                             shop_name=name, region="US", scopes=(), app_id="app",
                             api_url="http://127.0.0.1:9", connected_at=now))  # fmt: skip
    console.profile.settings.welcome_dismissed = True
    window = build_window(console, ErrorReporter())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.settled)
    bridge = window.findChild(Bridge)
    assert bridge is not None
    return window, HealthTracker(bridge.post)


def _observe(tracker: HealthTracker, store: str, result: CallResult, reason: str) -> None:
    """As a transport does: on the engine's thread, not the GUI's."""
    thread = threading.Thread(target=tracker.observe, args=(store, result, reason))
    thread.start()
    thread.join()


def test_an_unreachable_store_and_then_no_network_show_everywhere(qtbot, console) -> None:
    window, tracker = _window(qtbot, console)
    area = window.status_area
    qtbot.waitUntil(lambda: area.shopify.health == Health.OK)

    _observe(tracker, "shopify", CallResult.UNREACHABLE, "connection refused")
    qtbot.waitUntil(lambda: area.shopify.health == Health.PROBLEM)
    assert area.shopify.state == "cannot be reached"
    assert area.shopify.toolTip().endswith(": connection refused")
    assert area.tiktok.health == Health.OK
    assert area.sync.state == "waiting" and area.sync.health == Health.PROBLEM

    overview = window.pages["overview"]
    assert isinstance(overview, OverviewPage)
    window.show_page("overview")
    qtbot.waitUntil(lambda: "cannot be reached" in overview.shopify_card.note_label.text())
    assert "connection refused" in overview.shopify_card.note_label.text()
    assert "Shopify cannot be reached since" in overview.sync_card.note_label.text()
    first = overview.attention.item(0)
    assert first is not None and first.text().startswith("Shopify cannot be reached since")
    assert overview.empty_attention.isHidden()

    _observe(tracker, "tiktok", CallResult.UNREACHABLE, "no answer in time")
    qtbot.waitUntil(lambda: area.sync.state == "no network at all")
    qtbot.waitUntil(lambda: "no network" in overview.sync_card.value_label.text())
    assert overview.sync_card.note_label.text() == NO_NETWORK
    first = overview.attention.item(0)
    assert first is not None and first.text().startswith("No network at all")
    qtbot.mouseClick(
        overview.attention.viewport(),
        Qt.MouseButton.LeftButton,
        pos=overview.attention.visualItemRect(first).center(),
    )
    assert window.current_page().page_id == "accounts"

    accounts = window.pages["accounts"]
    assert isinstance(accounts, AccountsPage)
    qtbot.waitUntil(lambda: "cannot be reached" in accounts.cards["tiktok"].details.text())
    assert "no answer in time" in accounts.cards["tiktok"].details.text()
    assert "connection refused" in accounts.cards["shopify"].details.text()
    assert "not answering properly" not in accounts.cards["shopify"].details.text()

    _observe(tracker, "shopify", CallResult.ANSWERED, "")
    qtbot.waitUntil(lambda: area.shopify.health == Health.OK)
    assert area.sync.state == "waiting"  # TikTok Shop still cannot be reached


def test_a_refused_sign_in_asks_for_a_reconnect_on_accounts(qtbot, console) -> None:
    window, tracker = _window(qtbot, console)
    window.show_page("accounts")
    _observe(tracker, "tiktok", CallResult.SIGN_IN_REFUSED, "the store refused the sign-in")
    area = window.status_area
    qtbot.waitUntil(lambda: area.tiktok.state == "reconnect needed")
    assert area.tiktok.health == Health.PROBLEM and area.shopify.health == Health.OK
    accounts = window.pages["accounts"]
    assert isinstance(accounts, AccountsPage)
    card = accounts.cards["tiktok"]
    qtbot.waitUntil(lambda: "needs to be reconnected" in card.details.text())
    assert "use Reconnect below" in card.details.text()
    assert card.connect_button.text() == "Reconnect"
    _observe(tracker, "tiktok", CallResult.UNREACHABLE, "connection refused")
    qtbot.wait(200)
    assert area.tiktok.state == "reconnect needed"  # a network fault does not end it


def test_job_rows_wait_for_a_store_they_need_instead_of_saying_up_to_date(
    qtbot, console, context, settle
) -> None:
    from tiktok_console.storage.jobs import record_outcome
    from tiktok_console.ui.pages.overview_data import load_overview

    _window(qtbot, console)  # both stores connected
    for job in ("orders", "payouts"):
        record_outcome(job)  # each ran well once
    HealthTracker().observe("shopify", CallResult.UNREACHABLE, "connection refused")
    data = load_overview(["orders", "payouts"])
    waiting = {view.name: view.waiting for view in data.jobs}
    assert waiting == {"orders": "Shopify cannot be reached", "payouts": ""}  # payouts: TikTok
    page = OverviewPage(context)
    qtbot.addWidget(page)
    page.show_data(data)
    assert "waiting: Shopify cannot be reached" in page.jobs.state_text("orders")
    assert "up to date" in page.jobs.state_text("payouts")
    assert data.sync_state == "Waiting for a store"
