"""A refund transaction refunds a payment: Shopify refuses one without its parent sale.

Over real HTTP, as the console's refund mirroring sends it: a refund naming the order's
sale is made; one with no ``parentId``, a parent that is not a sale of the order, another
gateway, or more than the sale has left is refused with a user error, and nothing
changes on the order (no refund, no transaction, no stock back).
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Sandbox
from .test_orders import create, main_variant, sale_of, stock, tiktok_order

REFUND = """mutation($input: RefundInput!) {
  refundCreate(input: $input) @idempotent(key: "%s") {
    refund { id transactions(first: 5) { nodes { kind gateway parentTransaction { id } } } }
    userErrors { field message } } }"""


def _refund(sandbox: Sandbox, key: str, order: dict[str, Any], tx: dict[str, Any]) -> Any:
    line = order["lineItems"]["nodes"][0]["id"]
    refund = {
        "orderId": order["id"], "note": f"TikTok return {key}",
        "refundLineItems": [{"lineItemId": line, "quantity": 1, "restockType": "NO_RESTOCK"}],
        "transactions": [{"orderId": order["id"], "kind": "REFUND", "gateway": "TikTok Shop",
                          "amount": "19.99", **tx}],
    }  # fmt: skip
    return sandbox.data(REFUND % key, {"input": refund})["refundCreate"]


def _refunds(sandbox: Sandbox, order_id: str) -> list[Any]:
    query = "query($id: ID!) { order(id: $id) { refunds { id } transactions { kind } } }"
    found = sandbox.data(query, {"id": order_id})["order"]
    return [found["refunds"], [t["kind"] for t in found["transactions"]]]


def test_a_refund_of_the_sale_names_it_as_parent(sandbox: Sandbox) -> None:
    variant, _, _ = main_variant(sandbox)
    order = create(sandbox, tiktok_order(variant, 2))["order"]
    sale = sale_of(sandbox, order["id"])

    made = _refund(sandbox, "4035-ok", order, {"parentId": sale})

    assert made["userErrors"] == []
    (tx,) = made["refund"]["transactions"]["nodes"]
    assert tx == {"kind": "REFUND", "gateway": "TikTok Shop", "parentTransaction": {"id": sale}}


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("no parent", "parentId", "Parent transaction is required for a refund"),
        ("not a sale", "parentId", "Parent transaction does not exist or cannot be refunded"),
        ("other gateway", "gateway", "Gateway must match the parent transaction's gateway"),
        ("too much", "amount", "Amount cannot exceed the 44.97 left to refund"),
    ],
)
def test_a_refund_without_its_sale_is_refused_and_changes_nothing(
    sandbox: Sandbox, case: str, field: str, message: str
) -> None:
    variant, location, _ = main_variant(sandbox)
    order = create(sandbox, tiktok_order(variant, 2))["order"]
    sale = sale_of(sandbox, order["id"])
    before = (_refunds(sandbox, order["id"]), stock(sandbox, variant, location))
    tx = {
        "no parent": {},
        "not a sale": {"parentId": "gid://shopify/OrderTransaction/999999"},
        "other gateway": {"parentId": sale, "gateway": "manual"},
        "too much": {"parentId": sale, "amount": "50.00"},
    }[case]

    refused = _refund(sandbox, f"4035-{case}", order, tx)

    assert refused["refund"] is None
    assert refused["userErrors"] == [
        {"field": ["input", "transactions", "0", field], "message": message}
    ]
    assert (_refunds(sandbox, order["id"]), stock(sandbox, variant, location)) == before
