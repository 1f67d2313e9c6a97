"""The typed TikTok Shop API: one async method per endpoint the console uses.

``TikTokShopApi(transport)`` gathers the per-area methods (``api_products``,
``api_orders``, ``api_fulfillment``, ``api_aftersales``, ``api_finance``).
Every method returns models from ``stores.tiktok.models``, never raw dicts;
a reply that does not fit its model raises ``StoreUnavailableError``.
"""

from __future__ import annotations

from tiktok_console.stores.tiktok.api_aftersales import AftersalesApi
from tiktok_console.stores.tiktok.api_finance import FinanceApi
from tiktok_console.stores.tiktok.api_fulfillment import FulfillmentApi
from tiktok_console.stores.tiktok.api_orders import OrdersApi
from tiktok_console.stores.tiktok.api_products import ProductsApi
from tiktok_console.stores.tiktok.models.auth import AuthorizedShop, AuthorizedShops

SHOPS = "/authorization/202309/shops"


class TikTokShopApi(ProductsApi, OrdersApi, FulfillmentApi, AftersalesApi, FinanceApi):
    """Typed calls for one shop over a ``TikTokTransport``.

    Args:
        transport: the signed transport of the shop (``shop_cipher`` set for
            shop-scoped calls; ``use_first_shop`` can set it).
    """

    async def authorized_shops(self) -> list[AuthorizedShop]:
        """The shops the token may act for, with their ciphers."""
        result = await self._call(AuthorizedShops, "GET", SHOPS, shop_scoped=False)
        return result.shops

    async def use_first_shop(self) -> AuthorizedShop:
        """Point the transport at the first authorized shop (one shop per profile)."""
        shops = await self.authorized_shops()
        if not shops:
            raise LookupError("the token is not authorized for any shop")
        self.transport.shop_cipher = shops[0].cipher
        return shops[0]
