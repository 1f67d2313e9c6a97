"""Typed fulfillment and logistics calls: tracking pushes, packages, carriers.

Mark Package As Shipped and Update Package Shipping Info use the current 202610
versions (tracking in ``shipping_info_list``, lines in ``order_line_list``); the
order-level Update Shipping Info is unchanged at 202309.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from tiktok_console.stores.tiktok.api_base import ApiBase, body_of
from tiktok_console.stores.tiktok.models.common import Empty
from tiktok_console.stores.tiktok.models.fulfillment import (
    MarkShipped202610Request,
    MarkShippedResult,
    OrderLine,
    PackageDetail,
    PackagePage,
    PackageShippingInfoUpdate,
    PackageSummary,
    SearchPackagesRequest,
    ShippingInfo,
    ShippingInfoUpdate,
)
from tiktok_console.stores.tiktok.models.logistics import (
    DeliveryOption,
    DeliveryOptionList,
    ShippingProvider,
    ShippingProviderList,
    Warehouse,
    WarehouseList,
)

MARK_SHIPPED = "/fulfillment/202610/orders/{order_id}/packages"
ORDER_SHIPPING_INFO = "/fulfillment/202309/orders/{order_id}/shipping_info/update"
PACKAGE_SHIPPING_INFO = "/fulfillment/202610/packages/{package_id}/shipping_info/update"
PACKAGE = "/fulfillment/202309/packages/{package_id}"
PACKAGE_SEARCH = "/fulfillment/202309/packages/search"
WAREHOUSES = "/logistics/202309/warehouses"
DELIVERY_OPTIONS = "/logistics/202309/warehouses/{warehouse_id}/delivery_options"
SHIPPING_PROVIDERS = "/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers"


class FulfillmentApi(ApiBase):
    """Fulfillment and logistics (scopes Fulfillment Basic / Logistics Basic)."""

    async def mark_package_shipped(
        self,
        order_id: str,
        tracking_number: str,
        shipping_provider_id: str,
        order_line_item_ids: Sequence[str] | None = None,
    ) -> MarkShippedResult:
        """Ship (part of) a seller-shipped order with the seller's own carrier.

        Not retried after an ambiguous failure: a second call could ship twice;
        check the order's packages first.
        """
        lines = None
        if order_line_item_ids is not None:
            lines = [OrderLine(order_line_id=line_id) for line_id in order_line_item_ids]
        request = MarkShipped202610Request(
            order_line_list=lines,
            shipping_info_list=[
                ShippingInfo(
                    tracking_number=tracking_number, shipping_provider_id=shipping_provider_id
                )
            ],
        )
        return await self._call(
            MarkShippedResult,
            "POST",
            MARK_SHIPPED,
            path_params={"order_id": order_id},
            body=body_of(request),
            safe_to_repeat=False,
        )

    async def update_shipping_info(
        self, order_id: str, tracking_number: str, shipping_provider_id: str
    ) -> Empty:
        """Correct the tracking of a shipped order."""
        request = ShippingInfoUpdate(
            tracking_number=tracking_number, shipping_provider_id=shipping_provider_id
        )
        return await self._call(
            Empty,
            "POST",
            ORDER_SHIPPING_INFO,
            path_params={"order_id": order_id},
            body=body_of(request),
        )

    async def update_package_shipping_info(
        self, package_id: str, tracking_number: str, shipping_provider_id: str
    ) -> Empty:
        """Correct the tracking of one shipped package."""
        request = PackageShippingInfoUpdate(
            shipping_info_list=[
                ShippingInfo(
                    tracking_number=tracking_number, shipping_provider_id=shipping_provider_id
                )
            ]
        )
        return await self._call(
            Empty,
            "POST",
            PACKAGE_SHIPPING_INFO,
            path_params={"package_id": package_id},
            body=body_of(request),
        )

    async def get_package(self, package_id: str) -> PackageDetail:
        """One package with its orders, SKU counts, carrier and addresses."""
        return await self._call(
            PackageDetail, "GET", PACKAGE, path_params={"package_id": package_id}
        )

    async def search_packages(
        self, filters: SearchPackagesRequest | None = None, *, page_size: int = 50
    ) -> AsyncIterator[PackageSummary]:
        """Every package matching ``filters``, newest first."""
        pages = self._pages(
            PackagePage, "POST", PACKAGE_SEARCH, page_size=page_size, body=body_of(filters)
        )
        async for page in pages:
            for package in page.packages:
                yield package

    async def warehouses(self) -> list[Warehouse]:
        """The shop's warehouses (sales and returns)."""
        return (await self._call(WarehouseList, "GET", WAREHOUSES)).warehouses

    async def delivery_options(self, warehouse_id: str) -> list[DeliveryOption]:
        """The delivery options a warehouse ships with."""
        result = await self._call(
            DeliveryOptionList, "GET", DELIVERY_OPTIONS, path_params={"warehouse_id": warehouse_id}
        )
        return result.delivery_options

    async def shipping_providers(self, delivery_option_id: str) -> list[ShippingProvider]:
        """The carriers TikTok accepts for a delivery option."""
        result = await self._call(
            ShippingProviderList,
            "GET",
            SHIPPING_PROVIDERS,
            path_params={"delivery_option_id": delivery_option_id},
        )
        return result.shipping_providers
