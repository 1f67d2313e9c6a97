"""Where an order lives on the web: its page in the Shopify admin and in TikTok Seller Center.

The one place these addresses are built, so every page that offers "Open in
Shopify" or "Open in Seller Center" opens the same, tested address.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

SHOPIFY_ADMIN = "https://admin.shopify.com/store"
_MYSHOPIFY = ".myshopify.com"


def shopify_store_handle(shop: str) -> str:
    """``harbor-and-pine`` from ``harbor-and-pine.myshopify.com`` (or a full URL of it)."""
    host = shop.strip().removeprefix("https://").removeprefix("http://").split("/", 1)[0]
    return host.removesuffix(_MYSHOPIFY).lower()


def shopify_numeric_id(gid: str) -> str:
    """``5001`` from ``gid://shopify/Order/5001`` ("" when it holds no numeric id)."""
    tail = gid.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    return tail if tail.isdigit() else ""


def shopify_order_url(shop: str, order_gid: str) -> str:
    """The order's page in the Shopify admin; "" when the shop or the order is unknown."""
    handle, number = shopify_store_handle(shop), shopify_numeric_id(order_gid)
    if not handle or not number:
        return ""
    return f"{SHOPIFY_ADMIN}/{quote(handle)}/orders/{number}"


# Seller Center hosts are named for the market, not always its ISO code: the UK's
# shops (region GB) are at seller-uk. Assumption: other markets' hosts use the
# ISO code (seller-us, -my, -vn, -br, -es are seen in public code); TikTok
# documents none of these addresses.
_HOST_CODES = {"gb": "uk"}


def seller_center_host(region: str) -> str:
    """The region's Seller Center (``seller-us.tiktok.com``); US when the region is unknown."""
    code = (region or "US").strip().lower()
    code = _HOST_CODES.get(code, code)
    return (
        f"seller-{code}.tiktok.com" if code.isalpha() and len(code) == 2 else "seller-us.tiktok.com"
    )


def seller_center_order_url(region: str, order_id: str) -> str:
    """The order's detail page in the region's Seller Center; "" without an order id.

    ``/order/detail?order_no=…&shop_region=…`` (the region as TikTok names it, GB
    for the UK) is the form Seller Center's own links take in public automation
    code; it is not in TikTok's API documentation.
    """
    if not order_id:
        return ""
    query = urlencode({"order_no": order_id, "shop_region": (region or "US").upper()})
    return f"https://{seller_center_host(region)}/order/detail?{query}"
