"""Small actions the merchant takes from the UI, as plain functions (no Qt)."""

from __future__ import annotations

from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.intents import forget_intent, intent
from tiktok_console.storage.orders.tiktok_orders import (
    FAILED,
    IN_SHOPIFY,
    ORPHAN,
    PENDING,
    mark_order,
    order_state,
)
from tiktok_console.sync.orders.cancel_records import CANCEL
from tiktok_console.sync.orders.tiktok_shipped import FULFIL


def retry_order(order_id: str) -> bool:
    """Send an order Shopify refused again (its create, its cancel, or its fulfillment).

    Returns False when there is nothing to retry.
    """
    state = order_state(order_id)
    if state is None:
        return False
    if state.sync_state in IN_SHOPIFY and _refused(f"{FULFIL}:{order_id}"):
        forget_intent(f"{FULFIL}:{order_id}")  # the next pass fulfils it again
    elif state.sync_state in IN_SHOPIFY:
        if state.status != "CANCELLED" or state.shopify_cancelled:
            return False
        forget_intent(f"{CANCEL}:{order_id}")  # the next pass cancels it again
        mark_order(order_id, state.sync_state, reason="Retry asked; cancelling in Shopify again.")
    elif state.sync_state in (FAILED, ORPHAN, PENDING):
        mark_order(order_id, PENDING, reason="Retry asked; sending to Shopify again.")
    else:
        return False
    record_activity("orders", "retry", f"Retry of TikTok order {order_id} asked", subject=order_id)
    return True


def _refused(key: str) -> bool:
    found = intent(key)
    return found is not None and found.refused
