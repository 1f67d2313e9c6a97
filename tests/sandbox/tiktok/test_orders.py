"""Orders over HTTP: arrival, lifecycle, per-unit lines, pagination, shipping."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from .conftest import World

SEARCH = "/order/202309/orders/search"
USPS = "7117858858072016686"


def _walk(world: World, body: dict[str, Any], size: int = 13, **query: str) -> list[dict]:  # type: ignore[type-arg]
    orders, token, totals = [], "", set()
    while True:
        q = {"page_size": str(size), **query} | ({"page_token": token} if token else {})
        data = world.ok("POST", SEARCH, query=q, body=body)
        orders += data["orders"]
        totals.add(data["total_count"])
        token = data["next_page_token"]
        if not token:
            assert len(totals) == 1 and totals.pop() == len(orders)
            return orders


def test_pagination_walks_every_order_exactly_once(world: World) -> None:
    orders = _walk(world, {}, sort_field="update_time", sort_order="ASC")
    ids = [o["id"] for o in orders]
    assert len(ids) == len(set(ids)) == len(world.shop.snapshot()["orders"])
    times = [o["update_time"] for o in orders]
    assert times == sorted(times)


def test_page_token_from_another_query_is_refused(world: World) -> None:
    data = world.ok("POST", SEARCH, query={"page_size": "5"}, body={})
    response = world.call(
        "POST",
        SEARCH,
        query={"page_size": "5", "page_token": data["next_page_token"]},
        body={"order_status": "COMPLETED"},
    )
    assert response.json()["code"] == 36009004


def test_orders_progress_as_the_clock_advances(busy: World) -> None:
    busy.clock.advance(20 * 60)
    unpaid_or_hold = _walk(busy, {})
    assert {"UNPAID", "ON_HOLD"} & {o["status"] for o in unpaid_or_hold}
    on_hold = [o for o in unpaid_or_hold if o["status"] == "ON_HOLD"]
    assert on_hold and all(o["is_on_hold_order"] for o in on_hold)
    busy.clock.advance(3600 + 601)
    detail = busy.ok(
        "GET", "/order/202507/orders", query={"ids": ",".join(o["id"] for o in on_hold[:50])}
    )["orders"]
    for order in detail:
        assert order["status"] in ("AWAITING_SHIPMENT", "CANCELLED")
        assert order["update_time"] > order["create_time"]
        if order["status"] == "AWAITING_SHIPMENT":
            assert order["rts_sla_time"] > order["paid_time"] > 0
            assert order["packages"]
    cancelled = [o for o in _walk(busy, {"order_status": "CANCELLED"})]
    for order in cancelled:
        assert order["cancellation_initiator"] == "BUYER" and order["cancel_reason"]


def test_update_time_filter_sees_changes(busy: World) -> None:
    busy.clock.advance(600)
    mark = busy.clock.now_int()
    busy.clock.advance(2 * 3600)
    busy.shop.set_order_rate(0)
    changed = _walk(busy, {"update_time_ge": mark})
    assert changed and all(o["update_time"] >= mark for o in changed)


def test_line_items_are_one_per_unit_and_buyer_is_masked(world: World) -> None:
    orders = _walk(world, {}, size=100)
    lines = [li for o in orders for li in o["line_items"]]
    assert all("quantity" not in li for li in lines)
    assert len({li["id"] for li in lines}) == len(lines)
    assert any(
        n > 1 for o in orders for n in Counter(li["sku_id"] for li in o["line_items"]).values()
    )
    for order in orders:
        address = order["recipient_address"]
        assert "***" in address["name"] and address["phone_number"].startswith("(+1)")
        assert order["buyer_email"].endswith("@scs.tiktokw.us")
        payment = order["payment"]
        assert all(isinstance(v, str) for v in payment.values())
    assert any(li["seller_sku"].startswith("TT-LIVE-") for li in lines)


def _awaiting(world: World) -> dict[str, Any]:
    world.clock.advance(2 * 3600)
    orders = _walk(world, {"order_status": "AWAITING_SHIPMENT", "shipping_type": "SELLER"})
    return next(
        o
        for o in orders
        if o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and o["delivery_option_name"] == "Standard Shipping"
    )


def test_mark_shipped_moves_the_order_on(busy: World) -> None:
    order = _awaiting(busy)
    path = f"/fulfillment/202309/orders/{order['id']}/packages"
    lines = [li["id"] for li in order["line_items"]]
    bad_provider = {
        "order_line_item_ids": lines,
        "tracking_number": "9400111899223856789012",
        "shipping_provider_id": "7000000000000000000",
    }
    assert busy.call("POST", path, body=bad_provider).json()["code"] == 21011022
    bad_number = bad_provider | {"shipping_provider_id": USPS, "tracking_number": "1Z999"}
    assert busy.call("POST", path, body=bad_number).json()["code"] == 21004015
    good = bad_provider | {"shipping_provider_id": USPS}
    shipped = busy.ok("POST", path, body=good)
    assert shipped["order_id"] == order["id"] and shipped["package_id"]
    after = busy.ok("GET", "/order/202309/orders", query={"ids": order["id"]})["orders"][0]
    assert after["status"] == "IN_TRANSIT"
    assert after["tracking_number"] == good["tracking_number"]
    assert after["update_time"] >= order["update_time"]
    assert busy.call("POST", path, body=good).json()["code"] == 21011006
    package = busy.ok("GET", f"/fulfillment/202309/packages/{shipped['package_id']}")
    assert package["package_status"] == "FULFILLING" and package["shipping_provider_id"] == USPS
    fix = {"tracking_number": "9400111899223856789099", "shipping_provider_id": USPS}
    busy.ok(
        "POST",
        f"/fulfillment/202309/packages/{shipped['package_id']}/shipping_info/update",
        body=fix,
    )
    busy.shop.set_order_rate(0)  # days pass; new orders would only slow the test
    busy.clock.advance(6 * 86400)
    delivered = busy.ok("GET", "/order/202309/orders", query={"ids": order["id"]})["orders"][0]
    assert delivered["status"] == "DELIVERED"
    assert delivered["tracking_number"] == fix["tracking_number"]


def test_partial_shipment_splits_the_package(busy: World) -> None:
    busy.clock.advance(2 * 3600)
    orders = _walk(busy, {"order_status": "AWAITING_SHIPMENT", "shipping_type": "SELLER"})
    order = next(
        o
        for o in orders
        if len(o["line_items"]) > 1 and o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
    )
    path = f"/fulfillment/202309/orders/{order['id']}/packages"
    first = {
        "order_line_item_ids": [order["line_items"][0]["id"]],
        "tracking_number": "1Z999AA10123456784",
        "shipping_provider_id": busy.shop.logistics.options[0].providers[1].id,
    }
    busy.ok("POST", path, body=first)
    after = busy.ok("GET", "/order/202309/orders", query={"ids": order["id"]})["orders"][0]
    assert after["status"] == "PARTIALLY_SHIPPING" and len(after["packages"]) == 2


def test_livestream_bursts_orders(busy: World) -> None:
    busy.clock.advance(600)
    calm = len(_walk(busy, {}, size=100))
    busy.shop.set_livestream(True)
    busy.clock.advance(600)
    burst = len(_walk(busy, {}, size=100)) - calm
    assert burst > 5 * calm


def test_same_seed_same_world() -> None:
    from tiktok_console.sandbox.catalog import generate_catalog
    from tiktok_console.sandbox.clock import SandboxClock
    from tiktok_console.sandbox.tiktok import TikTokShop

    def build() -> dict[str, Any]:
        clock = SandboxClock(start=1_750_000_000, speed=0.0)
        shop = TikTokShop.from_catalog(
            generate_catalog(seed=3), clock, seed=11, initial_orders=60, orders_per_minute=3
        )
        clock.advance(3600)
        return shop.snapshot()

    assert build() == build()


def test_samples_gifts_and_discounts_are_among_the_orders(world: World) -> None:
    orders = _walk(world, {}, size=100)
    lines = [li for o in orders for li in o["line_items"]]
    for li in lines:  # money is strings; what the buyer pays is net of both discounts
        paid = Decimal(li["original_price"]) - Decimal(li["seller_discount"])
        assert Decimal(li["sale_price"]) == paid - Decimal(li["platform_discount"])

    samples = [o for o in orders if o["is_sample_order"]]
    assert samples
    assert all(Decimal(li["sale_price"]) == 0 for o in samples for li in o["line_items"])
    gifts = [li for li in lines if li["is_gift"]]
    assert gifts and all(Decimal(li["sale_price"]) == 0 for li in gifts)
    sold = [
        li
        for o in orders
        if not o["is_sample_order"]
        for li in o["line_items"]
        if not li["is_gift"]
    ]
    assert any(Decimal(li["seller_discount"]) > 0 for li in sold)
    assert any(Decimal(li["platform_discount"]) > 0 for li in sold)


def test_the_orphan_rate_sets_how_many_orders_carry_a_seller_center_only_sku() -> None:
    from tiktok_console.sandbox.catalog import generate_catalog
    from tiktok_console.sandbox.clock import SandboxClock
    from tiktok_console.sandbox.tiktok import TikTokShop

    def share(rate: float) -> float:
        clock = SandboxClock(start=1_750_000_000, speed=0.0)
        catalog = generate_catalog(seed=3, products=24)
        shop = TikTokShop.from_catalog(
            catalog, clock, seed=11, initial_orders=300, orphan_rate=rate
        )
        only = {s.seller_sku for p in catalog.tiktok_only for s in p.skus}
        orders = shop.snapshot()["orders"]
        carrying = [o for o in orders if only & set(o["seller_skus"])]
        return len(carrying) / len(orders)

    usual = share(0.06)
    assert share(0.0) == 0
    assert 0.02 < usual < 0.12
    # Seller Center-only SKUs sell out too, so a higher rate is not that share of orders.
    assert share(0.5) > 2 * usual
