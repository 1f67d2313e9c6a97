"""What the sandbox's two stores say about shipments, for fulfillment tests.

Works on the world snapshot (``World.snapshot()`` in process, ``GET /state``
from another process): Shopify's shipments of TikTok orders, TikTok's record
of accepted shipping calls, and which shipments TikTok can take at all.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

State = dict[str, Any]


def shopify_shipments(state: State) -> list[dict[str, Any]]:
    """Every shipment of a TikTok order: TikTok order id, carrier, number, SKUs shipped."""
    found = []
    for order in state["shopify"]["orders"]:
        tiktok_id = next(
            (t.split(":", 1)[1] for t in order["tags"] if t.startswith("TikTokOrderID:")), None
        )
        if tiktok_id is None:
            continue
        skus = {line["id"]: line["sku"] for line in order["lineItems"]}
        for shipment in order["fulfillments"]:
            tracking = shipment["tracking"][0]
            shipped: Counter[str] = Counter()
            for line in shipment["lines"]:
                shipped[skus[line["lineItemId"]]] += line["quantity"]
            found.append(
                {
                    "id": shipment["id"],
                    "order_id": tiktok_id,
                    "carrier": tracking["company"],
                    "number": tracking["number"],
                    "skus": shipped,
                    "created_at": shipment["createdAt"],
                }
            )
    return found


def marks(state: State) -> list[dict[str, Any]]:
    """TikTok's accepted Mark Package As Shipped calls, in order."""
    return [c for c in state["tiktok"]["shipping_calls"] if c["call"] == "mark_shipped"]


def tiktok_can_take(state: State, shipped_before: float | None = None) -> set[tuple[str, str]]:
    """(TikTok order, tracking number) of every shipment an exact-name mapping gets through.

    From the sandbox alone: the order is shipped by the seller and not already
    shipped on TikTok by someone else, a provider named as the Shopify carrier
    serves the order's delivery option, and its format takes the number. With
    ``shipped_before`` (sandbox time), later shipments are left out.
    """
    orders = {o["id"]: o for o in state["tiktok"]["orders"]}
    options = {o["id"]: o["providers"] for o in state["tiktok"]["delivery_options"]}
    shipments = shopify_shipments(state)
    ours: dict[str, set[str]] = {}
    for shipment in shipments:
        ours.setdefault(shipment["order_id"], set()).add(shipment["number"])
    expected = set()
    for shipment in shipments:
        if shipped_before is not None and shipment["created_at"] > shipped_before:
            continue
        order = orders[shipment["order_id"]]
        elsewhere = {li["tracking_number"] for li in order["lines"]} - ours[order["id"]] - {""}
        if elsewhere:
            continue  # TikTok shipped it before the warehouse did
        if (
            order["fulfillment_type"] != "FULFILLMENT_BY_SELLER"
            or order["shipping_type"] != "SELLER"
        ):
            continue
        provider = next(
            (p for p in options[order["delivery_option_id"]] if p["name"] == shipment["carrier"]),
            None,
        )
        if provider is not None and re.fullmatch(provider["pattern"], shipment["number"]):
            expected.add((shipment["order_id"], shipment["number"]))
    return expected


def check_pushed_once(state: State) -> set[tuple[str, str]]:
    """Assert no shipment and no line went to TikTok twice; returns what went."""
    calls = marks(state)
    pushed = Counter((c["order_id"], c["tracking_number"]) for c in calls)
    assert not pushed or max(pushed.values()) == 1, [k for k, n in pushed.items() if n > 1]
    lines = Counter(line for c in calls for line in c["line_item_ids"])
    assert not lines or max(lines.values()) == 1
    return set(pushed)
