"""Ship-by deadlines: the TikTok orders that must ship today, or should have already.

TikTok penalises a late dispatch, so the Overview lists every order still
waiting to ship whose ship-by time falls before local midnight tonight, with
whether its tracking reached TikTok. One SQL statement; frozen rows out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from tiktok_console.storage.database import db
from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.fulfillment.tables import ShopifyFulfillmentRow
from tiktok_console.storage.tables import TikTokOrderRow

TO_SHIP = ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING")
"""TikTok order statuses in which the seller still has to ship something."""

# The tracking state an order shows when its shipments differ: the one the
# merchant must act on first wins (a blocked shipment hides a pushed one).
_WORST_FIRST = ("failed", "blocked", "held", "pending", "pushed")

_TIMES = UtcDateTimeField()
_ORDERS = TikTokOrderRow._meta.table_name
_FULFILLMENTS = ShopifyFulfillmentRow._meta.table_name

_DUE = f"""
SELECT o.order_id, o.status, o.ship_by, o.shopify_order_name, o.sync_state,
       group_concat(f.state), group_concat(CASE WHEN f.reason != '' THEN f.reason END, ' · ')
FROM "{_ORDERS}" AS o
LEFT JOIN "{_FULFILLMENTS}" AS f ON f.tiktok_order_id = o.order_id
WHERE o.status IN (?, ?) AND o.ship_by IS NOT NULL AND o.ship_by < ?
GROUP BY o.order_id
ORDER BY o.ship_by, o.order_id
"""  # noqa: S608 (the table names are ours; values are bound)


@dataclass(frozen=True)
class ShipDeadline:
    """A TikTok order that must ship today or is overdue.

    Attributes:
        order_id: the TikTok order id.
        status: TikTok's status (``AWAITING_SHIPMENT`` or ``PARTIALLY_SHIPPING``).
        ship_by: TikTok's ship-by deadline (aware UTC).
        overdue: the deadline has passed.
        shopify_order_name: the Shopify order (``#1042``), "" when not created there.
        sync_state: where the order stands with Shopify (``created``, ``orphan``, ...).
        tracking: the state of its tracking push to TikTok: ``pushed``, ``pending``,
            ``blocked``, ``held``, ``failed``, or "" when Shopify has no shipment yet.
        tracking_reason: why a push is blocked, held or failed ("" otherwise).
    """

    order_id: str
    status: str
    ship_by: datetime
    overdue: bool
    shopify_order_name: str = ""
    sync_state: str = ""
    tracking: str = ""
    tracking_reason: str = ""


def ship_deadlines(now: datetime | None = None) -> list[ShipDeadline]:
    """Orders still to ship whose deadline is before local midnight tonight, earliest first."""
    moment = now or datetime.now(UTC)
    local = moment.astimezone()
    # Wall-clock midnight resolved in the local zone: DST days are 23 or 25 h long.
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(0)).astimezone()
    cursor = db.execute_sql(_DUE, (*TO_SHIP, _TIMES.db_value(tomorrow)))
    rows = []
    for order_id, status, ship_by, name, sync_state, states, reasons in cursor.fetchall():
        deadline = _TIMES.python_value(ship_by)
        assert deadline is not None  # the query keeps only orders with one
        rows.append(
            ShipDeadline(
                order_id=order_id, status=status, ship_by=deadline, overdue=deadline <= moment,
                shopify_order_name=name or "", sync_state=sync_state,
                tracking=_worst(states), tracking_reason=reasons or "",
            )
        )  # fmt: skip
    return rows


def _worst(states: str | None) -> str:
    present = set((states or "").split(","))
    return next((state for state in _WORST_FIRST if state in present), "")
