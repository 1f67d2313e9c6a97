"""Restocks to Shopify: add units back at a location with compare-and-set, exactly once.

Shopify sets absolute quantities; adding units means "set to what we read +
n", which a web sale in between would undo. So each set carries
``changeFromQuantity`` (the value just read) and Shopify refuses it when the
stock moved (``CHANGE_FROM_QUANTITY_STALE``): we read again and retry.

Exactly once across crashes: the intent journal holds the value we changed
from. After a crash the same request (same ``changeFromQuantity``, same
idempotency key) is sent again first: Shopify replays the first result if it
was applied, applies it if it was not and nothing moved, or refuses it as
stale (then it was not applied: we read and go on).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from tiktok_console.storage.intents import fail_intent, intent
from tiktok_console.stores.errors import RequestRejectedError, UnexpectedReplyError
from tiktok_console.stores.shopify.replies import (
    InventoryLevel,
    InventorySetQuantities,
    reject_user_errors,
)
from tiktok_console.stores.shopify.transport import STORE, ShopifyTransport
from tiktok_console.sync.journal import journaled

log = logging.getLogger(__name__)

KIND = "shopify.restock"
STALE = "CHANGE_FROM_QUANTITY_STALE"


class RestockError(RequestRejectedError):
    """Shopify refused a restock for a reason other than a stale read."""


async def restock(
    shopify: ShopifyTransport,
    key: str,
    inventory_item_id: str,
    location_id: str,
    units: int,
    *,
    reason: str = "restock",
    attempts: int = 8,
) -> int:
    """Add ``units`` to ``available`` at the location once per ``key``; returns the new value.

    Args:
        key: names this restock (e.g. ``"return:<id>:<line>"``): a second call
            with the same key changes nothing and returns the first result.
        attempts: stale reads tolerated before giving up (busy stock).

    Raises:
        RestockError: Shopify refused it (unknown item, not stocked there...),
            or the stock kept moving for ``attempts`` tries.
    """
    journal_key = f"{KIND}:{key}"
    recorded = intent(journal_key)
    if recorded is not None and recorded.status == "done":
        return int(recorded.result["available"])
    start: int | None = None
    if recorded is not None and recorded.status == "pending":
        start = int(recorded.payload["from"])  # a crash came between: resend that one first
    for _ in range(attempts):
        current = start if start is not None else await read_available(
            shopify, inventory_item_id, location_id
        )  # fmt: skip
        start = None
        target = current + units
        written = await journaled(
            KIND, journal_key,
            partial(_set, shopify, f"{key}:from:{current}",
                    _set_variables(inventory_item_id, location_id, target, current, reason)),
            settle=partial(_settled, target),
            subject=inventory_item_id, payload={"from": current, "units": units},
        )  # fmt: skip
        if written.complete:
            return target
        error = written.error
        assert error is not None
        if written.unconfirmed:
            raise error  # the intent stays pending: the next call sends the same set first
        if isinstance(error, RequestRejectedError) and error.code == STALE:
            log.info("Restock %s: stock moved from %d, reading again", key, current)
            continue
        code = error.code if isinstance(error, RequestRejectedError) else "ERROR"
        raise RestockError(STORE, code, error.message)
    fail_intent(journal_key, {"error": "stock kept changing"})
    raise RestockError(STORE, STALE, f"the stock kept changing; {units} unit(s) not restocked")


def _settled(target: int, _: None) -> dict[str, int]:
    return {"available": target}


async def _set(shopify: ShopifyTransport, idempotency_key: str, variables: dict[str, Any]) -> None:
    """One compare-and-set; a stale read is refused with the code ``STALE``."""
    reply = await shopify.execute(
        InventorySetQuantities, variables, idempotency_key=idempotency_key
    )
    errors = reply.inventory_set_quantities.user_errors
    if any(error.code == STALE for error in errors):
        raise RequestRejectedError(STORE, STALE, "the stock moved since it was read")
    reject_user_errors(errors)


async def read_available(
    shopify: ShopifyTransport, inventory_item_id: str, location_id: str
) -> int:
    """``available`` of one item at one location, read now."""
    reply = await shopify.execute(
        InventoryLevel, {"inventoryItemId": inventory_item_id, "locationId": location_id}
    )
    item = reply.inventory_item
    if item is None or item.inventory_level is None:
        raise RestockError(STORE, "NOT_STOCKED", "the item is not stocked at that location")
    available = [q.quantity for q in item.inventory_level.quantities if q.name == "available"]
    if not available:
        raise UnexpectedReplyError(STORE, InventoryLevel.what, "InventoryLevel: no available")
    return available[0]


def _set_variables(item: str, location: str, to: int, was: int, reason: str) -> dict[str, Any]:
    return {
        "input": {
            "name": "available",
            "reason": reason,
            "quantities": [
                {
                    "inventoryItemId": item,
                    "locationId": location,
                    "quantity": to,
                    "changeFromQuantity": was,
                }
            ],
        }
    }
