"""The Activity page on a real database: newest first, filters, detail, retry, export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog

from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.orders.tiktok_orders import order_state
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.ui.cell_text import local_time
from tiktok_console.ui.pages.activity import NO_MATCH, NOTHING_YET, ActivityColumn, ActivityPage
from tiktok_console.ui.theme import DANGER, WARNING

T0 = datetime.now(UTC) - timedelta(hours=2)


@pytest.fixture
def logged(profile) -> None:
    record_activity("orders", "create", "Created #1001 for TikTok order 5770001", subject="5770001",
                    at=T0)  # fmt: skip
    record_activity("orders", "orphan", "Not in Shopify yet: SKU MUG-1 is not mapped.",
                    level="warning", subject="5770002", at=T0 + timedelta(minutes=1))  # fmt: skip
    record_activity("orders", "create", "Shopify refused the order: Variant is archived",
                    level="error", subject="5770003", detail="userErrors: [{field: lineItems}]",
                    retryable=True, at=T0 + timedelta(minutes=2))  # fmt: skip
    record_activity("variants", "pull", "Could not reach Shopify", level="error",
                    detail="httpx.ConnectError", at=T0 + timedelta(minutes=3))  # fmt: skip


@pytest.fixture
def page(qtbot, logged, context, settle) -> ActivityPage:
    widget = ActivityPage(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.refresh()
    settle()
    return widget


def messages(page: ActivityPage) -> list[str]:
    return [entry.message for entry in page.entries.visible_rows()]


def select(page: ActivityPage, text: str) -> None:
    row = next(n for n, e in enumerate(page.entries.visible_rows()) if text in e.message)
    page.table.selectRow(row)


def test_newest_first_with_local_times_and_coloured_levels(page) -> None:
    assert messages(page)[0] == "Could not reach Shopify"
    assert messages(page)[-1].startswith("Created #1001")
    first = page.entries.index(0, ActivityColumn.TIME)
    assert page.entries.data(first) == local_time(T0 + timedelta(minutes=3), seconds=True)
    level = page.entries.index(0, ActivityColumn.LEVEL)
    assert page.entries.data(level) == "Error"
    assert page.entries.data(level, Qt.ItemDataRole.ForegroundRole) == QColor(DANGER)
    warning = page.entries.index(2, ActivityColumn.LEVEL)
    assert page.entries.data(warning, Qt.ItemDataRole.ForegroundRole) == QColor(WARNING)
    assert "4 entries, 2 errors" in page._subtitle.text()


def test_errors_only(page, qtbot, settle) -> None:
    page.errors_only.click()
    settle()
    assert page.errors_only.isChecked()
    assert messages(page) == [
        "Could not reach Shopify",
        "Shopify refused the order: Variant is archived",
    ]
    page.errors_only.click()
    settle()
    assert len(messages(page)) == 4


def test_search_runs_once_typing_pauses(page, qtbot) -> None:
    qtbot.keyClicks(page.search, "5770002")
    qtbot.waitUntil(lambda: len(messages(page)) == 1, timeout=2000)
    assert messages(page) == ["Not in Shopify yet: SKU MUG-1 is not mapped."]
    page.search.setText("nothing like this")
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty, timeout=2000)
    assert page.empty.text.text() == NO_MATCH


def test_detail_pane_shows_the_technical_detail(page) -> None:
    assert page.detail_title.text() == "Select an entry to see its detail."
    select(page, "Variant is archived")
    assert page.detail_title.text() == "Shopify refused the order: Variant is archived"
    assert page.detail_text.toPlainText() == "userErrors: [{field: lineItems}]"
    assert "5770003" in page.detail_meta.text() and "error" in page.detail_meta.text()


def test_retry_is_offered_only_for_retryable_entries(page, qtbot, engine, settle) -> None:
    engine.names = ["orders"]
    select(page, "Could not reach Shopify")  # an error, but not one a retry fixes
    assert not page.retry_button.isEnabled()
    select(page, "Created #1001")
    assert not page.retry_button.isEnabled()

    select(page, "Variant is archived")
    assert page.retry_button.isEnabled()
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    settle()
    assert engine.calls == [("nudge", "orders")]  # no order row to resend: the job runs again
    assert page.notice.text().startswith("Retry requested for 5770003")
    assert not page.retry_button.isEnabled()  # asked once is enough
    assert page.retry_hint.text() == "Retry requested."


def test_export_writes_what_is_shown(page, qtbot, monkeypatch, tmp_path: Path, settle) -> None:
    target = tmp_path / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.errors_only.setChecked(True)
    settle()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["Time", "Level", "Job", "What", "Subject", "Message"]
    assert [line[1] for line in lines[1:]] == ["error", "error"]
    assert all(not line[2].islower() for line in lines[1:])  # job titles, not internal names
    assert "(filtered)" in page.notice.text()
    assert datetime.fromisoformat(lines[1][0]) == (T0 + timedelta(minutes=3)).replace(microsecond=0)


def test_empty_log(qtbot, context, settle) -> None:
    page = ActivityPage(context)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    assert page.stack.currentWidget() is page.empty
    assert page.empty.text.text() == NOTHING_YET


def test_jobs_show_their_titles_not_their_internal_names(page) -> None:
    jobs = [page.entries.data(page.entries.index(row, ActivityColumn.JOB)) for row in range(4)]
    assert jobs[-1] == "Orders · TikTok → Shopify"
    assert jobs[0] == "Variants"  # a job with no title falls back to its name, readable


def test_retry_of_a_refused_order_sends_it_again_and_runs_the_orders_job(
    page, qtbot, engine, settle
) -> None:
    TikTokOrderRow.create(
        order_id="5770003", status="AWAITING_SHIPMENT", created_at=T0, update_time=1,
        payload="{}", sync_state="failed", reason="Variant is archived", updated_at=T0,
    )  # fmt: skip
    select(page, "Variant is archived")
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    settle()
    assert order_state("5770003").sync_state == "pending"
    assert engine.calls == [("nudge", "orders")]
    assert "Retry of TikTok order 5770003 asked" in messages(page)  # the page read it again


def test_the_log_speaks_the_merchants_words(qtbot, profile, context, settle) -> None:
    from tiktok_console.storage.tables import TikTokOrderRow

    TikTokOrderRow.create(
        order_id="5770009", status="AWAITING_SHIPMENT", created_at=T0, update_time=1,
        payload="{}", shopify_order_id="gid://shopify/Order/5001", shopify_order_name="#1042",
        updated_at=T0,
    )  # fmt: skip
    record_activity("fulfillment", "push", "Tracking of gid://shopify/Order/5001 sent; "
                    "gid://shopify/Fulfillment/77 done", at=T0)  # fmt: skip
    record_activity("orders", "map", "Mapped 1 SKU(s); 3 order(s) released",
                    at=T0 + timedelta(minutes=1))  # fmt: skip
    widget = ActivityPage(context)
    qtbot.addWidget(widget)
    widget.refresh()
    settle()
    assert messages(widget) == [
        "Mapped 1 SKU; 3 orders released",
        "Tracking of Shopify order #1042 sent; Shopify shipment 77 done",
    ]
    assert not any("gid://" in m or "(s)" in m for m in messages(widget))


def test_a_repeated_error_is_one_row_with_its_count_and_time_range(
    qtbot, profile, context, settle
) -> None:
    start = T0 + timedelta(minutes=10)
    for n in range(40):
        record_activity("orders", "run", "Cannot reach Shopify (connection refused); retrying.",
                        level="error", at=start + timedelta(seconds=n))  # fmt: skip
    widget = ActivityPage(context)
    qtbot.addWidget(widget)
    widget.refresh()
    settle()
    assert len(widget.entries.visible_rows()) == 1
    message = widget.entries.data(widget.entries.index(0, ActivityColumn.MESSAGE))
    assert message == "Cannot reach Shopify (connection refused); retrying. (40 times)"
    when = widget.entries.data(widget.entries.index(0, ActivityColumn.TIME))
    last = (start + timedelta(seconds=39)).astimezone().strftime("%H:%M:%S")
    assert when == f"{local_time(start, seconds=True)}–{last}"
    widget.table.selectRow(0)
    assert widget.detail_title.text().endswith("(40 times)")
