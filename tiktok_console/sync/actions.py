"""Small actions the merchant takes from the UI, as plain functions (no Qt)."""

from __future__ import annotations

from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.orders import FAILED, ORPHAN, PENDING, mark_order, order_state


def retry_order(order_id: str) -> bool:
    """Put a failed order back in the queue; False when there is nothing to retry."""
    state = order_state(order_id)
    if state is None or state.sync_state not in (FAILED, ORPHAN, PENDING):
        return False
    mark_order(order_id, PENDING, reason="Retry asked; sending to Shopify again.")
    record_activity("orders", "retry", f"Retry of TikTok order {order_id} asked", subject=order_id)
    return True
