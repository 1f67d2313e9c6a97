"""Where an order's parcels are: Get Tracking (202309) and Get Logistics Tracking (202604).

Get Tracking lists the order's tracking events; the separate ``/logistics`` endpoint
(current spec, 202604) groups them by parcel with its tracking number and carrier.
Events come from what the world did to the order: the carrier picked the parcel up
(shipped), then delivered it.

Assumption: the current spec says Get Logistics Tracking is for cross-border orders;
the sandbox's shop is a local one and answers it for its own orders, so a client's
reading of the shape can be tested.
Assumption: TikTok documents no list of ``action_code`` values; the sandbox uses its
own two below.
"""

from __future__ import annotations

from typing import Any

from tiktok_console.sandbox.tiktok.orders import Order, Package
from tiktok_console.sandbox.tiktok.routing import Call, Endpoint

_PICKED_UP = (101, "PICKED_UP", "The carrier picked up the package.")
_DELIVERED = (501, "DELIVERED", "The package was delivered.")


def _events(order: Order, package: Package, now: int) -> list[tuple[int, tuple[int, str, str]]]:
    if not package.tracking_number or package.status not in ("FULFILLING", "COMPLETED"):
        return []
    picked_up = order.collection_time or package.update_time
    events = [(picked_up, _PICKED_UP)]
    if package.status == "COMPLETED" and order.delivery_time:
        events.append((order.delivery_time, _DELIVERED))
    # Newest first, as tracking pages show them.
    return sorted((e for e in events if e[0] <= now), key=lambda e: e[0], reverse=True)


def _packages(call: Call) -> tuple[Order, list[Package]]:
    book = call.shop.book
    order = book.get(call.path_params["order_id"])
    return order, [book.packages[p] for p in order.packages if p in book.packages]


def tracking(call: Call) -> dict[str, Any]:
    """Get Tracking (202309): the order's events, newest first."""
    order, packages = _packages(call)
    now = call.shop.clock.now_int()
    events = sorted(
        ((when, event) for p in packages for when, event in _events(order, p, now)),
        key=lambda e: e[0],
        reverse=True,
    )
    return {
        "tracking": [
            {"description": text, "update_time_millis": when * 1000}
            for when, (_, _, text) in events
        ]
    }


def logistics_tracking(call: Call) -> dict[str, Any]:
    """Get Logistics Tracking (202604): events grouped by parcel."""
    order, packages = _packages(call)
    now = call.shop.clock.now_int()
    details = []
    for package in packages:
        events = _events(order, package, now)
        if not events:
            continue
        details.append(
            {
                "newest_tracking_no": package.tracking_number,
                "carrier_name": package.provider_name,
                "track_list": [
                    {
                        "description": text,
                        "tracking_no": package.tracking_number,
                        "update_time_millis": when * 1000,
                        "action_code": code,
                        "action_code_name": name,
                    }
                    for when, (code, name, text) in events
                ],
            }
        )
    return {"order_id": order.id, "logistics_details": details}


ENDPOINTS = [
    Endpoint("GET", "fulfillment", ("202309",), "orders/{order_id}/tracking", tracking),
    Endpoint("GET", "logistics", ("202604",), "orders/{order_id}/tracking", logistics_tracking),
]
