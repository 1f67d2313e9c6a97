"""Inventory mutations over real HTTP: compare-and-set per version, idempotent replay."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Sandbox

SET = """
mutation Set($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) %s {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}
"""
ADJUST = """
mutation Adjust($input: InventoryAdjustQuantitiesInput!) {
  inventoryAdjustQuantities(input: $input) %s {
    inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}
"""
LEVEL = """
query($item: ID!, $location: ID!) {
  inventoryItem(id: $item) {
    inventoryLevel(locationId: $location) {
      quantities(names: ["available", "on_hand"]) { name quantity }
    }
  }
}
"""


def first_stock(sb: Sandbox) -> tuple[str, str, int]:
    """(inventory item id, location id, available) of the first variant at the first location."""
    data = sb.data(
        """{ productVariants(first: 1) { nodes { inventoryItem { id inventoryLevels(first: 1) {
        nodes { location { id } quantities(names: ["available"]) { quantity } } } } } } }"""
    )
    item = data["productVariants"]["nodes"][0]["inventoryItem"]
    level = item["inventoryLevels"]["nodes"][0]
    return item["id"], level["location"]["id"], level["quantities"][0]["quantity"]


def available(sb: Sandbox, item: str, location: str) -> int:
    data = sb.data(LEVEL, {"item": item, "location": location})
    quantities = data["inventoryItem"]["inventoryLevel"]["quantities"]
    return int(next(q["quantity"] for q in quantities if q["name"] == "available"))


def set_input(item: str, location: str, quantity: int, **compare: Any) -> dict[str, Any]:
    return {
        "name": "available",
        "reason": "correction",
        "referenceDocumentUri": "tiktok-console://sync/1",
        "quantities": [
            {"inventoryItemId": item, "locationId": location, "quantity": quantity, **compare}
        ],
    }


def test_change_from_quantity_sets_and_detects_stale_values(sandbox: Sandbox) -> None:
    item, location, before = first_stock(sandbox)
    ok = sandbox.data(SET % "", {"input": set_input(item, location, 7, changeFromQuantity=before)})
    payload = ok["inventorySetQuantities"]
    assert payload["userErrors"] == []
    assert {"name": "available", "delta": 7 - before, "quantityAfterChange": 7} in payload[
        "inventoryAdjustmentGroup"
    ]["changes"]
    stale = sandbox.data(
        SET % "", {"input": set_input(item, location, 3, changeFromQuantity=before)}
    )["inventorySetQuantities"]
    assert stale["inventoryAdjustmentGroup"] is None
    assert stale["userErrors"][0]["code"] == "CHANGE_FROM_QUANTITY_STALE"
    assert available(sandbox, item, location) == 7


def test_explicit_null_opts_out_and_omission_is_an_error(sandbox: Sandbox) -> None:
    item, location, _ = first_stock(sandbox)
    opted_out = set_input(item, location, 11, changeFromQuantity=None)
    assert (
        sandbox.data(SET % "", {"input": opted_out})["inventorySetQuantities"]["userErrors"] == []
    )
    omitted = sandbox.gql(SET % "", {"input": set_input(item, location, 12)})
    assert omitted["errors"] and "changeFromQuantity" in omitted["errors"][0]["message"]
    assert available(sandbox, item, location) == 11


def test_versions_before_2026_04_use_compare_quantity(sandbox: Sandbox) -> None:
    item, location, before = first_stock(sandbox)
    missing = sandbox.data(SET % "", {"input": set_input(item, location, 5)}, version="2026-01")
    assert missing["inventorySetQuantities"]["userErrors"][0]["code"] == "COMPARE_QUANTITY_REQUIRED"
    stale = set_input(item, location, 5, compareQuantity=before + 1)
    answer = sandbox.data(SET % "", {"input": stale}, version="2026-01")
    assert answer["inventorySetQuantities"]["userErrors"][0]["code"] == "COMPARE_QUANTITY_STALE"
    ignore = set_input(item, location, 5) | {"ignoreCompareQuantity": True}
    assert (
        sandbox.data(SET % "", {"input": ignore}, version="2025-01")["inventorySetQuantities"][
            "userErrors"
        ]
        == []
    )
    new_field = set_input(item, location, 5, changeFromQuantity=5)
    rejected = sandbox.gql(SET % "", {"input": new_field}, version="2026-01")
    assert "changeFromQuantity" in rejected["errors"][0]["message"]


def test_idempotent_replay_changes_stock_once(sandbox: Sandbox) -> None:
    item, location, before = first_stock(sandbox)
    query = ADJUST % '@idempotent(key: "4f5b6ebf-143c-4da5-8d0f-fb8553bfd85d")'
    change = {"inventoryItemId": item, "locationId": location, "delta": -2}
    variables = {"input": {"name": "available", "reason": "correction", "changes": [change]}}
    first = sandbox.data(query, variables)
    second = sandbox.data(query, variables)
    assert first == second
    assert available(sandbox, item, location) == before - 2


def test_idempotency_is_mandatory_for_adjustments_from_2026_04(sandbox: Sandbox) -> None:
    item, location, before = first_stock(sandbox)
    change = {"inventoryItemId": item, "locationId": location, "delta": 1}
    variables = {"input": {"name": "available", "reason": "correction", "changes": [change]}}
    refused = sandbox.gql(ADJUST % "", variables)
    assert refused["data"]["inventoryAdjustQuantities"] is None
    assert "@idempotent" in refused["errors"][0]["message"]
    allowed = sandbox.data(ADJUST % "", variables, version="2026-01")
    assert allowed["inventoryAdjustQuantities"]["userErrors"] == []
    assert available(sandbox, item, location) == before + 1


def test_the_directive_does_not_exist_before_2026_01(sandbox: Sandbox) -> None:
    item, location, _ = first_stock(sandbox)
    change = {"inventoryItemId": item, "locationId": location, "delta": 1}
    variables = {"input": {"name": "available", "reason": "correction", "changes": [change]}}
    body = sandbox.gql(ADJUST % '@idempotent(key: "k")', variables, version="2025-10")
    assert body["errors"][0]["message"] == "Directive 'idempotent' is not defined"


def test_bad_reason_and_unknown_location_are_user_errors(sandbox: Sandbox) -> None:
    item, _, _ = first_stock(sandbox)
    bad = set_input(item, "gid://shopify/Location/1", 1, changeFromQuantity=None)
    bad["reason"] = "because"
    errors = sandbox.data(SET % "", {"input": bad})["inventorySetQuantities"]["userErrors"]
    assert {e["code"] for e in errors} == {"INVALID_REASON", "INVALID_LOCATION"}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=4))
def test_any_sequence_of_sets_reads_back(sandbox: Sandbox, targets: list[int]) -> None:
    item, location, current = first_stock(sandbox)
    for target in targets:
        variables = {"input": set_input(item, location, target, changeFromQuantity=current)}
        payload = sandbox.data(SET % "", variables)["inventorySetQuantities"]
        assert payload["userErrors"] == []
        current = target
    assert available(sandbox, item, location) == targets[-1]
    snapshot = sandbox.store.snapshot()
    assert targets[-1] in snapshot["variants"][0]["available"].values()
