"""TikTok orders in the local database, and where each stands with Shopify."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tiktok_console.storage.fulfillment.tables import ShopifyFulfillmentRow
from tiktok_console.storage.tables import IntentRow, TikTokOrderRow

PENDING, ORPHAN, CREATED, LINKED, SKIPPED, FAILED = (
    "pending",
    "orphan",
    "created",
    "linked",
    "skipped",
    "failed",
)
IN_SHOPIFY = (CREATED, LINKED)


@dataclass(frozen=True)
class PulledOrder:
    """What the orders job stores of each TikTok order it pulls."""

    order_id: str
    status: str
    created_at: datetime
    update_time: int
    fulfillment_type: str
    ship_by: datetime | None
    total: Decimal
    currency: str
    payload: str


@dataclass(frozen=True)
class OrderState:
    """An order's sync state, for jobs and views."""

    order_id: str
    status: str
    update_time: int
    sync_state: str
    reason: str
    unmapped: tuple[str, ...]
    shopify_order_id: str
    shopify_order_name: str
    shopify_cancelled: bool
    created_at: datetime
    ship_by: datetime | None
    total: Decimal
    currency: str
    created_elsewhere: bool


def store_pulled(order: PulledOrder) -> bool:
    """Insert or update an order; an update older than what is stored is ignored.

    Returns True when something was written. Call inside the cursor's transaction.
    """
    now = datetime.now(UTC)
    existing = TikTokOrderRow.get_or_none(TikTokOrderRow.order_id == order.order_id)
    if existing is not None and existing.update_time > order.update_time:
        return False
    if existing is not None and existing.update_time == order.update_time:
        return False  # the overlap window brought it again: nothing new
    fields = {
        "status": order.status,
        "created_at": order.created_at,
        "update_time": order.update_time,
        "fulfillment_type": order.fulfillment_type,
        "ship_by": order.ship_by,
        "total": order.total,
        "currency": order.currency,
        "payload": order.payload,
        "updated_at": now,
    }
    if existing is None:
        TikTokOrderRow.create(order_id=order.order_id, **fields)
    else:
        TikTokOrderRow.update(**fields).where(TikTokOrderRow.order_id == order.order_id).execute()
    return True


def orders_needing_work(
    limit: int = 200, after: tuple[datetime, str] | None = None
) -> list[tuple[OrderState, str]]:
    """Orders the job must look at: not yet in Shopify, or cancelled since; with payloads.

    A cancel Shopify refused is still returned; the job sees its failed intent and waits.

    Oldest first; ``after`` (created_at, order_id) of the last one seen continues a walk.
    """
    # A refused order (FAILED) waits for the merchant's Retry rather than being sent
    # again every poll; if TikTok cancels it meanwhile it is still looked at, to skip it.
    failed_cancelled = (TikTokOrderRow.sync_state == FAILED) & (
        TikTokOrderRow.status == "CANCELLED"
    )
    pending = TikTokOrderRow.sync_state.in_((PENDING, ORPHAN)) | failed_cancelled
    cancelled_since = (
        TikTokOrderRow.sync_state.in_(IN_SHOPIFY)
        & (TikTokOrderRow.status == "CANCELLED")
        & (TikTokOrderRow.shopify_cancelled == False)  # noqa: E712 (SQL, not Python)
    )
    query = TikTokOrderRow.select().where(pending | cancelled_since)
    if after is not None:
        created, order_id = after
        query = query.where(
            (TikTokOrderRow.created_at > created)
            | ((TikTokOrderRow.created_at == created) & (TikTokOrderRow.order_id > order_id))
        )
    query = query.order_by(TikTokOrderRow.created_at, TikTokOrderRow.order_id).limit(limit)
    return [(_state(row), str(row.payload)) for row in query]


def history_orders(
    statuses: Iterable[str], since: datetime, limit: int, after: tuple[datetime, str] | None = None
) -> list[tuple[OrderState, str]]:
    """Orders left out of Shopify as history: skipped, in ``statuses``, placed since ``since``.

    Oldest first; ``after`` (created_at, order_id) of the last one seen continues a walk.
    """
    query = TikTokOrderRow.select().where(
        (TikTokOrderRow.sync_state == SKIPPED)
        & TikTokOrderRow.status.in_(list(statuses))
        & (TikTokOrderRow.created_at >= since)
    )
    if after is not None:
        created, order_id = after
        query = query.where(
            (TikTokOrderRow.created_at > created)
            | ((TikTokOrderRow.created_at == created) & (TikTokOrderRow.order_id > order_id))
        )
    query = query.order_by(TikTokOrderRow.created_at, TikTokOrderRow.order_id).limit(limit)
    return [(_state(row), str(row.payload)) for row in query]


def requeue_shipped_skips() -> int:
    """Orders an earlier version skipped as shipped ("Not sent to Shopify in status
    IN_TRANSIT"), back to pending so the orders job decides again; returns how many."""
    shipped = ("IN_TRANSIT", "DELIVERED", "COMPLETED")
    return int(
        TikTokOrderRow.update(sync_state=PENDING, reason="", updated_at=datetime.now(UTC))
        .where(
            (TikTokOrderRow.sync_state == SKIPPED)
            & TikTokOrderRow.status.in_(shipped)
            & TikTokOrderRow.reason.startswith("Not sent to Shopify in status ")
        )
        .execute()
    )


