"""Every TikTok sample whose endpoint the sandbox serves: the sandbox answers with all its keys.

Leaf values must also be of the sample's kind (string, number or boolean; a
null on either side is not compared), so money stays a string and times stay
Unix seconds.

Samples are TikTok's own JSON (``/work/shared/api/samples/tiktok/models``).
Lists are compared by the union of keys over the sandbox's elements; each
check also requires the sandbox's list to be non-empty, so no check passes
on an empty answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import APP_KEY, APP_SECRET, World
from .test_products import _upload

SAMPLES = Path("/work/shared/api/samples/tiktok/models")

# The two finance transaction samples are the 202309 flat shape; the sandbox
# serves the 202501 endpoints, whose fields come from tiktok-endpoints.md.
_OLD_SHAPE = "202309 shape; the sandbox serves 202501"
NOT_COMPARED = {
    "Finance/FinanceGetStatementTransactionsResponse.json": _OLD_SHAPE,
    "Finance/FinanceGetOrderStatementTransactionsResponse.json": _OLD_SHAPE,
}

# Lists that are empty for an ordinary listing/order, named explicitly: bundle
# components (the sandbox sells no virtual bundles) and create-time warnings.
MAY_BE_EMPTY = {"combined_listing_skus", "combined_skus", "warnings"}


def _kind(value: Any) -> str | None:
    """A JSON leaf's kind; None for what is not compared (null, objects, lists)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string" if isinstance(value, str) else None


def missing_keys(sample: Any, actual: Any, path: str = "") -> list[str]:
    """Keys of ``sample`` absent from ``actual``, or leaves of another kind, as dotted paths."""
    if isinstance(sample, dict):
        if not isinstance(actual, dict):
            return [f"{path} (not an object)"]
        out = []
        for key, value in sample.items():
            if key not in actual:
                out.append(f"{path}.{key}")
            else:
                out += missing_keys(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(sample, list) and sample and isinstance(sample[0], dict):
        if isinstance(actual, list) and not actual and path.rsplit(".", 1)[-1] in MAY_BE_EMPTY:
            return []
        if not isinstance(actual, list) or not actual:
            return [f"{path}[] (empty or not a list)"]
        merged: dict[str, Any] = {}
        for element in actual:
            for key, value in element.items():
                if key not in merged or (not merged[key] and value):
                    merged[key] = value
        return [m for s in sample for m in missing_keys(s, merged, f"{path}[]")]
    if isinstance(sample, list) and sample and isinstance(actual, list) and actual:
        return missing_keys(sample[0], actual[0], f"{path}[]")
    want, have = _kind(sample), _kind(actual)
    if want and have and want != have:
        return [f"{path} ({have}, sample has a {want})"]
    return []


def test_missing_keys_finds_gaps() -> None:
    sample = {"a": {"b": 1}, "l": [{"x": 1, "y": 2}]}
    assert missing_keys(sample, {"a": {"b": 2}, "l": [{"x": 1}, {"y": 3}]}) == []
    assert missing_keys(sample, {"a": {}, "l": [{"x": 1}]}) == [".a.b", ".l[].y"]
    assert missing_keys(sample, {"a": {"b": 1}, "l": []}) == [".l[] (empty or not a list)"]


def test_missing_keys_finds_leaves_of_another_kind() -> None:
    sample = {"price": "9.99", "time": 1, "ok": True, "ids": ["1"], "gone": None}
    assert (
        missing_keys(sample, {"price": "1", "time": 2.5, "ok": False, "ids": ["2"], "gone": 3})
        == []
    )
    wrong = {"price": 9.99, "time": "1", "ok": 1, "ids": [2], "gone": None}
    assert missing_keys(sample, wrong) == [
        ".price (number, sample has a string)",
        ".time (string, sample has a number)",
        ".ok (number, sample has a boolean)",
        ".ids[] (number, sample has a string)",
    ]


def _token(world: World, grant: str) -> dict[str, Any]:
    code = world.authority.issue_code()
    query = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "auth_code": code,
        "grant_type": "authorized_code",
    }
    body: dict[str, Any] = httpx.get(world.auth_url + "/api/v2/token/get", params=query).json()
    if grant == "get":
        return body
    query = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "grant_type": "refresh_token",
        "refresh_token": body["data"]["refresh_token"],
    }
    refreshed: dict[str, Any] = httpx.get(
        world.auth_url + "/api/v2/token/refresh", params=query
    ).json()
    return refreshed


