"""Reading the Shopify shipments of TikTok orders, for the fulfillment job.

Orders changed since the cursor (less an overlap for the search index's lag)
are read a page at a time; each shipment of a TikTok order we ship ourselves
is recorded with the TikTok lines it covers, and the page and the advanced
cursor are stored in one transaction. A carrier seen for the first time is
mapped when a TikTok provider bears its name.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from tiktok_console.domain.carriers import Provider, clean_tracking, suggest_provider
from tiktok_console.domain.shipments import ShippedLine, TikTokLine, covered_lines
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.catalog.variants import mappings
from tiktok_console.storage.database import db
from tiktok_console.storage.fulfillment.carrier_mappings import (
    all_mappings,
    cached_providers,
    save_mapping,
)
from tiktok_console.storage.fulfillment.shipments import (
    LinkedOrder,
    SeenFulfillment,
    carrier_seen,
    claimed_lines,
    fulfillment,
    linked_orders,
    record_seen,
)
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.storage.tables import TikTokOrderRow
from tiktok_console.stores.shopify.transport import ShopifyTransport

JOB = "fulfillment"  # the job's name: its cursor and its Activity entries
PAGE = 7  # orders per page: see the document's cost note
# Every line is on its way: a shipment first seen now is history (or another app's
# push), and TikTok would refuse it as already shipped.
SHIPPED_ON_TIKTOK = frozenset({"IN_TRANSIT", "DELIVERED", "COMPLETED"})

RefreshProviders = Callable[[str, str], Awaitable[list[Provider]]]


class ShipmentReader:
    """Records the shipments of TikTok orders from Shopify's changed orders.

    Args:
        shopify: the Shopify client.
        refresh_providers: brings an option's TikTok providers up to date (id, name),
            so a new carrier is mapped from a fresh cache.
        index_lag: how long Shopify's search index may lag a write.
        pages_per_run: pages read before the job moves on to pushing.
    """

    def __init__(
        self,
        shopify: ShopifyTransport,
        refresh_providers: RefreshProviders,
        index_lag: timedelta,
        pages_per_run: int,
    ) -> None:
        self._shopify = shopify
        self._refresh_providers = refresh_providers
        self._index_lag = index_lag
        self._pages_per_run = pages_per_run
        # (query, page cursor, link mark) of an unfinished read
        self._resume: tuple[str, str, str] | None = None

    async def read(self) -> tuple[int, bool]:
        """Record the shipments of orders changed since the cursor; True when more remain."""
        if self._resume is not None:
            query, after, linked = self._resume
        else:
            since, linked = self._since()
            if since is None:
                return 0, False  # no TikTok order is in Shopify yet
            query = f"updated_at:>='{since.isoformat()}' -fulfillment_status:unshipped"
            after = ""
        self._resume = None
        recorded = 0
        for _ in range(self._pages_per_run):
            data = await self._shopify.execute(
                "OrderFulfillmentsSince", {"first": PAGE, "after": after or None, "query": query}
            )
            page = data["orders"]
            ours = linked_orders(node["id"] for node in page["nodes"])
            for order in ours.values():  # new carriers are mapped from a fresh cache
                if _we_ship(order):
                    await self._refresh_providers(*delivery_option(order))
            done = not page["pageInfo"]["hasNextPage"]
            # The link mark moves only with the last page: a crash re-reads the rest.
            recorded += self._store_page(page["nodes"], ours, linked if done else None)
            if done:
                return recorded, False
            after = page["pageInfo"]["endCursor"]
        self._resume = (query, after, linked)
        return recorded, True

    def _since(self) -> tuple[datetime | None, str]:
        """Where the read starts, and the link mark it brings the cursor to.

        From the last change seen, less the overlap; earlier when an order another
        app put in Shopify was linked since the last read (its shipments may be
        older than the cursor). The first read starts at our oldest TikTok order.
        """
        updated, linked = _cursor()
        overlap = max(self._index_lag * 2, timedelta(minutes=2))
        in_shopify = TikTokOrderRow.shopify_order_id != ""
        if updated:
            starts = [datetime.fromisoformat(updated)]
            late = in_shopify & (TikTokOrderRow.created_elsewhere == True)  # noqa: E712 (SQL)
            if linked:
                late &= TikTokOrderRow.synced_at > datetime.fromisoformat(linked)
            oldest_late = _oldest(late)
            if oldest_late is not None:
                starts.append(oldest_late)
        else:
            first = _oldest(in_shopify)
            starts = [] if first is None else [first]
        mark = _newest_link()
        since = min(starts) - overlap if starts else None
        return since, mark.isoformat() if mark else linked

    def _store_page(
        self, nodes: list[dict[str, Any]], ours: dict[str, LinkedOrder], linked: str | None
    ) -> int:
        """One page's shipments and the advanced cursor, in one transaction."""
        if not nodes and linked is None:
            return 0
        recorded = 0
        newest, mark = _cursor()
        with db.atomic():
            for node in nodes:
                order = ours.get(node["id"])
                if order is not None and _we_ship(order):
                    recorded += self._store_order(order, node["fulfillments"])
                newest = _later(newest, node["updatedAt"])
            mark = mark if linked is None else linked
            save_cursor(JOB, json.dumps({"updated": newest, "linked": mark}))
        return recorded

    def _store_order(self, order: LinkedOrder, shipments: list[dict[str, Any]]) -> int:
        recorded = 0
        lines = _tiktok_lines(order.payload)
        variant_for_sku = {
            sku: m.shopify_variant_id for sku, m in mappings({li.sku_id for li in lines}).items()
        }
        for shipment in sorted(shipments, key=lambda s: (s["createdAt"], s["id"])):
            infos = shipment.get("trackingInfo") or []
            tracking = infos[0] if infos else {}
            number = clean_tracking(tracking.get("number") or "")
            if shipment["status"] != "SUCCESS" or not number:
                continue  # cancelled, or nothing to tell TikTok yet
            known = fulfillment(shipment["id"])
            if known is None and order.status in SHIPPED_ON_TIKTOK:
                continue
            covered = (
                known.line_item_ids
                if known is not None
                else covered_lines(
                    lines,
                    [shipped_line(item) for item in shipment["fulfillmentLineItems"]["nodes"]],
                    variant_for_sku,
                    claimed_lines(order.tiktok_order_id),
                )
            )
            carrier = (tracking.get("company") or "").strip()
            if known is None and not carrier_seen(carrier):
                automap_carriers([carrier])  # a carrier seen for the first time
            recorded += record_seen(
                SeenFulfillment(
                    fulfillment_id=shipment["id"],
                    shopify_order_id=order.shopify_order_id,
                    tiktok_order_id=order.tiktok_order_id,
                    delivery_option_id=delivery_option(order)[0],
                    carrier=carrier,
                    tracking_number=number,
                    tracking_url=tracking.get("url") or "",
                    line_item_ids=covered,
                    shopify_created_at=datetime.fromisoformat(shipment["createdAt"]),
                )
            )
        return recorded


