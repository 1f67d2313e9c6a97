"""The GraphQL endpoint over real HTTP: versions, validation, cost and throttling."""

from __future__ import annotations

import gzip
import json

import pytest
from graphql import (
    GraphQLObjectType,
    build_client_schema,
    get_introspection_query,
    parse,
    validate,
)

from tiktok_console.sandbox.shopify.schema.generate import DEFAULT_SOURCE

from .conftest import Sandbox, SandboxFactory

CATALOG_QUERY = """
query Catalog($after: String) {
  products(first: 3, after: $after, query: "status:active") {
    pageInfo { hasNextPage endCursor }
    nodes {
      id legacyResourceId title handle status vendor productType tags updatedAt
      featuredImage { url }
      variants(first: 10) {
        nodes {
          id sku barcode price compareAtPrice inventoryPolicy inventoryQuantity
          selectedOptions { name value }
          inventoryItem {
            id tracked measurement { weight { unit value } }
            inventoryLevels(first: 2) {
              nodes {
                location { id name }
                quantities(names: ["available", "on_hand", "committed"]) { name quantity }
              }
            }
          }
        }
      }
    }
  }
}
"""


def test_a_query_valid_on_the_real_schema_works(sandbox: Sandbox) -> None:
    if DEFAULT_SOURCE.exists():
        with gzip.open(DEFAULT_SOURCE, "rt", encoding="utf-8") as handle:
            real = build_client_schema(json.load(handle)["data"], assume_valid=True)
        assert validate(real, parse(CATALOG_QUERY)) == []
    seen: list[str] = []
    after = None
    while True:
        page = sandbox.data(CATALOG_QUERY, {"after": after})["products"]
        seen += [p["id"] for p in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == len(sandbox.store.products)


def test_images_are_served(sandbox: Sandbox) -> None:
    url = sandbox.data("{ products(first: 1) { nodes { featuredImage { url } } } }")["products"][
        "nodes"
    ][0]["featuredImage"]["url"]
    image = sandbox.http.get(url)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_fields_not_in_shopifys_schema_are_rejected(sandbox: Sandbox) -> None:
    query = "{ productVariants(first: 1) { nodes { id weight } } }"
    body = sandbox.gql(query)
    assert "data" not in body
    error = body["errors"][0]
    assert error["message"] == "Field 'weight' doesn't exist on type 'ProductVariant'"
    assert error["extensions"]["code"] == "undefinedField"
    assert error["locations"] == [{"line": 1, "column": query.index("weight") + 1}]


def test_connections_need_first_or_last(sandbox: Sandbox) -> None:
    body = sandbox.gql("{ products { nodes { id } } }")
    assert body["errors"][0]["message"] == "you must provide one of first or last"
    assert body["errors"][0]["path"] == ["products"]


@pytest.mark.parametrize("version", ["2024-10", "2027-01", "latest"])
def test_unknown_versions_are_404(sandbox: Sandbox, version: str) -> None:
    assert sandbox.post_gql("{ shop { name } }", version=version).status_code == 404


def test_introspection_works(sandbox: Sandbox) -> None:
    data = sandbox.data('{ __type(name: "InventoryQuantityInput") { inputFields { name } } }')
    names = {f["name"] for f in data["__type"]["inputFields"]}
    assert {"inventoryItemId", "changeFromQuantity"} <= names
    old = sandbox.data(
        '{ __type(name: "InventoryQuantityInput") { inputFields { name } } }', version="2025-10"
    )
    assert "changeFromQuantity" not in {f["name"] for f in old["__type"]["inputFields"]}


@pytest.mark.parametrize(("version", "idempotent"), [("2026-04", True), ("2025-10", False)])
def test_a_client_can_build_the_schema_from_introspection(
    sandbox: Sandbox, version: str, idempotent: bool
) -> None:
    body = sandbox.gql(get_introspection_query(), version=version)
    assert "errors" not in body
    schema = build_client_schema(body["data"])
    product = schema.get_type("Product")
    assert isinstance(product, GraphQLObjectType) and "variants" in product.fields
    assert (schema.get_directive("idempotent") is not None) == idempotent
    cost = body["extensions"]["cost"]
    assert (
        cost["throttleStatus"]["currentlyAvailable"] <= cost["throttleStatus"]["maximumAvailable"]
    )
    assert cost["actualQueryCost"] >= 0


def test_every_response_reports_its_cost(sandbox: Sandbox) -> None:
    body = sandbox.gql("{ shop { name } products(first: 10) { nodes { id title } } }")
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1 + (2 + 10 * 1)
    assert cost["actualQueryCost"] == 1 + 2 + 10
    status = cost["throttleStatus"]
    assert status["restoreRate"] == 100.0
    assert status["currentlyAvailable"] == status["maximumAvailable"] - cost["actualQueryCost"]


def test_a_burst_of_expensive_queries_is_throttled_until_the_bucket_refills(
    sandbox: Sandbox,
) -> None:
    query = "{ productVariants(first: 249) { nodes { id sku product { id } } } }"
    answers = [sandbox.gql(query) for _ in range(12)]
    served = [a for a in answers if "data" in a]
    assert served and served[0]["extensions"]["cost"]["requestedQueryCost"] == 2 + 249 * 2
    assert len(served) < len(answers)  # the clock is frozen, so the bucket never refills
    throttled = answers[len(served)]
    assert throttled["errors"] == [
        {
            "message": "Throttled",
            "extensions": {
                "code": "THROTTLED",
                "documentation": "https://shopify.dev/api/usage/rate-limits",
            },
        }
    ]
    assert "data" not in throttled
    assert throttled["extensions"]["cost"]["actualQueryCost"] is None
    requested = throttled["extensions"]["cost"]["requestedQueryCost"]
    short = requested - throttled["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    sandbox.clock.advance(short / 100.0 + 0.01)
    assert "errors" not in sandbox.gql(query)


def test_a_higher_plan_restores_faster(make_sandbox: SandboxFactory) -> None:
    sandbox = make_sandbox(plan="plus")
    status = sandbox.gql("{ shop { name } }")["extensions"]["cost"]["throttleStatus"]
    assert status["restoreRate"] == 1000.0
    sandbox.limits.plan = "enterprise"
    status = sandbox.gql("{ shop { name } }")["extensions"]["cost"]["throttleStatus"]
    assert status["restoreRate"] == 2000.0


def test_a_single_query_over_1000_points_is_refused(sandbox: Sandbox) -> None:
    body = sandbox.gql(
        "{ products(first: 250) { nodes { variants(first: 10) { nodes { id } } } } }"
    )
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert body["errors"][0]["extensions"]["cost"] == 2 + 250 * (1 + 2 + 10)


def test_bad_body_is_400(sandbox: Sandbox) -> None:
    response = sandbox.http.post(
        f"{sandbox.url}/admin/api/2026-10/graphql.json",
        content=b"not json",
        headers={"X-Shopify-Access-Token": sandbox.token},
    )
    assert response.status_code == 400


def test_node_and_nodes_resolve_global_ids(sandbox: Sandbox) -> None:
    variant = sandbox.data("{ productVariants(first: 1) { nodes { id sku } } }")["productVariants"][
        "nodes"
    ][0]
    data = sandbox.data(
        "query($id: ID!) { node(id: $id) { id ... on ProductVariant { sku } } "
        'nodes(ids: [$id, "gid://shopify/Order/1"]) { id } }',
        {"id": variant["id"]},
    )
    assert data["node"] == variant
    assert data["nodes"] == [{"id": variant["id"]}, None]
