"""No page touches the database on the GUI thread: every read and write goes through long work.

The walk is the self-test's: every page shown in turn, then each page's first
row selected (detail panes read too), on a database with something to show.
peewee's ``execute_sql`` (every query peewee runs) records the calling thread
and whether a page module is on the stack.
"""

from __future__ import annotations

import json
import threading
import traceback
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import peewee
from PySide6.QtWidgets import QTableView

from tiktok_console.app import Console, build_window
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.inventory.tables import TikTokSkuRow
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.ui.error_reporter import ErrorReporter

PAGES_DIR = "tiktok_console/ui/pages/"


def _fill() -> None:
    now = datetime.now(UTC)
    TikTokSkuRow.create(
        sku_id="s1", product_id="p1", seller_sku="TEE", title="Tee", product_status="ACTIVATE",
        tiktok_quantity=3, shopify_available=5, target=2, read_at=now, updated_at=now,
    )  # fmt: skip
    TikTokOrderRow.create(
        order_id="o1", status="AWAITING_SHIPMENT", created_at=now, update_time=1,
        ship_by=now + timedelta(hours=3), total=Decimal("9.00"), currency="USD",
        payload=json.dumps({"line_items": [{"sku_id": "t1", "seller_sku": "MUG",
                                            "product_name": "Mug", "sale_price": "9.00"}]}),
        sync_state="orphan", unmapped="t1", updated_at=now,
    )  # fmt: skip
    record_activity("orders", "create", "Created #1001", subject="o1")


def test_no_page_reads_the_database_on_the_gui_thread(qtbot, console: Console, monkeypatch) -> None:
    _fill()
    console.profile.settings.welcome_dismissed = True
    window = build_window(console, ErrorReporter())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.settled)
    qtbot.wait(300)  # the bridge's first "accounts" event (the status bar) has passed
    seen: list[tuple[threading.Thread, bool]] = []
    original = peewee.SqliteDatabase.execute_sql

    def recording(self: peewee.SqliteDatabase, sql: str, *args: object, **kwargs: object):
        from_page = any(PAGES_DIR in frame.filename for frame in traceback.extract_stack())
        seen.append((threading.current_thread(), from_page))
        return original(self, sql, *args, **kwargs)

    monkeypatch.setattr(peewee.SqliteDatabase, "execute_sql", recording)
    for page_id, page in window.pages.items():
        window.show_page(page_id)
        qtbot.waitUntil(lambda: window.settled)
        for table in page.findChildren(QTableView):
            if table.model() is not None and table.model().rowCount() and table.isVisibleTo(page):
                table.selectRow(0)
                qtbot.waitUntil(lambda: window.settled)
    on_gui = [from_page for thread, from_page in seen if thread is threading.main_thread()]
    assert not any(on_gui), f"{sum(on_gui)} page queries ran on the GUI thread"
    off_gui = [from_page for thread, from_page in seen if thread is not threading.main_thread()]
    assert sum(off_gui) >= len(window.pages) - 2  # the hook saw the pages read (not Settings)
