"""Bulk query operations over real HTTP: status over time, JSONL with ``__parentId``."""

from __future__ import annotations

import json
import time
from typing import Any

from .conftest import Sandbox

RUN = """mutation($q: String!) { bulkOperationRunQuery(query: $q) {
  bulkOperation { id status } userErrors { field message code } } }"""
RUN_GROUPED = """mutation($q: String!, $g: Boolean) {
  bulkOperationRunQuery(query: $q, groupObjects: $g) {
  bulkOperation { id status } userErrors { field message code } } }"""
CURRENT = "{ currentBulkOperation { id status objectCount rootObjectCount fileSize url } }"
INNER = """{ products { edges { node { id title
  variants { edges { node { id sku inventoryItem { id } } } } } } } }"""


def run(sb: Sandbox, query: str = RUN, **variables: Any) -> dict[str, Any]:
    payload: dict[str, Any] = sb.data(query, {"q": INNER, **variables})["bulkOperationRunQuery"]
    return payload


def finished(sb: Sandbox) -> dict[str, Any]:
    """The current operation once its worker thread is done (real time: it runs beside us)."""
    deadline = time.monotonic() + 10
    while True:
        current: dict[str, Any] = sb.data(CURRENT)["currentBulkOperation"]
        if current["status"] not in ("CREATED", "RUNNING") or time.monotonic() > deadline:
            return current
        time.sleep(0.01)


def download(sb: Sandbox) -> list[dict[str, Any]]:
    current = finished(sb)
    assert current["status"] == "COMPLETED"
    response = sb.http.get(current["url"])
    assert response.status_code == 200
    assert int(current["fileSize"]) == len(response.content)
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert int(current["objectCount"]) == len(lines)
    assert int(current["rootObjectCount"]) == len(sb.store.products)
    return lines


def test_status_moves_with_the_clock_and_jsonl_has_parent_ids(sandbox: Sandbox) -> None:
    started = run(sandbox)
    assert started["userErrors"] == [] and started["bulkOperation"]["status"] == "CREATED"
    current = sandbox.data(CURRENT)["currentBulkOperation"]
    assert current["id"] == started["bulkOperation"]["id"] and current["url"] is None
    sandbox.clock.advance(1.5)
    assert sandbox.data(CURRENT)["currentBulkOperation"]["status"] == "RUNNING"
    sandbox.clock.advance(5)
    lines = download(sandbox)
    products = {line["id"] for line in lines if "__parentId" not in line}
    variants = [line for line in lines if "__parentId" in line]
    assert len(products) == len(sandbox.store.products)
    assert len(variants) == len(sandbox.store.variants)
    assert all(v["__parentId"] in products for v in variants)
    assert all(
        v["inventoryItem"]["id"].startswith("gid://shopify/InventoryItem/") for v in variants
    )
    assert "variants" not in lines[0]


def test_grouped_output_puts_children_after_their_parent(sandbox: Sandbox) -> None:
    assert run(sandbox, RUN_GROUPED, g=True)["userErrors"] == []
    sandbox.clock.advance(10)
    parent = None
    for line in download(sandbox):
        if "__parentId" not in line:
            parent = line["id"]
        else:
            assert line["__parentId"] == parent


def test_ungrouped_output_lists_parents_first(sandbox: Sandbox) -> None:
    assert run(sandbox, RUN_GROUPED, g=False)["userErrors"] == []
    sandbox.clock.advance(10)
    kinds = ["__parentId" in line for line in download(sandbox)]
    assert kinds == sorted(kinds)


def test_one_bulk_query_at_a_time_before_2026_01_and_five_after(sandbox: Sandbox) -> None:
    assert (
        sandbox.data(RUN, {"q": INNER}, version="2025-10")["bulkOperationRunQuery"]["userErrors"]
        == []
    )
    busy = sandbox.data(RUN, {"q": INNER}, version="2025-10")["bulkOperationRunQuery"]
    assert busy["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"
    for _ in range(4):
        assert run(sandbox)["userErrors"] == []
    assert run(sandbox)["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"


def test_invalid_inner_queries_are_user_errors(sandbox: Sandbox) -> None:
    bad = sandbox.data(RUN, {"q": "{ products { edges { node { id weight } } } }"})
    assert bad["bulkOperationRunQuery"]["userErrors"][0]["field"] == ["query"]
    no_connection = sandbox.data(RUN, {"q": "{ shop { name } }"})
    assert no_connection["bulkOperationRunQuery"]["userErrors"][0]["code"] == "INVALID"


def test_id_ranges_split_the_variants_between_concurrent_operations(sandbox: Sandbox) -> None:
    sandbox.clock.advance(10)  # past the search index's lag
    ids = sorted(sandbox.store.variants)
    cut = ids[len(ids) // 3]
    for query in (f"id:<={cut}", f"id:>{cut}"):
        inner = '{ productVariants(query: "' + query + '") { edges { node { id sku } } } }'
        assert sandbox.data(RUN, {"q": inner})["bulkOperationRunQuery"]["userErrors"] == []
    sandbox.clock.advance(10)
    seen: list[list[int]] = []
    for number in sorted(sandbox.store.bulk_operations)[-2:]:
        operation = sandbox.data(
            "query($id: ID!) { node(id: $id) { ... on BulkOperation { status url } } }",
            {"id": f"gid://shopify/BulkOperation/{number}"},
        )["node"]
        while operation["status"] in ("CREATED", "RUNNING"):
            time.sleep(0.01)
            operation = sandbox.data(
                "query($id: ID!) { node(id: $id) { ... on BulkOperation { status url } } }",
                {"id": f"gid://shopify/BulkOperation/{number}"},
            )["node"]
        text = sandbox.http.get(operation["url"]).text
        seen.append([int(json.loads(line)["id"].rsplit("/", 1)[1]) for line in text.splitlines()])
    assert seen == [[i for i in ids if i <= cut], [i for i in ids if i > cut]]