def _we_ship(order: LinkedOrder) -> bool:
    """Seller-shipped orders only: TikTok ships the others with its own label."""
    payload = order.payload
    return (
        payload.get("shipping_type") != "TIKTOK"
        and payload.get("fulfillment_type") != "FULFILLMENT_BY_TIKTOK"
    )


def delivery_option(order: LinkedOrder) -> tuple[str, str]:
    """The order's delivery option: id, and name (the id when TikTok sent none)."""
    option_id = str(order.payload.get("delivery_option_id") or "")
    return option_id, str(order.payload.get("delivery_option_name") or option_id)


def _tiktok_lines(payload: dict[str, Any]) -> list[TikTokLine]:
    return [
        TikTokLine(
            line_id=str(li["id"]),
            sku_id=str(li.get("sku_id") or ""),
            seller_sku=str(li.get("seller_sku") or ""),
            cancelled=li.get("display_status") == "CANCELLED",
        )
        for li in payload.get("line_items") or []
    ]


def shipped_line(item: dict[str, Any]) -> ShippedLine:
    line = item["lineItem"]
    variant = line.get("variant") or {}
    quantity = int(item["quantity"] or 0)
    return ShippedLine(str(variant.get("id") or ""), line.get("sku") or "", quantity)


def _cursor() -> tuple[str, str]:
    """The job's cursor: the newest Shopify change read, and the newest link seen (ISO)."""
    raw = load_cursor(JOB)
    if not raw:
        return "", ""
    data = json.loads(raw)
    return str(data.get("updated") or ""), str(data.get("linked") or "")


def _oldest(where: Any) -> datetime | None:
    """The TikTok creation time of the oldest order matching ``where``."""
    row = (
        TikTokOrderRow.select(TikTokOrderRow.created_at)
        .where(where)
        .order_by(TikTokOrderRow.created_at)
        .first()
    )
    return None if row is None else row.created_at


def _newest_link() -> datetime | None:
    row = (
        TikTokOrderRow.select(TikTokOrderRow.synced_at)
        .where((TikTokOrderRow.shopify_order_id != "") & TikTokOrderRow.synced_at.is_null(False))
        .order_by(TikTokOrderRow.synced_at.desc())
        .first()
    )
    return None if row is None else row.synced_at


def _later(cursor: str, updated_at: str) -> str:
    if not cursor:
        return updated_at
    return max(cursor, updated_at, key=datetime.fromisoformat)


def automap_carriers(carriers: list[str]) -> None:
    """Map the carriers that have no mapping and bear a TikTok provider's name (as cached).

    Only for carriers new to us (and all of them before the first mapping): one the
    merchant unmapped on purpose stays unmapped.
    """
    providers = sorted(
        {p for options in cached_providers().values() for p in options}, key=_by_name
    )
    for carrier in carriers:
        if not carrier or any(m.carrier == carrier for m in all_mappings()):
            continue
        suggestion = suggest_provider(carrier, [], providers)
        if suggestion is not None and suggestion.score >= 1.0:
            save_mapping(
                carrier, suggestion.provider_id, suggestion.provider_name, source="suggested"
            )
            record_activity(
                JOB,
                "map",
                f"Carrier {carrier!r} mapped to {suggestion.provider_name} (same name)",
                subject=carrier,
            )


def _by_name(provider: Provider) -> str:
    return provider.name
