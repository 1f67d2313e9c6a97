"""The console's own JSON for a request's lines and next actions, and its money columns.

Stored beside TikTok's payload so a domain view is rebuilt from a row alone,
without the TikTok client's wire model (storage may not import ``stores``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tiktok_console.domain.aftersales import RefundAmount, RequestLine, SellerAction
from tiktok_console.domain.money import Money


def actions_json(actions: tuple[SellerAction, ...]) -> str:
    """``[[action, unix deadline], ...]``: TikTok's own precision (whole seconds)."""
    return json.dumps([[a.action, int(a.deadline.timestamp())] for a in actions])


def actions_from(text: str) -> tuple[SellerAction, ...]:
    """The next actions stored by ``actions_json``."""
    return tuple(
        SellerAction(action, datetime.fromtimestamp(stamp, UTC))
        for action, stamp in json.loads(text)
    )


def lines_json(lines: tuple[RequestLine, ...]) -> str:
    """The request's lines, money as exact strings."""
    return json.dumps([_line(line) for line in lines], separators=(",", ":"))


def lines_from(text: str) -> tuple[RequestLine, ...]:
    """The lines stored by ``lines_json``."""
    return tuple(
        RequestLine(
            order_line_item_id=item["id"], sku_id=item["sku"],
            seller_sku=item.get("seller_sku", ""),
            product_name=item.get("name", ""), refund=_refund_from(item.get("refund")),
        )
        for item in json.loads(text)
    )  # fmt: skip


def refund_columns(refund: RefundAmount | None) -> dict[str, Any]:
    """The refund as decimal-text columns with its currency (NULLs when TikTok gave none)."""
    if refund is None:
        return {"refund_total": None, "refund_subtotal": None, "refund_shipping": None,
                "refund_tax": None, "currency": ""}  # fmt: skip
    return {
        "refund_total": refund.total.amount, "refund_subtotal": refund.subtotal.amount,
        "refund_shipping": refund.shipping.amount, "refund_tax": refund.tax.amount,
        "currency": refund.total.currency,
    }  # fmt: skip


def refund_from_columns(
    total: Decimal | None,
    subtotal: Decimal | None,
    shipping: Decimal | None,
    tax: Decimal | None,
    currency: str,
) -> RefundAmount | None:
    """The refund stored by ``refund_columns``."""
    if total is None or not currency:
        return None

    def money(value: Decimal | None) -> Money:
        return Money(value if value is not None else Decimal(0), currency)

    return RefundAmount(money(total), money(subtotal), money(shipping), money(tax))


def _line(line: RequestLine) -> dict[str, Any]:
    item: dict[str, Any] = {"id": line.order_line_item_id, "sku": line.sku_id}
    if line.seller_sku:
        item["seller_sku"] = line.seller_sku
    if line.product_name:
        item["name"] = line.product_name
    if line.refund is not None:
        r = line.refund
        item["refund"] = [r.total.currency, str(r.total.amount), str(r.subtotal.amount),
                          str(r.shipping.amount), str(r.tax.amount)]  # fmt: skip
    return item


def _refund_from(value: list[str] | None) -> RefundAmount | None:
    if value is None:
        return None
    currency, *amounts = value
    total, subtotal, shipping, tax = (Money(Decimal(a), currency) for a in amounts)
    return RefundAmount(total, subtotal, shipping, tax)
