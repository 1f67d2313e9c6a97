"""Create Packages: the seller buys a TikTok Shipping label for an order (US shops).

Served in the listed version (202309: ``order_id`` required, ``order_line_item_ids``)
and the current one (202512: ``ship_type`` required, ``order_line_item`` objects,
no ``order_id``/``order_line_item_ids`` in the reply). The label makes a package
with TikTok's carrier and tracking number; the carrier collects it when the
world ships the order (``fulfillment.auto_ship``), under that same number.

Assumption: labels are sold for orders on a TikTok-shipped delivery option only;
for an order the seller ships with its own carrier the answer is 21004008 (no
label service). Assumption: the one service is USPS Ground Advantage, 2-5 days,
priced $4.50 plus $0.90 a pound. Assumption: ship_type 3 (several orders in one
package) is refused as 21011012 "not match trade rule": the sandbox never combines.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError
from tiktok_console.sandbox.tiktok.fulfillment import package_for, tracking_for
from tiktok_console.sandbox.tiktok.logistics import USPS
from tiktok_console.sandbox.tiktok.order_book import OrderBook
from tiktok_console.sandbox.tiktok.orders import Order, Package
from tiktok_console.sandbox.tiktok.wire import money

CURRENT = "202512"
_INVALID = "Invalid parameters. Please ensure you are passing the correct request parameter(s)."
_GRAMS = {"GRAM": Decimal(1), "POUND": Decimal("453.59237")}
_MAX_GRAMS = Decimal(68000)  # the delivery options' weight limit


@dataclass(frozen=True)
class LabelService:
    """A shipping service TikTok sells labels for."""

    id: str
    name: str
    earliest_days: int
    latest_days: int

    def price(self, grams: Decimal) -> Decimal:
        """The label's price for a parcel of ``grams``."""
        pounds = (grams / _GRAMS["POUND"]).to_integral_value(rounding=ROUND_CEILING)
        return Decimal("4.50") + Decimal("0.90") * max(pounds, Decimal(1))


GROUND = LabelService("7208502187360519982", "USPS Ground Advantage", 2, 5)


@dataclass(frozen=True)
class LabelRequest:
    """What a Create Packages body asks for, read from either version."""

    order_id: str
    line_ids: list[str]
    dimension: dict[str, str] | None
    weight: dict[str, str] | None
    service_id: str


def read_request(body: dict[str, Any], version: str) -> LabelRequest:
    """The body of either version in one form; 21001001 for what the spec forbids."""
    if version == CURRENT:
        ship_type = str(body.get("ship_type", ""))
        if ship_type not in ("1", "2", "3"):
            raise ApiError(21001001, _INVALID)
        if ship_type == "3":
            raise ApiError(21011012, "not match trade rule")
        lines = body.get("order_line_item") or []
        if not isinstance(lines, list) or (ship_type == "2" and not lines):
            raise ApiError(21001001, _INVALID)
        if not all(isinstance(li, dict) and li.get("order_line_id") for li in lines):
            raise ApiError(21001001, _INVALID)
        line_ids = [str(li["order_line_id"]) for li in lines] if ship_type == "2" else []
    else:
        line_ids = [str(i) for i in body.get("order_line_item_ids") or []]
    order_id = str(body.get("order_id") or "")
    if not order_id:
        raise ApiError(21001001, _INVALID)
    return LabelRequest(
        order_id,
        line_ids,
        _measure(body.get("dimension"), ("length", "width", "height"), ("CM", "INCH")),
        _measure(body.get("weight"), ("value",), tuple(_GRAMS)),
        str(body.get("shipping_service_id") or ""),
    )


def _measure(raw: Any, names: tuple[str, ...], units: tuple[str, ...]) -> dict[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("unit") not in units:
        raise ApiError(21001001, _INVALID)
    try:
        values = {name: Decimal(str(raw[name])) for name in names}
    except (KeyError, ArithmeticError):
        raise ApiError(21001001, _INVALID) from None
    if any(v <= 0 for v in values.values()):
        raise ApiError(21001001, _INVALID)
    return {name: str(raw[name]) for name in names} | {"unit": str(raw["unit"])}


def buy_label(
    book: OrderBook, request: LabelRequest, *, after_sale_open: bool, now: int, rng: random.Random
) -> tuple[Order, Package, dict[str, Any]]:
    """Buy a label: returns the order, its new package and the reply's common fields."""
    order = book.get(request.order_id)
    _check_order(order, after_sale_open)
    if request.service_id and request.service_id != GROUND.id:
        raise ApiError(21004008, "create label shipping service not found")
    waiting = [li.id for li in order.line_items if li.package_status == "PROCESSING"]
    line_ids = request.line_ids or waiting
    if not set(line_ids) <= {li.id for li in order.line_items}:
        raise ApiError(21001001, _INVALID)
    if not set(line_ids) <= set(waiting):
        raise ApiError(21011006, "These orders are already shipped.")
    if any(book.packages[p].tracking_number and set(line_ids) & set(book.packages[p].line_item_ids)
           for p in order.packages if book.packages[p].status == "PROCESSING"):  # fmt: skip
        raise ApiError(21022025, "A shipping label has already been purchased.")
    grams = _grams(request.weight)
    if grams > _MAX_GRAMS:
        raise ApiError(
            11021009,
            "No available shipping services for this request. Please modify the package "
            "weight or check the recipient address.",
        )
    package = package_for(book, order, line_ids, now, rng)
    package.provider_id, package.provider_name = USPS.id, USPS.name
    package.tracking_number, package.update_time = tracking_for(USPS, rng), now
    reply = {
        "dimension": request.dimension or {"length": "", "width": "", "height": "", "unit": ""},
        "shipping_service_info": {
            "id": GROUND.id,
            "name": GROUND.name,
            "price": money(GROUND.price(grams)),
            "currency": order.currency,
            "earliest_delivery_days": GROUND.earliest_days,
            "latest_delivery_days": GROUND.latest_days,
            "shipping_provider_id": USPS.id,
            "shipping_provider_name": USPS.name,
        },
        "package_id": package.id,
        "weight": request.weight or {"value": "", "unit": ""},
        "create_time": now,
    }
    return order, package, reply


def _check_order(order: Order, after_sale_open: bool) -> None:
    if order.fulfillment_type == "FULFILLMENT_BY_TIKTOK":
        raise ApiError(21008025, "Seller cannot operate orders which are fulfilled by platform")
    if not order.option.tiktok_shipped:
        raise ApiError(21004008, "create label shipping service not found")
    if order.status in ("IN_TRANSIT", "DELIVERED", "COMPLETED"):
        raise ApiError(21011006, "These orders are already shipped.")
    if order.status not in ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"):
        raise ApiError(21011012, "not match trade rule")
    if after_sale_open:
        raise ApiError(
            21011007,
            "Package item has after-sale request, please process the after-sale request first.",
        )


def _grams(weight: dict[str, str] | None) -> Decimal:
    # Assumption: without a weight TikTok prices the label for its lightest parcel.
    if weight is None:
        return Decimal(1)
    return Decimal(weight["value"]) * _GRAMS[weight["unit"]]
