"""What cancelling a TikTok order's Shopify twin leaves in the console's records.

The orders job decides and sends the cancel (``job``); the outcomes are written
here so the job, the lost-answer recovery and the Activity page's Retry
(``actions``, through ``CANCEL``) agree on the intent key and what each outcome
says: cancelled with restock, or left to the after-sales refund because
Shopify already shipped the order.
"""

from __future__ import annotations

from datetime import datetime

from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db
from tiktok_console.storage.intents import complete_intent, record_intent
from tiktok_console.storage.orders.tiktok_orders import OrderState, mark_order
from tiktok_console.sync.orders.creation import JOB

CANCEL = "shopify.orderCancel"
SHIPPED_LEFT = "shipped"  # a cancel intent's result: left to the after-sales refund


def leave_to_refund(state: OrderState, key: str, at: datetime) -> None:
    """A TikTok cancel of an order Shopify already shipped: Shopify will not cancel it,
    and the after-sales flow refunds it there instead; said once, never sent."""
    text = (
        f"TikTok cancelled order {state.order_id} after {state.shopify_order_name} shipped "
        "from Shopify. Shopify keeps the order; the refund TikTok gives the buyer is "
        "recorded on it instead of a cancellation."
    )
    with db.atomic():
        record_intent(key, CANCEL, state.order_id, {"order": state.shopify_order_id}, at=at)
        complete_intent(key, {"order": state.shopify_order_id, "left": SHIPPED_LEFT})
        mark_order(state.order_id, state.sync_state, reason=text)
        record_activity(JOB, "cancel", text, subject=state.order_id)


def cancel_arrived(state: OrderState) -> dict[str, str]:
    """A cancel whose answer was lost reached Shopify: settle it as if it had answered."""
    mark_cancelled(state, "Cancelled on TikTok; cancelled in Shopify with restock.")
    return {"order": state.shopify_order_id}


def mark_cancelled(state: OrderState, reason: str) -> None:
    """The Shopify twin is cancelled: mark the order so, with one activity line."""
    mark_order(state.order_id, state.sync_state, shopify_cancelled=True, reason=reason)
    record_activity(
        JOB,
        "cancel",
        f"Cancelled {state.shopify_order_name} (TikTok order {state.order_id} was cancelled)",
        subject=state.order_id,
    )
