"""Settlement exports written the way Seller Center and Excel leave them, for tests.

``awkward_export`` holds every difficulty an import meets (a title row,
headers with odd spacing and a rename, an explanation row, text money in
several forms, float cells, a rounded id, an unknown column, a duplicated
line, a refund, an adjustment and a reserve) and states its totals on its
Summary sheet, which the lines must add up to.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

ORDER_HEADERS = [
    "Order/adjustment ID  ",
    "TYPE",
    "Order created time (UTC)",
    "order settled time(UTC)",
    "Currency",
    "Total  settlement amount",
    "Total revenue",
    "Subtotal before discounts",
    "Seller discounts",
    "Total fees",
    "Transaction fee",
    "TikTok Shop commission fee",
    "Affiliate commission",
    "Seller shipping fee",
    "Actual shipping fee",
    "Customer shipping fee",
    "SKU ID",
    "Seller SKU",
    "Quantity",
    "Warehouse note",
]
EXPLANATION = [
    "The ID of the order or of the adjustment",
    "Whether the line is an order, a refund or an adjustment",
    "When the buyer placed the order, in UTC",
    "When the order was settled, in UTC",
    "The currency of the amounts",
    "The amount settled to your account for this line",
    "Revenue after seller discounts and refunds",
    "Product price before any discount",
    "Discounts funded by the seller",
    "Sum of all fees charged on this line",
    "Fee for processing the payment",
    "Commission TikTok Shop charges on the sale",
    "Commission paid to the creator",
    "Shipping the seller pays for",
    "Shipping label cost",
    "Shipping the buyer paid",
    "The SKU ID in TikTok Shop",
    "Your own SKU code",
    "Number of units in this line",
    "Notes from the warehouse team",
]
ORDER_A = [
    "576461413000000001",
    "Order",
    "2026/01/02 10:00:00",
    "2026/01/12 03:00:00",
    "USD",
    "$65.49",
    "$90.00",
    "$100.00",
    "($10.00)",
    "($24.51)",
    "-2.61",
    "(5.40)",
    "$-9.00",
    "-7.50",
    "-7.50",
    "0.00",
    "1729000111",
    "TEE-RED-M",
    "2",
    "left at the door",
]
# Numeric cells, as Excel keeps them once a merchant has edited the file; the
# id became a number and lost its last digits.
ORDER_B = [
    5.78e18,
    "Order",
    "2026-01-03 11:30:00",
    "2026-01-12 04:00:00",
    "USD",
    41.45,
    45.5,
    50.0,
    -4.5,
    -4.05,
    -1.32,
    -2.73,
    None,
    None,
    None,
    None,
    1729000222,
    "MUG-01",
    1,
    None,
]
REFUND_A = [
    "576461413000000001",
    "Refund",
    "2026/01/02 10:00:00",
    "2026/01/12 05:00:00",
    "USD",
    "(18.22)",
    "-20.00",
    None,
    None,
    "1.78",
    "0.58",
    "1.20",
    None,
    None,
    None,
    None,
    "1729000111",
    "TEE-RED-M",
    "1",
    "",
]
ADJUSTMENT_HEADERS = ["Adjustment ID", "Type", "Related order ID", "Settlement amount", "Currency"]
ADJUSTMENT = ["7200000000000000042", "Shipping fee adjustment", "", "(4.50)", "USD"]
RESERVE_HEADERS = ["Reserve ID", "Reserve amount", "Reserve status", "Estimated release time(UTC)"]
RESERVE = ["9100000000000000007", "-4.21", "Held", "2026-02-11 00:00:00"]
SUMMARY = [
    ["Statement", "Jan 12, 2026"],
    ["Total settlement amount", "$84.22"],
    ["Total revenue", "$115.50"],
    ["Total fees", "($26.78)"],
    ["Total adjustment amount", "(4.50)"],
    ["Total reserve amount", "(4.21)"],
]
TOTALS = {
    "settlement": Decimal("84.22"),
    "revenue": Decimal("115.50"),
    "fees": Decimal("-26.78"),
    "adjustment_amount": Decimal("-4.50"),
    "reserve_amount": Decimal("-4.21"),
}


def awkward_export(path: Path) -> Path:
    """Writes the awkward export to ``path`` (an .xlsx) and returns it."""
    book = Workbook()
    orders = book.active
    assert orders is not None
    orders.title = "Order Details"
    orders.append(["Settlement statement, paid Jan 13, 2026"])
    for row in (ORDER_HEADERS, EXPLANATION, ORDER_A, ORDER_B, REFUND_A, ORDER_A):
        orders.append(row)
    summary = book.create_sheet("Summary", 0)
    for row in SUMMARY:
        summary.append(row)
    reserve = book.create_sheet("Reserve Details")
    reserve.append(RESERVE_HEADERS)
    reserve.append(RESERVE)
    adjustments = book.create_sheet("Adjustments")
    adjustments.append(ADJUSTMENT_HEADERS)
    adjustments.append(ADJUSTMENT)
    book.save(path)
    return path


BIG_HEADERS = [h.strip() for h in ORDER_HEADERS[:-1]] + [f"Extra column {i}" for i in range(21)]


def big_rows(count: int, seed: int = 7) -> list[list[object]]:
    """``count`` order rows as Excel stores numbers (floats), 40 columns each.

    Prices come from a catalogue and fees are rates of them, so amounts repeat
    as they do in a real shop's statement.
    """
    rnd = random.Random(seed)
    prices = [Decimal(p) / 100 for p in range(999, 9999, 250)]
    rows: list[list[object]] = []
    for n in range(count):
        price = rnd.choice(prices) * rnd.choice((1, 1, 1, 2, 3))
        discount = -(price * Decimal("0.1")).quantize(Decimal("0.01")) if n % 4 == 0 else Decimal(0)
        revenue = price + discount
        transaction = -(revenue * Decimal("0.029")).quantize(Decimal("0.01"))
        referral = -(revenue * Decimal("0.06")).quantize(Decimal("0.01"))
        shipping = Decimal("-7.50") if n % 3 else Decimal(0)
        fees = transaction + referral + shipping
        rows.append(
            [
                str(576461413000000000 + n),
                "Order",
                f"2026-01-{1 + n % 28:02d} 10:00:00",
                f"2026-02-{1 + n % 28:02d} 03:00:00",
                "USD",
                float(revenue + fees),
                float(revenue),
                float(price),
                float(discount),
                float(fees),
                float(transaction),
                float(referral),
                0.0,
                float(shipping),
                float(shipping),
                0.0,
                str(1729000000 + n % 500),
                f"SKU-{n % 500}",
                1,
                *([""] * 21),
            ]
        )
    return rows


def big_export(path: Path, count: int) -> Path:
    """A ``count``-row export (Order Details only), written fast with openpyxl's write-only mode."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Order Details")
    sheet.append(BIG_HEADERS)
    for row in big_rows(count):
        sheet.append(row)
    book.save(path)
    return path
