"""Deadlines planted in a real profile database: a return, a cancellation, an order to ship."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from tests.domain.aftersales_views import T0, a_cancellation, a_return
from tiktok_console.domain.aftersales import ReturnType, SellerAction
from tiktok_console.storage.aftersales.requests import store_cancellations, store_returns
from tiktok_console.storage.tables import TikTokOrderRow

H = timedelta(hours=1)
RETURN_ID = "4035000000000001"
CANCEL_ID = "4036000000000001"
SHIP_ORDER = "576000000000000777"


def plant_return(due: datetime, return_id: str = RETURN_ID) -> None:
    """A refund-only request of $24.90 awaiting the seller until ``due``."""
    view = a_return(
        return_type=ReturnType.REFUND, status="RETURN_OR_REFUND_REQUEST_PENDING",
        actions=(SellerAction("SELLER_RESPOND_REFUND", due),),
    )  # fmt: skip
    store_returns([(replace(view, return_id=return_id), "{}")], T0)


def plant_cancellation(due: datetime) -> None:
    """A buyer's cancellation request awaiting the seller until ``due``."""
    view = a_cancellation(
        status="CANCELLATION_REQUEST_PENDING",
        actions=(SellerAction("SELLER_RESPOND_BUYER_CANCEL", due),),
    )
    store_cancellations([(view, "{}")], T0)


def plant_order(
    ship_by: datetime, order_id: str = SHIP_ORDER, auto_cancel: datetime | None = None
) -> None:
    """An order awaiting shipment by ``ship_by`` (TikTok's auto-cancel at ``auto_cancel``)."""
    payload = {"cancel_order_sla_time": int(auto_cancel.timestamp())} if auto_cancel else {}
    TikTokOrderRow.create(
        order_id=order_id, status="AWAITING_SHIPMENT", created_at=T0, update_time=1,
        ship_by=ship_by, total=Decimal("42.00"), currency="USD", payload=json.dumps(payload),
        updated_at=T0,
    )  # fmt: skip


def plant_all(now: datetime) -> None:
    """Cancellation in 2 h, return in 30 h, order to ship in 6 h."""
    plant_cancellation(now + 2 * H)
    plant_return(now + 30 * H)
    plant_order(now + 6 * H)
