"""Fulfillment and logistics calls: tracking pushed to the sandbox moves the order."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stores.tiktok_api.conftest import collect
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.fulfillment import SearchPackagesRequest


def _seller_order(sandbox: SandboxRunner) -> dict[str, Any]:
    return next(
        o
        for o in sandbox.world.tiktok.snapshot()["orders"]
        if o["status"] == "AWAITING_SHIPMENT" and o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
    )


def _order(sandbox: SandboxRunner, order_id: str) -> dict[str, Any]:
    return next(o for o in sandbox.world.tiktok.snapshot()["orders"] if o["id"] == order_id)


async def test_mark_shipped_then_fix_tracking(api: TikTokShopApi, sandbox: SandboxRunner) -> None:
    order = _seller_order(sandbox)
    providers = await api.shipping_providers(order["delivery_option_id"])
    usps = next(p for p in providers if p.name == "USPS")
    shipped = await api.mark_package_shipped(order["id"], "9400111899223344556677", usps.id)
    assert shipped.order_id == order["id"]
    assert sorted(shipped.order_line_item_ids) == sorted(order["line_item_ids"])
    assert _order(sandbox, order["id"])["status"] == "IN_TRANSIT"

    package = await api.get_package(shipped.package_id)
    assert package.tracking_number == "9400111899223344556677"
    assert package.shipping_provider_id == usps.id
    assert sum(s.quantity for o in package.orders for s in o.skus) == len(order["line_item_ids"])

    ups = next(p for p in providers if p.name == "UPS")
    await api.update_shipping_info(order["id"], "1Z999AA10123456784", ups.id)
    assert (await api.get_package(shipped.package_id)).tracking_number == "1Z999AA10123456784"
    await api.update_package_shipping_info(shipped.package_id, "1Z999AA10123456785", ups.id)
    after = _order(sandbox, order["id"])
    assert after["tracking_number"] == "1Z999AA10123456785"
    assert after["shipping_provider_id"] == ups.id


async def test_shipping_twice_is_refused_by_the_store(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    order = _seller_order(sandbox)
    providers = await api.shipping_providers(order["delivery_option_id"])
    usps = next(p for p in providers if p.name == "USPS")
    await api.mark_package_shipped(order["id"], "9400111899223344556677", usps.id)
    with pytest.raises(RequestRejectedError) as raised:
        await api.mark_package_shipped(order["id"], "9400111899223344556688", usps.id)
    assert raised.value.code == "21011006"  # already shipped


async def test_package_search_matches_the_shop(api: TikTokShopApi, sandbox: SandboxRunner) -> None:
    orders = sandbox.world.tiktok.snapshot()["orders"]
    expected = {p for o in orders for p in o["packages"]}
    found = await collect(api.search_packages(page_size=4))
    assert {p.id for p in found} == expected
    completed = await collect(
        api.search_packages(SearchPackagesRequest(package_status="COMPLETED"))
    )
    assert completed and all(p.status == "COMPLETED" for p in completed)
    assert len(completed) < len(found)


async def test_warehouses_offer_the_orders_delivery_options(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    warehouses = await api.warehouses()
    assert any(w.is_sales and w.is_default for w in warehouses)
    sales = [w for w in warehouses if w.is_sales]
    options = {o.id for w in sales for o in await api.delivery_options(w.id)}
    used = {o["delivery_option_id"] for o in sandbox.world.tiktok.snapshot()["orders"]}
    assert used <= options
