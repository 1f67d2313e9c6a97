"""Product calls against the sandbox: what we read matches the shop, what we write sticks."""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal

import pytest

from tests.stores.tiktok_api.conftest import collect
from tiktok_console.domain.money import Money
from tiktok_console.sandbox.runner import SandboxRunner
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.products import (
    AttributeValueIn,
    CreateProductRequest,
    ImageRef,
    NewSku,
    NewSkuAttribute,
    PackageWeightIn,
    PartialEditRequest,
    ProductAttributeIn,
    SearchProductsRequest,
    SkuPriceUpdate,
    SkuStockUpdate,
    WarehouseStock,
)


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00" * width * 3 for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))


async def test_search_finds_every_product_of_the_shop(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    found = await collect(api.search_products(page_size=5))
    skus = sandbox.world.tiktok.snapshot()["skus"]
    assert sorted(p.id for p in found) == sorted({s["product_id"] for s in skus})
    by_sku = {s.id: s for p in found for s in p.skus}
    for expected in skus:
        assert by_sku[expected["sku_id"]].seller_sku == expected["seller_sku"]
        assert by_sku[expected["sku_id"]].price.sale_price == Money.parse(expected["price"], "USD")


async def test_search_filters_by_seller_sku(api: TikTokShopApi, sandbox: SandboxRunner) -> None:
    wanted = sandbox.world.tiktok.snapshot()["skus"][0]
    filters = SearchProductsRequest(seller_skus=[wanted["seller_sku"]])
    found = await collect(api.search_products(filters))
    assert [p.id for p in found] == [wanted["product_id"]]


async def test_inventory_update_reads_back_through_get_product(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    sku = next(s for s in sandbox.world.tiktok.snapshot()["skus"] if s["status"] == "ACTIVATE")
    stock = [WarehouseStock(warehouse_id=w, quantity=q + 7) for w, q in sku["inventory"].items()]
    result = await api.update_inventory(
        sku["product_id"], [SkuStockUpdate(id=sku["sku_id"], inventory=stock)]
    )
    assert result.ok
    product = await api.get_product(sku["product_id"])
    read = product.sku(sku["sku_id"])
    assert read is not None
    assert {w.warehouse_id: w.quantity for w in read.inventory} == {
        w: q + 7 for w, q in sku["inventory"].items()
    }


async def test_price_update_and_the_promotion_lock(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    skus = sandbox.world.tiktok.snapshot()["skus"]
    free = next(s for s in skus if not s["price_locked"])
    new_price = Money(Decimal("42.50"), "USD")
    await api.update_prices(
        free["product_id"], [SkuPriceUpdate(id=free["sku_id"], price=new_price)]
    )
    product = await api.get_product(free["product_id"])
    read = product.sku(free["sku_id"])
    assert read is not None and read.price.sale_price == new_price
    locked = next(s for s in skus if s["price_locked"])
    with pytest.raises(RequestRejectedError) as raised:
        await api.update_prices(
            locked["product_id"], [SkuPriceUpdate(id=locked["sku_id"], price=new_price)]
        )
    assert raised.value.code == "12052038"  # Product price locked due to ongoing promotion


async def test_create_with_an_idempotency_key_creates_once_then_edit_and_relist(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    image = await api.upload_image(_png(640, 480))
    assert (image.width, image.height) == (640, 480) and image.uri
    warehouse = next(w for w in await api.warehouses() if w.is_sales)
    request = CreateProductRequest(
        title="Linen Apron",
        description="<p>Washed linen.</p>",
        category_id="601152",  # a leaf: Women's Tops
        category_version="v2",
        product_attributes=[
            ProductAttributeIn(id="100198", values=[AttributeValueIn(name="Harbor & Pine")])
        ],
        main_images=[ImageRef(uri=image.uri)],
        skus=[
            NewSku(
                seller_sku="APRON-1",
                price=Money(Decimal("24.00"), "USD"),
                inventory=[WarehouseStock(warehouse_id=warehouse.id, quantity=5)],
                sales_attributes=[NewSkuAttribute(name="Color", value_name="Sand")],
            )
        ],
        package_weight=PackageWeightIn(value=Decimal("0.4"), unit="KILOGRAM"),
        idempotency_key="create-apron-1",
    )
    before = len(sandbox.world.tiktok.snapshot()["skus"])
    first = await api.create_product(request)
    again = await api.create_product(request)
    assert first.product_id == again.product_id
    assert [s.seller_sku for s in first.skus] == ["APRON-1"]
    assert len(sandbox.world.tiktok.snapshot()["skus"]) == before + 1

    edited = await api.edit_product_partially(
        first.product_id, PartialEditRequest(title="Washed Linen Apron")
    )
    assert edited.product_id == first.product_id
    assert (await api.get_product(first.product_id)).title == "Washed Linen Apron"


async def test_deactivate_then_activate_moves_the_listing(
    api: TikTokShopApi, sandbox: SandboxRunner
) -> None:
    live = next(s for s in sandbox.world.tiktok.snapshot()["skus"] if s["status"] == "ACTIVATE")
    assert (await api.deactivate_products([live["product_id"]])).ok
    assert (await api.get_product(live["product_id"])).status == "SELLER_DEACTIVATED"
    result = await api.activate_products([live["product_id"], "1700000000000000000"])
    assert [e.detail.product_id for e in result.errors] == ["1700000000000000000"]
    assert (await api.get_product(live["product_id"])).status == "ACTIVATE"


async def test_status_changes_are_sent_twenty_ids_at_a_time(api: TikTokShopApi) -> None:
    unknown = [f"17000000000000000{n:02d}" for n in range(45)]
    result = await api.deactivate_products(unknown)  # one call would be refused (max 20)
    assert sorted(e.detail.product_id for e in result.errors) == sorted(unknown)
