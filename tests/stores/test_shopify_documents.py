"""Every GraphQL document the client sends is valid on the sandbox and on the real Admin API."""

import gzip
import json
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_client_schema, build_schema, extend_schema, parse, validate

from tiktok_console.stores.shopify.documents import all_documents

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
