"""The sandbox Admin schema is a faithful subset of Shopify's real 2025-01 schema.

Every type, field, argument, input field and enum value the sandbox serves must
exist in the real schema with the same type, except the documented 2026 deltas;
and the committed SDL must be exactly what the generator produces today.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_client_schema,
    build_schema,
    parse,
    validate,
)

from tiktok_console.sandbox.shopify.schema import generate

REAL = generate.DEFAULT_SOURCE
pytestmark = pytest.mark.skipif(
    not REAL.exists(), reason=f"real Shopify introspection not found at {REAL}"
)


@pytest.fixture(scope="module")
def real() -> GraphQLSchema:
    with gzip.open(REAL, "rt", encoding="utf-8") as handle:
        # graphql-core 3.3 flags two deprecation mismatches in Shopify's own schema.
        return build_client_schema(json.load(handle)["data"], assume_valid=True)


@pytest.fixture(scope="module")
def sandbox() -> GraphQLSchema:
    return build_schema(generate.OUTPUT.read_text(encoding="utf-8"))


def _problems(sandbox: GraphQLSchema, real: GraphQLSchema) -> list[str]:
    problems: list[str] = []
    for name, type_ in sandbox.type_map.items():
        if name.startswith("__"):
            continue
        other = real.type_map.get(name)
        if other is None or type(other) is not type(type_):
            problems.append(f"type {name} missing or of another kind")
            continue
        if isinstance(type_, GraphQLEnumType):
            assert isinstance(other, GraphQLEnumType)
            problems += [
                f"{name}.{v}"
                for v in type_.values
                if v not in other.values and (name, v) not in generate.DELTA_ENUM_VALUES
            ]
        elif isinstance(type_, GraphQLInputObjectType):
            assert isinstance(other, GraphQLInputObjectType)
            for field_name, field in type_.fields.items():
                if (name, field_name) in generate.DELTA_INPUT_FIELDS:
                    continue
                theirs = other.fields.get(field_name)
                if theirs is None or str(theirs.type) != str(field.type):
                    problems.append(f"input {name}.{field_name}: {field.type}")
        elif isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(other, GraphQLObjectType | GraphQLInterfaceType)
            problems += _field_problems(name, type_, other)
    return problems


def _field_problems(
    name: str,
    ours: GraphQLObjectType | GraphQLInterfaceType,
    theirs: GraphQLObjectType | GraphQLInterfaceType,
) -> list[str]:
    problems = [
        f"{name} implements {i.name}"
        for i in ours.interfaces
        if i.name not in {t.name for t in theirs.interfaces}
    ]
    for field_name, field in ours.fields.items():
        other = theirs.fields.get(field_name)
        if other is None or str(other.type) != str(field.type):
            problems.append(f"{name}.{field_name}: {field.type}")
            continue
        for arg_name, arg in field.args.items():
            if (name, field_name, arg_name) in generate.DELTA_ARGUMENTS:
                continue
            real_arg = other.args.get(arg_name)
            if real_arg is None or str(real_arg.type) != str(arg.type):
                problems.append(f"{name}.{field_name}({arg_name}: {arg.type})")
            elif real_arg.default_value != arg.default_value:
                problems.append(f"{name}.{field_name}({arg_name}) default differs")
        problems += [
            f"{name}.{field_name} drops argument {a}" for a in other.args if a not in field.args
        ]
    return problems


def test_every_sandbox_type_field_argument_and_value_is_real(
    sandbox: GraphQLSchema, real: GraphQLSchema
) -> None:
    assert _problems(sandbox, real) == []


def test_the_checker_catches_an_invented_field(real: GraphQLSchema) -> None:
    sdl = generate.OUTPUT.read_text(encoding="utf-8")
    tampered = sdl.replace("type Shop implements Node {", "type Shop implements Node {\n  foo: Int")
    assert "Shop.foo: Int" in _problems(build_schema(tampered), real)


def test_only_the_documented_deltas_are_new(sandbox: GraphQLSchema) -> None:
    assert {d.name for d in sandbox.directives} - {
        "include",
        "skip",
        "deprecated",
        "specifiedBy",
        "oneOf",
    } == set(generate.DELTA_DIRECTIVES)
    quantity = sandbox.type_map["InventoryQuantityInput"]
    assert isinstance(quantity, GraphQLInputObjectType)
    assert str(quantity.fields["changeFromQuantity"].type) == "Int"
    assert "groupObjects" in sandbox.mutation_type.fields["bulkOperationRunQuery"].args  # type: ignore[union-attr]


def test_committed_sdl_is_what_the_generator_produces_now() -> None:
    produced = generate.generate_sdl(generate.load_introspection(REAL))
    assert generate.OUTPUT.read_text(encoding="utf-8") == produced


def test_sync_queries_validate_on_both_schemas(sandbox: GraphQLSchema, real: GraphQLSchema) -> None:
    query = parse(
        """
        { shop { name myshopifyDomain currencyCode ianaTimezone billingAddress { countryCodeV2 }
                 plan { displayName partnerDevelopment } }
          products(first: 5, query: "updated_at:>'2025-01-01T00:00:00Z'") {
            pageInfo { hasNextPage endCursor }
            nodes { id title handle status updatedAt featuredImage { url }
              variants(first: 10) { nodes { id sku barcode price compareAtPrice inventoryPolicy
                selectedOptions { name value }
                inventoryItem { id tracked measurement { weight { unit value } }
                  inventoryLevels(first: 5) { nodes { location { id }
                    quantities(names: ["available", "on_hand", "committed"]) { name quantity }
                } } } } } } }
          orders(first: 5, query: "tag:'TikTokOrderID:1'") { nodes { id name tags
            fulfillmentOrders(first: 5) { nodes { id status
              lineItems(first: 10) { nodes { id remainingQuantity lineItem { id sku } } } } }
            fulfillments { trackingInfo { company number url } } } }
        }
        """
    )
    assert validate(real, query) == []
    assert validate(sandbox, query) == []


def test_a_field_shopify_removed_is_rejected(sandbox: GraphQLSchema) -> None:
    errors = validate(sandbox, parse("{ products(first: 1) { nodes { id weight } } }"))
    assert errors and "weight" in errors[0].message


def test_generator_refuses_unconfigured_types(tmp_path: Path) -> None:
    schema = generate.load_introspection(REAL)
    original = generate.OBJECT_FIELDS.pop("Weight")
    try:
        with pytest.raises(KeyError, match="Weight"):
            generate.generate_sdl(schema)
    finally:
        generate.OBJECT_FIELDS["Weight"] = original
