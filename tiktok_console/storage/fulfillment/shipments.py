"""Shopify fulfillments on TikTok orders, and where each stands with TikTok.

The fulfillment job records what it sees in Shopify here (with the TikTok
line items each shipment covers) and then works through what is not yet on
TikTok. States: pending, blocked (carrier not mapped for the order's delivery
option), held (tracking does not fit the provider), pushed, failed (TikTok
refused; its code and message are kept).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tiktok_console.storage.fulfillment.tables import ShopifyFulfillmentRow
from tiktok_console.storage.tables import TikTokOrderRow

PENDING, BLOCKED, HELD, PUSHED, FAILED = "pending", "blocked", "held", "pushed", "failed"
RETRYABLE = (BLOCKED, HELD, FAILED)


@dataclass(frozen=True)
class SeenFulfillment:
    """A Shopify fulfillment as the job read it, mapped onto the TikTok order."""

    fulfillment_id: str
    shopify_order_id: str
    tiktok_order_id: str
    delivery_option_id: str
    carrier: str
    tracking_number: str
    tracking_url: str
    line_item_ids: tuple[str, ...]
    shopify_created_at: datetime


@dataclass(frozen=True)
class Fulfillment:
    """A recorded fulfillment and its push state."""

    fulfillment_id: str
    shopify_order_id: str
    tiktok_order_id: str
    delivery_option_id: str
    carrier: str
    tracking_number: str
    tracking_url: str
    line_item_ids: tuple[str, ...]
    shopify_created_at: datetime
    state: str
    reason: str
    error_code: str
    provider_id: str
    package_id: str
    pushed_tracking: str
    pushed_at: datetime | None
    attempts: int
    updated_at: datetime

    @property
    def tracking_changed(self) -> bool:
        """Pushed, and Shopify's tracking number has changed since."""
        return self.state == PUSHED and self.tracking_number != self.pushed_tracking


@dataclass(frozen=True)
class LinkedOrder:
    """A TikTok order that is in Shopify: what the job needs to map a shipment onto it."""

    tiktok_order_id: str
    shopify_order_id: str
    status: str
    payload: dict[str, Any]


def record_seen(seen: SeenFulfillment) -> bool:
    """Insert a new fulfillment, or take in a changed carrier or tracking number.

    The line items of a recorded fulfillment never change (they were claimed
    when it was first seen). A change of carrier or tracking sends a blocked,
    held or failed one back to pending; a pushed one stays pushed and the job
    sees ``tracking_changed``. Returns True when something was written.
    """
    now = datetime.now(UTC)
    row = ShopifyFulfillmentRow.get_or_none(
        ShopifyFulfillmentRow.fulfillment_id == seen.fulfillment_id
    )
    if row is None:
        ShopifyFulfillmentRow.create(
            fulfillment_id=seen.fulfillment_id, shopify_order_id=seen.shopify_order_id,
            tiktok_order_id=seen.tiktok_order_id, delivery_option_id=seen.delivery_option_id,
            carrier=seen.carrier, tracking_number=seen.tracking_number,
            tracking_url=seen.tracking_url, line_item_ids=json.dumps(list(seen.line_item_ids)),
            shopify_created_at=seen.shopify_created_at, state=PENDING, updated_at=now,
        )  # fmt: skip
        return True
    if (row.carrier, row.tracking_number) == (seen.carrier, seen.tracking_number):
        return False
    update: dict[Any, Any] = {
        ShopifyFulfillmentRow.carrier: seen.carrier,
        ShopifyFulfillmentRow.tracking_number: seen.tracking_number,
        ShopifyFulfillmentRow.tracking_url: seen.tracking_url,
        ShopifyFulfillmentRow.updated_at: now,
    }
    if row.state in RETRYABLE:
        update[ShopifyFulfillmentRow.state] = PENDING
        update[ShopifyFulfillmentRow.reason] = "Tracking changed in Shopify; sending again."
        update[ShopifyFulfillmentRow.error_code] = ""
    ShopifyFulfillmentRow.update(update).where(
        ShopifyFulfillmentRow.fulfillment_id == seen.fulfillment_id
    ).execute()
    return True


def fulfillment(fulfillment_id: str) -> Fulfillment | None:
    """One recorded fulfillment."""
    row = ShopifyFulfillmentRow.get_or_none(ShopifyFulfillmentRow.fulfillment_id == fulfillment_id)
    return None if row is None else _fulfillment(row)


def fulfillments_of(tiktok_order_id: str) -> list[Fulfillment]:
    """Every recorded fulfillment of one TikTok order, oldest first."""
    query = ShopifyFulfillmentRow.select().where(
        ShopifyFulfillmentRow.tiktok_order_id == tiktok_order_id
    )
    return [_fulfillment(row) for row in query.order_by(ShopifyFulfillmentRow.shopify_created_at)]


def claimed_lines(tiktok_order_id: str) -> dict[str, str]:
    """TikTok line item id -> the recorded fulfillment that covers it, for one order."""
    return {
        line: f.fulfillment_id for f in fulfillments_of(tiktok_order_id) for line in f.line_item_ids
    }


