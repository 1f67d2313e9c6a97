"""Every GraphQL document the client sends is valid on the sandbox and on the real Admin API."""

import gzip
import json
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_client_schema, build_schema, extend_schema, parse, validate

from tiktok_console.stores.shopify.documents import all_bulk_queries, all_documents, bulk_query

SANDBOX_SDL = (
    Path(__file__).resolve().parents[2] / "tiktok_console/sandbox/shopify/schema/admin.graphql"
)

# The documented 2026 changes (shopify-2026-deltas.md) the 2025-01 introspection predates.
DELTAS = """
directive @idempotent(key: String!) on FIELD
extend input InventoryQuantityInput { changeFromQuantity: Int }
extend input InventoryChangeInput { changeFromQuantity: Int }
extend type Mutation { _bulkGroupObjects: Boolean }
"""


def _real_schema(shared_api: Path) -> GraphQLSchema:
    with gzip.open(shared_api / "shopify-admin-schema-2025-01.json.gz", "rt") as handle:
        introspection = json.load(handle)["data"]
    # graphql-core 3.3 rejects two deprecation details of Shopify's own schema.
    schema = build_client_schema(introspection, assume_valid=True)
    schema = extend_schema(schema, parse(DELTAS), assume_valid=True)
    # bulkOperationRunQuery(groupObjects:) arrived in 2026-01: add the argument.
    field = schema.mutation_type.fields["bulkOperationRunQuery"]  # type: ignore[union-attr]
    from graphql import GraphQLArgument, GraphQLBoolean

    field.args.setdefault("groupObjects", GraphQLArgument(GraphQLBoolean))
    return schema


DOCUMENTS = all_documents()


def test_there_are_documents() -> None:
    assert {"Shop", "ProductVariantsPage", "InventorySetQuantities"} <= set(DOCUMENTS)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_is_valid_on_the_sandbox_schema(name: str) -> None:
    schema = build_schema(SANDBOX_SDL.read_text())
    assert validate(schema, parse(DOCUMENTS[name])) == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_is_valid_on_the_real_schema_plus_deltas(name: str, shared_api: Path) -> None:
    errors = validate(_real_schema(shared_api), parse(DOCUMENTS[name]))
    assert errors == []


def test_the_checker_catches_a_field_shopify_does_not_have(shared_api: Path) -> None:
    bad = parse("query { productVariants(first: 1) { nodes { id weight } } }")
    assert validate(_real_schema(shared_api), bad)


# Bulk inner queries, as sent: unfiltered, and with a root filter as the reconciliation
# writes one (a bulk operation takes no variables).
BULK = {
    **all_bulk_queries(),
    **{f"{name} (filtered)": bulk_query(name, "id:>100 id:<=200") for name in all_bulk_queries()},
}


def test_there_are_bulk_queries() -> None:
    assert {"VariantSkus", "VariantStock"} <= set(all_bulk_queries())


@pytest.mark.parametrize("name", sorted(BULK))
def test_bulk_query_is_valid_on_both_schemas(name: str, shared_api: Path) -> None:
    document = parse(BULK[name])
    assert validate(build_schema(SANDBOX_SDL.read_text()), document) == []
    assert validate(_real_schema(shared_api), document) == []
    assert "$" not in BULK[name]  # no variables: Shopify runs a bulk query as written


def test_a_bulk_filter_is_quoted_as_a_graphql_string() -> None:
    text = bulk_query("VariantSkus", 'sku:"A B"')
    assert 'productVariants(query: "sku:\\"A B\\"") {' in text
