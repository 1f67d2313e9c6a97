"""The Deadlines page's read with 10,000 open items, measured. Run on demand:
`uv run pytest tests/benchmarks/test_deadlines_benchmark.py -s`.

3,000 returns and 2,000 cancellation requests awaiting the seller, and 2,500
orders still to ship (each with a ship-by and a TikTok auto-cancel time read
from its stored JSON): 10,000 deadlines. The page reads the queue and the
snoozes; target ≤ 300 ms. The notifier's read of the marks (three per item)
is timed and printed beside it.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from tests.domain.aftersales_views import T0, a_cancellation, a_return
from tests.storage.aftersales_database import open_aftersales_database
from tiktok_console.domain.aftersales import SellerAction
from tiktok_console.domain.deadlines import DEFAULT_THRESHOLDS
from tiktok_console.storage.aftersales.deadline_queue import (
    active_snoozes,
    notified,
    open_deadlines,
    snooze,
)
from tiktok_console.storage.aftersales.requests import store_cancellations, store_returns
from tiktok_console.storage.aftersales.tables import DeadlineNotificationRow
from tiktok_console.storage.bulk import bulk_insert
from tiktok_console.storage.tables import TikTokOrderRow

RETURNS, CANCELLATIONS, ORDERS = 3_000, 2_000, 2_500
TARGET = 0.300


def _fill() -> None:
    for start in range(0, RETURNS, 50):  # as the job stores them: one page at a time
        page = []
        for n in range(start, start + 50):
            step = SellerAction("SELLER_RESPOND_RETURN", T0 + timedelta(minutes=n))
            view = replace(a_return(status="RETURN_OR_REFUND_REQUEST_PENDING", actions=(step,)),
                           return_id=f"R{n:08d}", order_id=f"O{n:08d}")  # fmt: skip
            page.append((view, json.dumps({"return_id": view.return_id, "pad": "x" * 1500})))
        store_returns(page, T0)
    for start in range(0, CANCELLATIONS, 50):
        cancels = []
        for n in range(start, start + 50):
            step = SellerAction("SELLER_RESPOND_BUYER_CANCEL", T0 + timedelta(minutes=n))
            view = replace(a_cancellation(status="CANCELLATION_REQUEST_PENDING", actions=(step,)),
                           cancel_id=f"C{n:08d}")  # fmt: skip
            cancels.append((view, json.dumps({"cancel_id": view.cancel_id, "pad": "x" * 1500})))
        store_cancellations(cancels, T0)
    orders = []
    for n in range(ORDERS):
        payload = {"id": f"T{n:08d}", "status": "AWAITING_SHIPMENT",
                   "cancel_order_sla_time": int((T0 + timedelta(days=3, minutes=n)).timestamp()),
                   "line_items": [{"id": f"{n}-{i}", "sku_id": "1", "seller_sku": "TEE",
                                   "product_name": "Tee " * 10, "sale_price": "9.99"}
                                  for i in range(6)]}  # fmt: skip
        orders.append({
            "order_id": f"T{n:08d}", "status": "AWAITING_SHIPMENT", "created_at": T0,
            "update_time": n, "ship_by": T0 + timedelta(days=1, minutes=n),
            "total": Decimal("59.94"), "currency": "USD", "payload": json.dumps(payload),
            "updated_at": T0,
        })  # fmt: skip
    bulk_insert(TikTokOrderRow, orders)
    marks = [{"key": f"k{n}", "threshold_seconds": int(t.total_seconds()), "notified_at": T0}
             for n in range(10_000) for t in DEFAULT_THRESHOLDS]  # fmt: skip
    bulk_insert(DeadlineNotificationRow, marks)
    for n in range(200):
        snooze(f"k{n}", T0 + timedelta(hours=1))


def test_deadlines_page_read_with_10000_open_items(tmp_path: Path) -> None:
    database = open_aftersales_database(tmp_path / "bench.sqlite3")
    try:
        _fill()
        page, notifier = [], []
        for _ in range(5):
            started = time.perf_counter()
            queue = open_deadlines()
            snoozes = active_snoozes(T0)
            page.append(time.perf_counter() - started)
            started = time.perf_counter()
            marks = notified()  # the notifier's read, on its own timer
            notifier.append(time.perf_counter() - started)
        assert len(queue) == RETURNS + CANCELLATIONS + 2 * ORDERS == 10_000
        assert len(marks) == 30_000 and len(snoozes) == 200
        median = statistics.median(page)
        print(f"\nDeadlines page read, {len(queue):,} open items: median {median * 1000:.0f} ms "
              f"(min {min(page) * 1000:.0f}, max {max(page) * 1000:.0f}; target "
              f"{TARGET * 1000:.0f} ms); notification marks ({len(marks):,}): median "
              f"{statistics.median(notifier) * 1000:.0f} ms")  # fmt: skip
        assert median <= TARGET
    finally:
        database.close()
