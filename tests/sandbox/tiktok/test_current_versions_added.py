"""Current-version endpoints served since session 5 (tiktok-current-versions.md):
Get Price Detail 202407, Get Tracking 202309 with Get Logistics Tracking 202604,
Search Aftersales Requests 202603 and Create Packages 202309/202512, called over
HTTP as an outside client would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import World

DAY = 86400
USPS = "7117858858072016686"
INVALID_VERSION = 36009014
NOT_THE_SELLERS = 21008111
INVALID_PARAM = 25001001
AFTERSALES = "/return_refund/202603/aftersales/search"
EVERYTHING = ["LINE_ITEMS", "RETURN_MERCHANDISE_AUTHORIZATIONS", "SKU_RETURN_REQUESTS"]


def _all(world: World, path: str, key: str, body: dict[str, Any] | None = None) -> list[Any]:
    items: list[Any] = []
    token = ""
    while True:
        query = {"page_size": "50"} | ({"page_token": token} if token else {})
        data = world.ok("POST", path, query=query, body=body or {})
        items += data[key]
        token = data["next_page_token"]
        if not token:
            return items


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/order/202309/orders/1/price_detail"),
        ("GET", "/order/202507/orders/1/price_detail"),
        ("GET", "/logistics/202309/orders/1/tracking"),
        ("GET", "/fulfillment/202604/orders/1/tracking"),
        ("POST", "/return_refund/202602/aftersales/search"),
        ("POST", "/return_refund/202309/aftersales/search"),
        ("POST", "/fulfillment/202510/packages"),
    ],
)
def test_a_version_the_endpoint_does_not_have_is_invalid(
    world: World, method: str, path: str
) -> None:
    body = None if method == "GET" else {}
    assert world.call(method, path, body=body).json()["code"] == INVALID_VERSION


# -- Get Price Detail 202407 ----------------------------------------------------------
def _d(value: str) -> Decimal:
    return Decimal(value)


def _adds_up(block: dict[str, Any]) -> None:
    """The documented formulas of one price block."""
    assert _d(block["total"]) == _d(block["sku_list_price"]) + _d(block["shipping_list_price"])
    assert _d(block["sku_sale_price"]) == _d(block["sku_list_price"]) - _d(
        block["subtotal_deduction_seller"]
    ) - _d(block["subtotal_deduction_platform"])
    assert _d(block["subtotal"]) == _d(block["sku_sale_price"]) + _d(block["subtotal_tax_amount"])
    assert _d(block["shipping_sale_price"]) == _d(block["shipping_list_price"]) - _d(
        block["shipping_fee_deduction_seller"]
    ) - _d(block["shipping_fee_deduction_platform"])
    assert _d(block["payment"]) == _d(block["sku_sale_price"]) + _d(
        block["shipping_sale_price"]
    ) + _d(block["tax_amount"])


PRICE_FIELDS = {"line_items", "cod_fee_net_amount", "distance_shipping_fee", "distance_fee"}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pick=st.integers(min_value=0, max_value=10_000))
def test_price_detail_adds_up_to_what_the_buyer_paid(world: World, pick: int) -> None:
    orders = world.shop.snapshot()["orders"]
    order_id = orders[pick % len(orders)]["id"]
    order = world.ok("GET", "/order/202507/orders", query={"ids": order_id})["orders"][0]
    detail = world.ok("GET", f"/order/202407/orders/{order_id}/price_detail")
    assert set(detail) >= PRICE_FIELDS
    _adds_up(detail)
    payment = order["payment"]
    assert detail["currency"] == payment["currency"]
    assert _d(detail["payment"]) == _d(payment["total_amount"])
    assert _d(detail["sku_sale_price"]) == _d(payment["sub_total"])
    assert _d(detail["tax_amount"]) == _d(payment["tax"])
    lines = detail["line_items"]
    assert [li["id"] for li in lines] == [li["id"] for li in order["line_items"]]
    for line in lines:
        _adds_up(line)
        assert line["seller_funded_product_promotions"] == []
        assert "cod_fee_amount" in line
    for name in ("total", "payment", "sku_list_price", "tax_amount", "shipping_list_price"):
        assert sum(_d(li[name]) for li in lines) == _d(detail[name]), name


def test_price_detail_of_an_order_not_the_sellers_is_refused(world: World) -> None:
    answer = world.call("GET", "/order/202407/orders/576000000000000000/price_detail").json()
    assert answer["code"] == NOT_THE_SELLERS


# -- Get Tracking 202309 and Get Logistics Tracking 202604 ----------------------------
def _awaiting(busy: World) -> dict[str, Any]:
    busy.advance(2 * 3600)
    orders = _all(busy, "/order/202309/orders/search", "orders",
                  {"order_status": "AWAITING_SHIPMENT", "shipping_type": "SELLER"})  # fmt: skip
    return next(
        o
        for o in orders
        if o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and o["delivery_option_name"] == "Standard Shipping"
    )


def _tracking(busy: World, order_id: str) -> tuple[list[Any], dict[str, Any]]:
    old = busy.ok("GET", f"/fulfillment/202309/orders/{order_id}/tracking")["tracking"]
    new = busy.ok("GET", f"/logistics/202604/orders/{order_id}/tracking")
    return old, new


def test_tracking_follows_the_parcel_from_pickup_to_delivery(busy: World) -> None:
    order = _awaiting(busy)
    assert _tracking(busy, order["id"]) == ([], {"order_id": order["id"], "logistics_details": []})

    number = "9400111899223856789012"
    busy.ok("POST", f"/fulfillment/202610/orders/{order['id']}/packages", body={
        "order_line_list": [{"order_line_id": li["id"]} for li in order["line_items"]],
        "shipping_info_list": [{"tracking_number": number, "shipping_provider_id": USPS}],
    })  # fmt: skip
    shipped_at = busy.clock.now_int()
    old, new = _tracking(busy, order["id"])
    assert [e["update_time_millis"] for e in old] == [shipped_at * 1000]
    (parcel,) = new["logistics_details"]
    assert parcel["newest_tracking_no"] == number and parcel["carrier_name"] == "USPS"
    assert [(e["tracking_no"], e["update_time_millis"]) for e in parcel["track_list"]] == [
        (number, shipped_at * 1000)
    ]

    busy.shop.set_order_rate(0)  # no new buyers: a week of them would only slow the world
    busy.advance(7 * DAY)  # past any transit time
    delivered = busy.ok("GET", "/order/202507/orders", query={"ids": order["id"]})["orders"][0]
    assert delivered["status"] in ("DELIVERED", "COMPLETED")
    old, new = _tracking(busy, order["id"])
    times = [e["update_time_millis"] for e in old]
    assert times == sorted(times, reverse=True) and len(times) == 2
    assert times[0] == delivered["delivery_time"] * 1000
    (parcel,) = new["logistics_details"]
    assert [e["description"] for e in parcel["track_list"]] == [e["description"] for e in old]
    assert all(isinstance(e["action_code"], int) and e["action_code_name"]
               for e in parcel["track_list"])  # fmt: skip


def test_tracking_of_an_order_not_the_sellers_is_refused(world: World) -> None:
    for path in ("/fulfillment/202309/orders/1/tracking", "/logistics/202604/orders/1/tracking"):
        assert world.call("GET", path).json()["code"] == NOT_THE_SELLERS


# -- Search Aftersales Requests 202603 ------------------------------------------------
def _aftersales(world: World, body: dict[str, Any], size: int = 10) -> list[Any]:
    items: list[Any] = []
    token = ""
    while True:
        pagination = {"page_size": size} | ({"page_token": token} if token else {})
        data = world.ok("POST", AFTERSALES, body=body | {"pagination": pagination})
        items += data["aftersales_requests"]
        token = data["next_page_token"]
        if not token:
            assert data["total_count"] == len(items)
            return items


def test_every_return_is_an_aftersales_request_in_the_current_shape(world: World) -> None:
    returns = _all(world, "/return_refund/202602/returns/search", "return_orders")
    requests = _aftersales(world, {"whitelisted_data_fields": EVERYTHING})
    assert returns and len(requests) == len(returns)
    by_return = {r["sku_return_requests"][0]["return_id"]: r for r in requests}
    assert set(by_return) == {r["return_id"] for r in returns}
    pending = {"RETURN_OR_REFUND_REQUEST_PENDING", "REPLACEMENT_REQUEST_PENDING"}
    for ret in returns:
        request = by_return[ret["return_id"]]
        (sku_request,) = request["sku_return_requests"]
        for same in ("order_id", "return_type", "return_status", "refund_amount",
                     "seller_next_action_response", "create_time", "update_time"):  # fmt: skip
            assert sku_request[same] == ret[same], same
        assert sku_request["buyer_keep_item"] == ret["can_buyer_keep_item"]
        assert set(sku_request["shipping_fee"]) == {
            "seller_paid_return_shipping_fee_amount", "buyer_paid_return_shipping_fee_amount",
            "platform_paid_return_shipping_fee_amount",
        }  # fmt: skip
        assert "discount_amount" not in sku_request and "partial_refund" not in sku_request
        waiting = ret["return_status"] in pending
        assert request["status"] == (
            "PENDING_REQUEST_REVIEW" if waiting else "REQUEST_REVIEW_COMPLETED"
        )
        assert [li["sku_return_request_id"] for li in request["line_items"]] == [
            ret["return_id"] for _ in ret["return_line_items"]
        ]
        for rma in request["return_merchandise_authorizations"]:
            assert ret["return_type"] in ("RETURN_AND_REFUND", "REPLACEMENT") and not waiting
            assert rma["aftersales_request_id"] == request["id"]
            if ret["return_status"] == "AWAITING_BUYER_SHIP":
                assert rma["status"] == "AWAITING_BUYER_RETURN"


def test_aftersales_filters_and_data_fields(world: World) -> None:
    bare = _aftersales(world, {})
    assert bare and all(set(r) == {"id", "status"} for r in bare)
    for status in ("PENDING_REQUEST_REVIEW", "REQUEST_REVIEW_COMPLETED"):
        filters = {"aftersales_request_statuses": [status]}
        found = _aftersales(world, {"filters": filters})
        assert [r["id"] for r in found] == [r["id"] for r in bare if r["status"] == status]
    order_id = _aftersales(world, {"whitelisted_data_fields": ["LINE_ITEMS"]})[0]["line_items"][0][
        "main_order_id"
    ]
    of_order = _aftersales(
        world,
        {"filters": {"main_order_ids": [order_id]}, "whitelisted_data_fields": ["LINE_ITEMS"]},
    )
    assert of_order and all(
        li["main_order_id"] == order_id for r in of_order for li in r["line_items"]
    )
    one = bare[0]["id"]
    assert [
        r["id"] for r in _aftersales(world, {"filters": {"aftersales_request_ids": [one]}})
    ] == [one]
    oldest_first = _aftersales(world, {"sort": {"sort_field": "CREATE_TIME", "sort_order": "ASC"}})
    assert [r["id"] for r in oldest_first] != [r["id"] for r in bare] or len(bare) == 1
    assert sorted(r["id"] for r in oldest_first) == sorted(r["id"] for r in bare)


@pytest.mark.parametrize(
    "body",
    [
        {"filters": {"aftersales_request_statuses": ["WAITING"]}},
        {"whitelisted_data_fields": ["EVERYTHING"]},
        {"sort": {"sort_field": "AMOUNT"}},
        {"pagination": {"page_size": 500}},
    ],
)
def test_aftersales_search_refuses_what_the_spec_does_not_allow(
    world: World, body: dict[str, Any]
) -> None:
    assert world.call("POST", AFTERSALES, body=body).json()["code"] == INVALID_PARAM


# -- Create Packages 202309 and 202512 ------------------------------------------------
CREATE_LISTED = "/fulfillment/202309/packages"
CREATE_CURRENT = "/fulfillment/202512/packages"
PARCEL = {
    "dimension": {"length": "30", "width": "20", "height": "10", "unit": "CM"},
    "weight": {"value": "900", "unit": "GRAM"},
}


def _waiting_orders(busy: World, shipping_type: str) -> list[dict[str, Any]]:
    busy.advance(2 * 3600)
    body = {"order_status": "AWAITING_SHIPMENT", "shipping_type": shipping_type}
    return _all(busy, "/order/202309/orders/search", "orders", body)


def _label_orders(busy: World) -> list[dict[str, Any]]:
    orders = [
        o
        for o in _waiting_orders(busy, "TIKTOK")
        if o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
    ]
    assert len(orders) >= 2, "the busy world has no two TikTok-shipped orders to label"
    return orders


def test_create_packages_202512_buys_a_label_the_carrier_then_collects(busy: World) -> None:
    order = _label_orders(busy)[0]
    body = {"ship_type": "1", "order_id": order["id"]} | PARCEL
    reply = busy.ok("POST", CREATE_CURRENT, body=body)
    assert "order_id" not in reply and "order_line_item_ids" not in reply
    assert reply["dimension"] == PARCEL["dimension"] and reply["weight"] == PARCEL["weight"]
    service = reply["shipping_service_info"]
    assert service["shipping_provider_name"] == "USPS" and service["currency"] == "USD"
    assert Decimal(service["price"]) > 0
    assert service["earliest_delivery_days"] <= service["latest_delivery_days"]
    package = busy.ok("GET", f"/fulfillment/202309/packages/{reply['package_id']}")
    number = package["tracking_number"]
    assert number and package["shipping_provider_name"] == "USPS"
    again = busy.call("POST", CREATE_CURRENT, body=body).json()
    assert again["code"] == 21022025  # one label per parcel

    busy.shop.set_order_rate(0)
    busy.advance(2 * DAY)  # the carrier collects TikTok-shipped orders within 40 h
    shipped = busy.ok("GET", "/order/202507/orders", query={"ids": order["id"]})["orders"][0]
    assert shipped["status"] in ("IN_TRANSIT", "DELIVERED")
    assert shipped["tracking_number"] == number


def test_create_packages_202309_names_the_order_and_its_lines(busy: World) -> None:
    order = _label_orders(busy)[1]
    line_ids = [li["id"] for li in order["line_items"]]
    reply = busy.ok("POST", CREATE_LISTED, body={"order_id": order["id"]} | PARCEL)
    assert reply["order_id"] == order["id"]
    assert sorted(reply["order_line_item_ids"]) == sorted(line_ids)


def test_create_packages_refuses_orders_it_cannot_label(busy: World) -> None:
    seller_shipped = _waiting_orders(busy, "SELLER")[0]
    fbt = [
        o
        for o in _all(busy, "/order/202309/orders/search", "orders")
        if o["fulfillment_type"] == "FULFILLMENT_BY_TIKTOK"
    ]
    cases = [({"ship_type": "1", "order_id": seller_shipped["id"]}, 21004008)]
    if fbt:
        cases.append(({"ship_type": "1", "order_id": fbt[0]["id"]}, 21008025))
    for body, code in cases:
        assert busy.call("POST", CREATE_CURRENT, body=body).json()["code"] == code, body


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"order_id": "{id}"}, 21001001),  # 202512 needs ship_type
        ({"ship_type": "2", "order_id": "{id}"}, 21001001),  # part of an order: which lines?
        ({"ship_type": "3", "order_list_ids": ["{id}", "{id}"]}, 21011012),
        ({"ship_type": "1", "order_id": "{id}", "weight": {"value": "200", "unit": "POUND"}},
         11021009),
        ({"ship_type": "1", "order_id": "{id}", "weight": {"value": "1", "unit": "KG"}}, 21001001),
        ({"ship_type": "1", "order_id": "{id}", "shipping_service_id": "1"}, 21004008),
    ],
)  # fmt: skip
def test_create_packages_202512_checks_its_body(
    busy: World, body: dict[str, Any], code: int
) -> None:
    order_id = _label_orders(busy)[0]["id"]
    filled = {
        k: (v.replace("{id}", order_id) if isinstance(v, str) else
            [i.replace("{id}", order_id) for i in v] if isinstance(v, list) else v)
        for k, v in body.items()
    }  # fmt: skip
    assert busy.call("POST", CREATE_CURRENT, body=filled).json()["code"] == code
