"""Shipping orders: mark package shipped, fix tracking, and packages as TikTok shows them.

The seller ships with its own carrier and tells TikTok the provider (one of
the order's delivery option's providers) and the tracking number; TikTok
refuses unknown carriers and numbers the carrier never issues.
"""

from __future__ import annotations

import random
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.logistics import (
    AMAZON,
    DHL_ECOMMERCE,
    FEDEX,
    LASERSHIP,
    ONTRAC,
    UPS,
    USPS,
    Provider,
    check_tracking,
)
from tiktok_console.sandbox.tiktok.order_book import OrderBook
from tiktok_console.sandbox.tiktok.orders import Order, Package
from tiktok_console.sandbox.tiktok.wire import new_id

_SHIPPABLE = ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING")
MAX_TRACKING_UPDATES = 3  # Assumption: "a limited number of times" (21011052) is three.


def mark_shipped(
    book: OrderBook, order_id: str, body: dict[str, Any], now: int, rng: random.Random
) -> dict[str, Any]:
    """Mark Package As Shipped for some or all of an order's line items."""
    order = book.get(order_id)
    if order.fulfillment_type == "FULFILLMENT_BY_TIKTOK":
        raise ApiError(21008025, "Seller cannot operate orders which are fulfilled by platform")
    if order.option.tiktok_shipped:
        raise ApiError(
            21011004,
            "This API cannot be used to update package shipping "
            "information for packages that are not shipped by sellers.",
        )
    if order.status not in _SHIPPABLE:
        if order.status in ("IN_TRANSIT", "DELIVERED", "COMPLETED"):
            raise ApiError(21011006, "These orders are already shipped.")
        raise ApiError(21011012, "not match trade rule")
    provider = check_tracking(
        order.option,
        str(body.get("shipping_provider_id", "")),
        str(body.get("tracking_number", "")),
    )
    line_ids = [str(i) for i in body.get("order_line_item_ids") or []] or [
        li.id for li in order.line_items if li.package_status == "PROCESSING"
    ]
    lines = [order.line(i) for i in line_ids]
    if any(li is None for li in lines):
        raise ApiError(
            21001001,
            "Invalid parameters. Please ensure you are passing the correct request parameter(s).",
        )
    if any(li is not None and li.package_status != "PROCESSING" for li in lines):
        raise ApiError(21008099, "Package has been shipped. Please not ship the package again.")
    package = package_for(book, order, line_ids, now, rng)
    _ship(book, order, package, provider, str(body["tracking_number"]), now)
    book.shipping_calls.append(
        {
            "call": "mark_shipped",
            "order_id": order.id,
            "package_id": package.id,
            "line_item_ids": list(line_ids),
            "tracking_number": str(body["tracking_number"]),
            "shipping_provider_id": provider.id,
            "time": now,
        }
    )
    # Assumption: the warning object is always present, with an empty message when all is well.
    return {
        "order_id": order.id,
        "order_line_item_ids": line_ids,
        "package_id": package.id,
        "warning": {"message": ""},
    }


def auto_ship(book: OrderBook, order: Order, now: int, rng: random.Random) -> None:
    """Ship everything as the seller (or TikTok) would outside the API."""
    if order.status not in _SHIPPABLE:
        return
    options = order.option.providers or (USPS,)
    # Labels bought through Create Packages leave with their carrier and number.
    for package in [book.packages[p] for p in order.packages]:
        if package.status == "PROCESSING" and package.tracking_number:
            carrier = next((c for c in (*options, USPS) if c.id == package.provider_id), USPS)
            _ship(book, order, package, carrier, package.tracking_number, now)
    lines = [li.id for li in order.line_items if li.package_status == "PROCESSING"]
    if lines:
        provider = rng.choice(options)
        package = package_for(book, order, lines, now, rng)
        _ship(book, order, package, provider, tracking_for(provider, rng), now)


