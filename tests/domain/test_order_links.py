"""The addresses "Open in Shopify" and "Open in Seller Center" open."""

from hypothesis import given
from hypothesis import strategies as st

from tiktok_console.domain.order_links import (
    seller_center_order_url,
    shopify_order_url,
    shopify_store_handle,
)


def test_shopify_order_url_uses_the_store_handle_and_the_numeric_id() -> None:
    url = shopify_order_url("harbor-and-pine.myshopify.com", "gid://shopify/Order/5001")
    assert url == "https://admin.shopify.com/store/harbor-and-pine/orders/5001"


def test_shopify_order_url_accepts_a_store_url() -> None:
    assert shopify_store_handle("https://Harbor-and-Pine.myshopify.com/") == "harbor-and-pine"


def test_no_shopify_url_before_the_order_exists_or_without_a_store() -> None:
    assert shopify_order_url("harbor-and-pine.myshopify.com", "") == ""
    assert shopify_order_url("", "gid://shopify/Order/5001") == ""


def test_seller_center_order_url_follows_the_region() -> None:
    assert seller_center_order_url("GB", "576461413038785752") == (
        "https://seller-uk.tiktok.com/order/detail?order_no=576461413038785752&shop_region=GB"
    )
    assert seller_center_order_url("", "1").startswith("https://seller-us.tiktok.com/")
    assert seller_center_order_url("US", "") == ""


@given(st.integers(min_value=1, max_value=10**19))
def test_any_order_number_reaches_the_url_whole(number: int) -> None:
    assert shopify_order_url("s.myshopify.com", f"gid://shopify/Order/{number}").endswith(
        f"/orders/{number}"
    )
    assert f"order_no={number}&" in seller_center_order_url("US", str(number))