def count_history(statuses: Iterable[str], since: datetime) -> int:
    """How many orders ``history_orders`` walks."""
    return int(
        TikTokOrderRow.select()
        .where(
            (TikTokOrderRow.sync_state == SKIPPED)
            & TikTokOrderRow.status.in_(list(statuses))
            & (TikTokOrderRow.created_at >= since)
        )
        .count()
    )


def order_state(order_id: str) -> OrderState | None:
    """One order's state."""
    row = TikTokOrderRow.get_or_none(TikTokOrderRow.order_id == order_id)
    return None if row is None else _state(row)


def mark_order(
    order_id: str,
    sync_state: str,
    *,
    reason: str = "",
    unmapped: Iterable[str] = (),
    shopify_order_id: str | None = None,
    shopify_order_name: str | None = None,
    created_elsewhere: bool | None = None,
    shopify_cancelled: bool | None = None,
    synced_at: datetime | None = None,
) -> None:
    """Record where an order stands with Shopify.

    ``synced_at`` (for an order now in Shopify) is when its stock counts as taken
    there: now, unless given (imported history never took any).
    """
    update: dict[Any, Any] = {
        TikTokOrderRow.sync_state: sync_state,
        TikTokOrderRow.reason: reason,
        TikTokOrderRow.unmapped: ",".join(unmapped),
        TikTokOrderRow.updated_at: datetime.now(UTC),
    }
    if sync_state in IN_SHOPIFY:
        update[TikTokOrderRow.synced_at] = synced_at or datetime.now(UTC)
    optional: dict[Any, Any] = {
        TikTokOrderRow.shopify_order_id: shopify_order_id,
        TikTokOrderRow.shopify_order_name: shopify_order_name,
        TikTokOrderRow.created_elsewhere: created_elsewhere,
        TikTokOrderRow.shopify_cancelled: shopify_cancelled,
    }
    update.update({field: value for field, value in optional.items() if value is not None})
    TikTokOrderRow.update(update).where(TikTokOrderRow.order_id == order_id).execute()


def orders_blocked_by(sku_ids: Iterable[str]) -> dict[str, set[str]]:
    """Orphan orders that wait for any of ``sku_ids``, with every SKU each waits for."""
    wanted = set(sku_ids)
    rows = TikTokOrderRow.select(TikTokOrderRow.order_id, TikTokOrderRow.unmapped).where(
        TikTokOrderRow.sync_state == ORPHAN
    )
    waits = {row.order_id: set(filter(None, row.unmapped.split(","))) for row in rows}
    return {order_id: skus for order_id, skus in waits.items() if wanted & skus}


def state_counts() -> dict[str, int]:
    """How many orders are in each sync state."""
    counts: dict[str, int] = {}
    for row in TikTokOrderRow.select(TikTokOrderRow.sync_state):
        counts[row.sync_state] = counts.get(row.sync_state, 0) + 1
    return counts


def _state(row: TikTokOrderRow) -> OrderState:
    return OrderState(
        order_id=row.order_id,
        status=row.status,
        update_time=row.update_time,
        sync_state=row.sync_state,
        reason=row.reason,
        unmapped=tuple(filter(None, str(row.unmapped).split(","))),
        shopify_order_id=row.shopify_order_id,
        shopify_order_name=row.shopify_order_name,
        shopify_cancelled=bool(row.shopify_cancelled),
        created_at=row.created_at,
        ship_by=row.ship_by,
        total=row.total,
        currency=row.currency,
        created_elsewhere=bool(row.created_elsewhere),
    )


def shipped_after_linking(
    kind: str, statuses: Iterable[str], limit: int = 50
) -> list[tuple[OrderState, str]]:
    """Orders in Shopify that TikTok shows shipped with no Shopify shipment known; payloads.

    In Shopify, not cancelled there, in a shipped ``statuses``, with no Shopify
    shipment recorded by the fulfillment job (the warehouse shipped it), and with no
    intent of ``kind`` done, pending or refused for it (one that failed unrefused,
    the store not having it, is due again). Oldest first.
    """
    settled = IntentRow.select(IntentRow.subject).where(
        (IntentRow.kind == kind)
        & (IntentRow.status.in_(("done", "pending")) | IntentRow.result.contains('"refused": true'))
    )
    shipped_in_shopify = ShopifyFulfillmentRow.select(ShopifyFulfillmentRow.tiktok_order_id)
    query = (
        TikTokOrderRow.select()
        .where(
            TikTokOrderRow.sync_state.in_(IN_SHOPIFY)
            & TikTokOrderRow.status.in_(list(statuses))
            & (TikTokOrderRow.shopify_cancelled == False)  # noqa: E712 (SQL, not Python)
            & TikTokOrderRow.order_id.not_in(settled)
            & TikTokOrderRow.order_id.not_in(shipped_in_shopify)
        )
        .order_by(TikTokOrderRow.created_at, TikTokOrderRow.order_id)
        .limit(limit)
    )
    return [(_state(row), str(row.payload)) for row in query]
