"""A small payouts world for page tests: one TikTok order on file and its settlement export.

The order sells one unit at 100.00 less a 10.00 seller discount, shipped on
a TikTok Shipping label; the export settles it in statement 7201 at the US
rates (6 % referral, 2.9 % transaction, a 7.50 label): 74.49.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from tests.ui.stores import connect_both
from tiktok_console.storage.orders.tiktok_orders import PulledOrder, store_pulled

ORDER_ID = "576461413038785752"
STATEMENT_ID = "7201"
CREATED = datetime(2026, 3, 1, 10, tzinfo=UTC)
SETTLED = Decimal("74.49")


def order_on_file(shared_api: Path) -> None:
    """Both stores connected, and a real order detail reply made one 100.00 unit."""
    connect_both()
    sample = shared_api / "samples/tiktok/models/Order/OrderBatchGetOrderDetailResponse.json"
    order = json.loads(sample.read_text())["data"]["orders"][0]
    zero = {k: "0" for k in order["payment"]}
    order["payment"] = {**zero, "currency": "USD", "original_total_product_price": "100.00",
                        "seller_discount": "10.00", "sub_total": "90.00"}  # fmt: skip
    [line] = order["line_items"][:1]
    line.update(currency="USD", original_price="100.00", seller_discount="10.00",
                platform_discount="0", sale_price="90.00")  # fmt: skip
    order.update(id=ORDER_ID, status="COMPLETED", shipping_type="TIKTOK", line_items=[line],
                 create_time=int(CREATED.timestamp()))  # fmt: skip
    pulled = PulledOrder(
        ORDER_ID, "COMPLETED", CREATED, 1772359200, "FULFILLMENT_BY_SELLER", None,
        Decimal("90.00"), "USD", json.dumps(order),
    )  # fmt: skip
    store_pulled(pulled)


def settlement_export(path: Path) -> Path:
    """The order settled on 2026-03-12 in statement 7201."""
    rows = [
        ["Order/adjustment ID", "Type", "Order settled time(UTC)", "Currency", "Statement ID",
         "Total settlement amount", "Subtotal before discounts", "Seller discounts",
         "Referral fee", "Transaction fee", "Actual shipping fee"],
        [ORDER_ID, "Order", "2026/03/12", "USD", STATEMENT_ID, str(SETTLED), "100.00", "-10.00",
         "-5.40", "-2.61", "-7.50"],
    ]  # fmt: skip
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path
