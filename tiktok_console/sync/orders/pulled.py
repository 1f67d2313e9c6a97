"""Storing what the orders job pulls: a page of TikTok orders with its advanced cursor.

Apart from ``job`` because it is the storage half of a pull: each page and the
cursor are written in one transaction on a worker thread, and the stored form
(a few columns to query, and the order as JSON) is decided here.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tiktok_console.storage.database import db
from tiktok_console.storage.jobs import save_cursor
from tiktok_console.storage.orders.tiktok_orders import PulledOrder, store_pulled
from tiktok_console.stores.tiktok.models.orders import Order
from tiktok_console.sync.orders.creation import JOB
from tiktok_console.sync.orders.cursor import OrdersCursor


def at_second(second: int | None) -> datetime | None:
    """A cursor second as the UTC time TikTok's ``update_time`` filters take (None: all)."""
    return None if second is None else datetime.fromtimestamp(second, UTC)


def newest_update(batch: list[Order]) -> int:
    """The newest ``update_time`` in a batch, in epoch seconds (0 for none)."""
    return max((int(order.update_time.timestamp()) for order in batch), default=0)


async def store_page(batch: list[Order], cursor: OrdersCursor) -> int:
    """Store one batch and the advanced cursor in one transaction; returns rows written.

    Writing a page is the heaviest step of a pull after parsing it, so it runs on a
    worker thread (with its own SQLite connection) and the window stays responsive.
    """
    if not batch:
        return 0
    return await asyncio.to_thread(_store_now, batch, cursor)


def _store_now(batch: list[Order], cursor: OrdersCursor) -> int:
    pulled = [_pulled(order) for order in batch]
    with db.atomic():
        written = sum(store_pulled(order) for order in pulled)
        save_cursor(JOB, cursor.at(max(cursor.newest, newest_update(batch))).text())
    return written


def _pulled(order: Order) -> PulledOrder:
    """The stored form of an order: a few columns to query, and the order as JSON."""
    return PulledOrder(
        order_id=order.id,
        status=order.status,
        created_at=order.create_time,
        update_time=int(order.update_time.timestamp()),
        fulfillment_type=order.fulfillment_type,
        ship_by=order.rts_sla_time or order.tts_sla_time or order.shipping_due_time,
        total=order.payment.total_amount.amount,
        currency=order.currency,
        payload=order.model_dump_json(),
    )