def fulfillments_to_push(
    limit: int = 100, after: tuple[datetime, str] | None = None
) -> list[Fulfillment]:
    """Pending ones, and pushed ones whose tracking changed; oldest first.

    ``after`` (shopify_created_at, fulfillment_id) of the last one seen continues a walk.
    """
    row = ShopifyFulfillmentRow
    wanted = (row.state == PENDING) | (
        (row.state == PUSHED) & (row.tracking_number != row.pushed_tracking)
    )
    query = row.select().where(wanted)
    if after is not None:
        created, fulfillment_id = after
        query = query.where(
            (row.shopify_created_at > created)
            | ((row.shopify_created_at == created) & (row.fulfillment_id > fulfillment_id))
        )
    query = query.order_by(row.shopify_created_at, row.fulfillment_id).limit(limit)
    return [_fulfillment(r) for r in query]


def mark_fulfillment(
    fulfillment_id: str,
    state: str,
    *,
    reason: str = "",
    error_code: str = "",
    provider_id: str | None = None,
    package_id: str | None = None,
    pushed_tracking: str | None = None,
    pushed_at: datetime | None = None,
    attempted: bool = False,
) -> None:
    """Record where a fulfillment stands with TikTok."""
    row = ShopifyFulfillmentRow
    update: dict[Any, Any] = {
        row.state: state,
        row.reason: reason,
        row.error_code: error_code,
        row.updated_at: datetime.now(UTC),
    }
    optional: dict[Any, Any] = {
        row.provider_id: provider_id,
        row.package_id: package_id,
        row.pushed_tracking: pushed_tracking,
        row.pushed_at: pushed_at,
    }
    update.update({field: value for field, value in optional.items() if value is not None})
    if attempted:
        update[row.attempts] = row.attempts + 1
    row.update(update).where(row.fulfillment_id == fulfillment_id).execute()


def release_blocked(carrier: str, delivery_option_id: str = "") -> int:
    """Blocked fulfillments of ``carrier`` (on one option, or any) back to pending."""
    row = ShopifyFulfillmentRow
    where = (row.state == BLOCKED) & (row.carrier == carrier)
    if delivery_option_id:
        where &= row.delivery_option_id == delivery_option_id
    reason = f"Carrier {carrier!r} mapped; sending to TikTok."
    return int(
        row.update({row.state: PENDING, row.reason: reason, row.updated_at: datetime.now(UTC)})
        .where(where)
        .execute()
    )


def carriers_seen() -> list[str]:
    """Every carrier name Shopify fulfillments used, sorted."""
    query = ShopifyFulfillmentRow.select(ShopifyFulfillmentRow.carrier).distinct()
    return sorted(row.carrier for row in query)


def carrier_seen(carrier: str) -> bool:
    """Whether any recorded fulfillment used ``carrier``."""
    return bool(
        ShopifyFulfillmentRow.select().where(ShopifyFulfillmentRow.carrier == carrier).exists()
    )


def state_counts() -> dict[str, int]:
    """How many fulfillments are in each state."""
    counts: dict[str, int] = {}
    for row in ShopifyFulfillmentRow.select(ShopifyFulfillmentRow.state):
        counts[row.state] = counts.get(row.state, 0) + 1
    return counts


def linked_orders(shopify_order_ids: Iterable[str]) -> dict[str, LinkedOrder]:
    """The TikTok orders behind these Shopify orders (created or linked by us), by Shopify id."""
    ids = list(set(shopify_order_ids))
    if not ids:
        return {}
    query = TikTokOrderRow.select(
        TikTokOrderRow.order_id,
        TikTokOrderRow.shopify_order_id,
        TikTokOrderRow.status,
        TikTokOrderRow.payload,
    ).where(TikTokOrderRow.shopify_order_id.in_(ids))
    return {
        row.shopify_order_id: LinkedOrder(
            row.order_id, row.shopify_order_id, row.status, json.loads(row.payload)
        )
        for row in query
    }


def linked_order(tiktok_order_id: str) -> LinkedOrder | None:
    """One TikTok order as ``linked_orders`` describes it (it may not be in Shopify)."""
    row = TikTokOrderRow.get_or_none(TikTokOrderRow.order_id == tiktok_order_id)
    if row is None:
        return None
    return LinkedOrder(row.order_id, row.shopify_order_id, row.status, json.loads(row.payload))


def _fulfillment(row: ShopifyFulfillmentRow) -> Fulfillment:
    return Fulfillment(
        fulfillment_id=row.fulfillment_id,
        shopify_order_id=row.shopify_order_id,
        tiktok_order_id=row.tiktok_order_id,
        delivery_option_id=row.delivery_option_id,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        tracking_url=row.tracking_url,
        line_item_ids=tuple(json.loads(row.line_item_ids or "[]")),
        shopify_created_at=row.shopify_created_at,
        state=row.state,
        reason=row.reason,
        error_code=row.error_code,
        provider_id=row.provider_id,
        package_id=row.package_id,
        pushed_tracking=row.pushed_tracking,
        pushed_at=row.pushed_at,
        attempts=row.attempts,
        updated_at=row.updated_at,
    )
