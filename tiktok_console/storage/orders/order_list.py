"""Every TikTok order the console knows, as the Orders page lists it.

One SQL statement reads the columns the page shows plus the few payload
fields a merchant searches by (buyer, seller SKUs): SQLite's JSON functions
pick them out, so 50,000 orders come back as small frozen rows without
parsing each payload in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tiktok_console.storage.database import db
from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.tables import AccountRow, TikTokOrderRow

_ORDERS = TikTokOrderRow._meta.table_name
_TIMES = UtcDateTimeField()


@dataclass(frozen=True)
class OrderListRow:
    """One TikTok order and where it stands with Shopify.

    Attributes:
        order_id: the TikTok order id (19 digits: text, never a number).
        status: TikTok's status (``AWAITING_SHIPMENT``).
        created_at: when the buyer placed it.
        sync_state: the console's state (pending, orphan, created, linked, skipped, failed).
        reason: why it is in that state, in the merchant's words ("" when none).
        shopify_order_id: the Shopify order's gid ("" until it exists).
        shopify_order_name: the Shopify order's name (``#1042``).
        buyer: the buyer's (masked) name, else their e-mail.
        skus: the seller SKUs of its lines, comma-separated.
        total: the order total.
        currency: its currency.
    """

    order_id: str
    status: str
    created_at: datetime
    sync_state: str
    reason: str
    shopify_order_id: str
    shopify_order_name: str
    buyer: str
    skus: str
    total: Decimal
    currency: str


_ORDER_LIST = f"""
SELECT o.order_id, o.status, o.created_at, o.sync_state, o.reason, o.shopify_order_id,
       o.shopify_order_name,
       CASE WHEN json_valid(o.payload) THEN coalesce(
           nullif(json_extract(o.payload, '$.recipient_address.name'), ''),
           json_extract(o.payload, '$.buyer_email'), '') ELSE '' END,
       CASE WHEN json_valid(o.payload) THEN (
           SELECT group_concat(sku, ', ') FROM (
               SELECT DISTINCT json_extract(li.value, '$.seller_sku') AS sku
               FROM json_each(o.payload, '$.line_items') AS li
               WHERE coalesce(json_extract(li.value, '$.seller_sku'), '') != '')) ELSE '' END,
       o.total, o.currency
FROM "{_ORDERS}" AS o
ORDER BY o.created_at DESC, o.order_id DESC
"""  # noqa: S608 (the table name is ours; the limit is bound)


def order_list(limit: int | None = None) -> list[OrderListRow]:
    """Every order (or the ``limit`` newest), newest first."""
    sql = _ORDER_LIST + (" LIMIT ?" if limit is not None else "")
    params = (limit,) if limit is not None else ()
    rows = db.execute_sql(sql, params).fetchall()
    return [_row(*values) for values in rows]


def _row(
    order_id: str, status: str, created: str, state: str, reason: str | None, gid: str | None,
    name: str | None, buyer: str | None, skus: str | None, total: object, currency: str | None,
) -> OrderListRow:  # fmt: skip
    return OrderListRow(
        order_id, status, _time(created), state, reason or "", gid or "", name or "",
        buyer or "", skus or "", Decimal(str(total)), currency or "",
    )  # fmt: skip


def _time(stored: str) -> datetime:
    moment = _TIMES.python_value(stored)
    assert moment is not None  # created_at is NOT NULL
    return moment


@dataclass(frozen=True)
class StoreAddresses:
    """What the order links need of the connected stores ("" when not connected)."""

    shopify_shop: str  # the myshopify domain
    tiktok_region: str  # the TikTok shop's country code


def store_addresses() -> StoreAddresses:
    """The Shopify shop domain and the TikTok region, from the connected accounts."""
    rows = {row.store: row for row in AccountRow.select()}
    shopify, tiktok = rows.get("shopify"), rows.get("tiktok")
    return StoreAddresses(
        shopify.shop if shopify is not None else "",
        (tiktok.region if tiktok is not None else "") or "",
    )