def _raw(world: World, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    body: dict[str, Any] = world.call(method, path, **kwargs).json()
    assert body["code"] == 0, body
    return body


def _first_product(world: World, status: str = "ACTIVATE") -> dict[str, Any]:
    data = world.ok(
        "POST", "/product/202502/products/search", query={"page_size": "1"}, body={"status": status}
    )
    return data["products"][0]  # type: ignore[no-any-return]


def _shipped_package(world: World) -> str:
    packages = world.ok(
        "POST",
        "/fulfillment/202309/packages/search",
        query={"page_size": "50"},
        body={"package_status": "FULFILLING"},
    )
    return packages["packages"][0]["id"]  # type: ignore[no-any-return]


def _awaiting_order(world: World) -> dict[str, Any]:
    world.clock.advance(2 * 3600)
    orders = world.ok(
        "POST",
        "/order/202309/orders/search",
        query={"page_size": "100"},
        body={"order_status": "AWAITING_SHIPMENT", "shipping_type": "SELLER"},
    )
    return next(
        o
        for o in orders["orders"]  # type: ignore[no-any-return]
        if o["fulfillment_type"] == "FULFILLMENT_BY_SELLER"
        and o["delivery_option_name"] == "Standard Shipping"
    )


def _main_warehouse(world: World) -> str:
    return world.shop.logistics.main.id


Fetch = Callable[[World], dict[str, Any]]
FETCHERS: dict[str, Fetch] = {
    "Auth/AuthGetTokenResponse.json": lambda w: _token(w, "get"),
    "Auth/AuthRefreshTokenResponse.json": lambda w: _token(w, "refresh"),
    "Authorization/AuthorizationGetShopsResponse.json": lambda w: _raw(
        w, "GET", "/authorization/202309/shops", cipher=False
    ),
    "Shop/AuthorizationGetShopsResponse.json": lambda w: _raw(
        w, "GET", "/authorization/202309/shops", cipher=False
    ),
    "Product/ProductSearchProductsResponse.json": lambda w: _raw(
        w, "POST", "/product/202502/products/search", query={"page_size": "50"}, body={}
    ),
    "Product/ProductGetProductDetailResponse.json": lambda w: _raw(
        w, "GET", f"/product/202309/products/{_first_product(w, 'FAILED')['id']}"
    ),
    "Product/ProductCreateProductResponse.json": lambda w: _raw(
        w,
        "POST",
        "/product/202309/products",
        body={
            "title": "Contract Test Tee",
            "description": "<p>A tee for the contract test.</p>",
            "category_id": "601152",
            "category_version": "v2",
            "product_attributes": [{"id": "100198", "values": [{"name": "Harbor & Pine"}]}],
            "main_images": [{"uri": _upload(w)["uri"]}],
            "package_weight": {"value": "1", "unit": "POUND"},
            "skus": [
                {
                    "seller_sku": "CT-1",
                    "price": {"amount": "10.00", "currency": "USD"},
                    "sales_attributes": [{"name": "Color", "value_name": "Red"}],
                    "inventory": [{"warehouse_id": _main_warehouse(w), "quantity": 1}],
                }
            ],
        },
    ),
    "Product/ProductUpdateProductPartiallyResponse.json": lambda w: _raw(
        w,
        "POST",
        f"/product/202509/products/{_first_product(w)['id']}/partial_edit",
        body={"title": "A new title for the contract test"},
    ),
    "Product/ProductUpdateProductInventoryResponse.json": lambda w: _raw(
        w,
        "POST",
        f"/product/202309/products/{_first_product(w)['id']}/inventory/update",
        body={"skus": [{"id": "1", "inventory": []}]},
    ),
    "Product/ProductActivateProductsResponse.json": lambda w: _raw(
        w, "POST", "/product/202309/products/activate", body={"product_ids": ["1"]}
    ),
    "Product/ProductDeactivateProductsResponse.json": lambda w: _raw(
        w, "POST", "/product/202309/products/deactivate", body={"product_ids": ["1"]}
    ),
    "Product/Upload/ProductUploadImageResponse.json": lambda w: {
        "code": 0,
        "message": "Success",
        "request_id": "x",
        "data": _upload(w),
    },
    "Order/OrderSearchOrdersResponse.json": lambda w: _raw(
        w, "POST", "/order/202309/orders/search", query={"page_size": "100"}, body={}
    ),
    "Order/OrderBatchGetOrderDetailResponse.json": lambda w: _raw(
        w,
        "GET",
        "/order/202507/orders",
        query={"ids": ",".join(o["id"] for o in w.shop.snapshot()["orders"][:50])},
    ),
    "Fulfillment/Orders/FulfillmentUpdateOrderPackagesResponse.json": lambda w: _raw(
        w,
        "POST",
        f"/fulfillment/202309/orders/{_awaiting_order(w)['id']}/packages",
        body={
            "tracking_number": "9400111899223856789012",
            "shipping_provider_id": "7117858858072016686",
        },
    ),
    "Fulfillment/Packages/FulfillmentGetPackageDetailResponse.json": lambda w: _raw(
        w, "GET", f"/fulfillment/202309/packages/{_shipped_package(w)}"
    ),
    "Fulfillment/Packages/FulfillmentSearchPackagesResponse.json": lambda w: _raw(
        w, "POST", "/fulfillment/202309/packages/search", query={"page_size": "50"}, body={}
    ),
    "Logistics/LogisticsGetWarehousesResponse.json": lambda w: _raw(
        w, "GET", "/logistics/202309/warehouses"
    ),
    "Logistics/LogisticsGetWarehouseDeliveryOptionsResponse.json": lambda w: _raw(
        w, "GET", f"/logistics/202309/warehouses/{_main_warehouse(w)}/delivery_options"
    ),
    "Logistics/LogisticsGetDeliveryOptionShippingProvidersResponse.json": lambda w: _raw(
        w,
        "GET",
        f"/logistics/202309/delivery_options/{w.shop.logistics.options[0].id}/shipping_providers",
    ),
    "ReturnRefund/Returns/ReturnRefundSearchReturnsResponse.json": lambda w: _raw(
        w, "POST", "/return_refund/202309/returns/search", query={"page_size": "50"}, body={}
    ),
    "ReturnRefund/Cancellations/ReturnRefundSearchCancellationsResponse.json": lambda w: _raw(
        w, "POST", "/return_refund/202309/cancellations/search", query={"page_size": "50"}, body={}
    ),
    "ReturnRefund/ReturnRefundGetRejectReasonsResponse.json": lambda w: _raw(
        w, "GET", "/return_refund/202309/reject_reasons"
    ),
    "Finance/FinanceGetStatementsResponse.json": lambda w: _raw(
        w, "GET", "/finance/202309/statements", query={"sort_field": "statement_time"}
    ),
    "Finance/FinanceGetPaymentsResponse.json": lambda w: _raw(
        w, "GET", "/finance/202309/payments", query={"sort_field": "create_time"}
    ),
}


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="TikTok samples folder is absent")
@pytest.mark.parametrize("name", sorted(FETCHERS))
def test_sandbox_response_has_every_sample_key(world: World, name: str) -> None:
    sample = json.loads((SAMPLES / name).read_text())
    actual = FETCHERS[name](world)
    assert missing_keys(sample, actual) == []


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="TikTok samples folder is absent")
def test_every_mapped_sample_exists() -> None:
    for name in [*FETCHERS, *NOT_COMPARED]:
        assert (SAMPLES / name).is_file(), name