def update_shipping_info(
    book: OrderBook, package: Package, body: dict[str, Any], now: int
) -> dict[str, Any]:
    """Update (Package) Shipping Info: fix the tracking of a shipped package."""
    order = book.get(package.order_id)
    if order.status == "CANCELLED":
        raise ApiError(21011042, "Cannot complete the operation when order is cancelled.")
    if order.option.tiktok_shipped:
        raise ApiError(
            21011004,
            "This API cannot be used to update package shipping "
            "information for packages that are not shipped by sellers.",
        )
    if package.status == "PROCESSING":
        raise ApiError(21011043, "The package has not been shipped yet.")
    if package.status == "COMPLETED":
        raise ApiError(
            21011030,
            "Package has already been delivered. If you would still like "
            "to update the tracking number, please contact the platform for assistance.",
        )
    if package.tracking_updates >= MAX_TRACKING_UPDATES:
        raise ApiError(
            21011052, "The tracking number can only be updated a limited number of times."
        )
    provider = check_tracking(
        order.option,
        str(body.get("shipping_provider_id", "")),
        str(body.get("tracking_number", "")),
    )
    package.tracking_updates += 1
    _set_tracking(order, package, provider, str(body["tracking_number"]), now)
    order.touch(now)
    book.shipping_calls.append(
        {
            "call": "update_shipping_info",
            "order_id": order.id,
            "package_id": package.id,
            "line_item_ids": list(package.line_item_ids),
            "tracking_number": str(body["tracking_number"]),
            "shipping_provider_id": provider.id,
            "time": now,
        }
    )
    return {}


def order_package(book: OrderBook, order_id: str) -> Package:
    """The shipped package of an order (Update Shipping Info works per order)."""
    order = book.get(order_id)
    shipped = [book.packages[p] for p in order.packages if book.packages[p].status != "PROCESSING"]
    if not shipped:
        raise ApiError(21011043, "The package has not been shipped yet.")
    if len(shipped) > 1:
        raise ApiError(
            21011048,
            "There are multiple packages that can be shipped, please "
            "specify the order line that needs to be shipped.",
        )
    return shipped[0]


def tracking_for(provider: Provider, rng: random.Random) -> str:
    """A tracking number in ``provider``'s format."""

    def digits(n: int) -> str:
        return "".join(str(rng.randrange(10)) for _ in range(n))

    letters = "ABCDEFGHJKLMNPRSTVWXYZ0123456789"
    if provider is UPS:
        return "1Z" + "".join(rng.choice(letters) for _ in range(16))
    if provider is AMAZON:
        return "TBA" + digits(12)
    if provider is ONTRAC:
        return "C" + digits(14)
    if provider is LASERSHIP:
        return "1LS" + digits(12)
    if provider is DHL_ECOMMERCE:
        return "GM" + digits(16)
    if provider is FEDEX:
        return digits(12)
    return "9400" + digits(18)  # USPS


def package_for(
    book: OrderBook, order: Order, line_ids: list[str], now: int, rng: random.Random
) -> Package:
    """The order's open package if it holds exactly these lines, else a split-off one."""
    for package_id in order.packages:
        package = book.packages[package_id]
        if package.status == "PROCESSING" and sorted(package.line_item_ids) == sorted(line_ids):
            return package
    package = Package(new_id(rng, "115"), order.id, list(line_ids), "PROCESSING", now, now)
    book.packages[package.id] = package
    order.packages.append(package.id)
    for package_id in order.packages[:-1]:
        old = book.packages[package_id]
        old.line_item_ids = [i for i in old.line_item_ids if i not in line_ids]
        if not old.line_item_ids and old.status == "PROCESSING":
            del book.packages[package_id]
            order.packages.remove(package_id)
    return package


def _ship(
    book: OrderBook, order: Order, package: Package, provider: Provider, tracking: str, now: int
) -> None:
    package.status = "FULFILLING"
    for line_id in package.line_item_ids:
        line = order.line(line_id)
        if line is not None:
            line.package_id, line.package_status = package.id, "FULFILLING"
    _set_tracking(order, package, provider, tracking, now)
    book.shipped(order, now)


def _set_tracking(
    order: Order, package: Package, provider: Provider, tracking: str, now: int
) -> None:
    package.provider_id, package.provider_name = provider.id, provider.name
    package.tracking_number, package.update_time = tracking, now
    order.provider_id, order.provider_name, order.tracking_number = (
        provider.id,
        provider.name,
        tracking,
    )
    for line_id in package.line_item_ids:
        line = order.line(line_id)
        if line is not None:
            line.provider_id, line.provider_name = provider.id, provider.name
            line.tracking_number = tracking


def shipped_view(book: OrderBook, order: Order) -> dict[str, Any]:
    """What the control app reports after an order was shipped outside the API."""
    return {
        "order_id": order.id,
        "status": order.status,
        "packages": [
            {
                "package_id": package.id,
                "status": package.status,
                "shipping_provider_id": package.provider_id,
                "shipping_provider_name": package.provider_name,
                "tracking_number": package.tracking_number,
                "line_item_ids": list(package.line_item_ids),
            }
            for package in (book.packages[p] for p in order.packages)
        ],
    }
