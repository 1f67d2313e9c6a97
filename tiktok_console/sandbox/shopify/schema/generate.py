"""Generate the sandbox's Admin GraphQL SDL from Shopify's real introspection.

Hand-written SDL drifts from the real contract; this script derives a subset of
the real 2025-01 schema instead. It starts from the root fields the sync uses
(``ROOT_FIELDS``), walks their types, keeps for each object type only the fields
listed in ``OBJECT_FIELDS`` (plus ``id``), keeps every argument of a kept field,
every field of a reached input type and every enum value, drops descriptions,
and adds the documented 2026 deltas (``DELTA_*``). The result is committed as
``admin.graphql`` beside this file; the sandbox server builds its schema from it.

Run: ``uv run python -m tiktok_console.sandbox.shopify.schema.generate [INTROSPECTION]``.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DEFAULT_SOURCE = Path("/work/shared/api/shopify-admin-schema-2025-01.json.gz")
OUTPUT = Path(__file__).with_name("admin.graphql")

ROOT_FIELDS: dict[str, list[str]] = {
    "QueryRoot": [
        "shop", "locations", "location", "products", "product", "productVariants",
        "productVariant", "orders", "order", "inventoryItems", "inventoryItem",
        "inventoryLevel", "fulfillmentOrders", "currentBulkOperation", "node", "nodes",
    ],
    "Mutation": [
        "orderCreate", "orderCancel", "tagsAdd", "orderUpdate", "inventorySetQuantities",
        "inventoryAdjustQuantities", "inventoryActivate", "fulfillmentCreate",
        "fulfillmentTrackingInfoUpdate", "refundCreate", "bulkOperationRunQuery",
        "productUpdate", "productVariantsBulkUpdate", "inventoryItemUpdate",
    ],
}  # fmt: skip

# Fields kept per object/interface type (``id`` is always kept when the type has it).
# Types whose names end in Payload, UserError, Connection or Edge, and PageInfo,
# keep all their fields: they are small and a client reads all of them.
OBJECT_FIELDS: dict[str, list[str]] = {
    "Node": [],
    "Shop": [
        "name", "myshopifyDomain", "email", "currencyCode", "billingAddress", "plan",
        "ianaTimezone", "weightUnit", "createdAt", "updatedAt",
    ],
    "ShopAddress": ["countryCodeV2", "country", "city", "provinceCode", "zip", "address1"],
    "ShopPlan": ["displayName", "partnerDevelopment", "shopifyPlus"],
    "Location": [
        "name", "isActive", "isPrimary", "fulfillsOnlineOrders", "legacyResourceId", "address",
        "inventoryLevel", "inventoryLevels", "createdAt", "updatedAt",
    ],
    "LocationAddress": ["address1", "city", "provinceCode", "zip", "countryCode"],
    "Product": [
        "title", "handle", "status", "descriptionHtml", "vendor", "productType", "tags",
        "createdAt", "updatedAt", "featuredImage", "images", "variants", "legacyResourceId",
        "totalInventory", "tracksInventory", "hasOnlyDefaultVariant",
    ],
    "Image": ["url", "altText", "width", "height"],
    "ProductVariant": [
        "sku", "barcode", "price", "compareAtPrice", "title", "displayName", "position",
        "selectedOptions", "inventoryPolicy", "inventoryQuantity", "inventoryItem", "product",
        "availableForSale", "taxable", "createdAt", "updatedAt", "legacyResourceId",
    ],
    "SelectedOption": ["name", "value"],
    "InventoryItem": [
        "sku", "tracked", "requiresShipping", "measurement", "inventoryLevel", "inventoryLevels",
        "variant", "legacyResourceId", "createdAt", "updatedAt",
    ],
    "InventoryItemMeasurement": ["weight"],
    "Weight": ["unit", "value"],
    "InventoryLevel": ["item", "location", "quantities", "createdAt", "updatedAt"],
    "InventoryQuantity": ["name", "quantity", "updatedAt"],
    "InventoryAdjustmentGroup": ["reason", "referenceDocumentUri", "changes", "createdAt"],
    "InventoryChange": ["name", "delta", "quantityAfterChange", "item", "location",
                        "ledgerDocumentUri"],
    "Order": [
        "name", "email", "phone", "tags", "note", "sourceName", "sourceIdentifier",
        "customAttributes", "processedAt", "createdAt", "updatedAt", "cancelledAt",
        "cancelReason", "closed", "closedAt", "test", "currencyCode", "legacyResourceId",
        "displayFinancialStatus", "displayFulfillmentStatus", "fullyPaid", "unpaid",
        "lineItems", "fulfillmentOrders", "fulfillments", "refunds", "transactions",
        "shippingAddress", "shippingLines", "totalPriceSet", "currentTotalPriceSet",
        "subtotalPriceSet", "totalShippingPriceSet", "totalTaxSet", "totalRefundedSet",
    ],
    "LineItem": [
        "sku", "title", "name", "variantTitle", "quantity", "currentQuantity",
        "unfulfilledQuantity", "fulfillableQuantity", "refundableQuantity", "variant", "product",
        "originalUnitPriceSet", "discountedUnitPriceSet", "customAttributes", "requiresShipping",
        "taxLines",
    ],
    "Attribute": ["key", "value"],
    "MailingAddress": [
        "firstName", "lastName", "name", "company", "address1", "address2", "city", "province",
        "provinceCode", "zip", "country", "countryCodeV2", "phone",
    ],
    "MoneyBag": ["shopMoney", "presentmentMoney"],
    "MoneyV2": ["amount", "currencyCode"],
    "TaxLine": ["title", "rate", "ratePercentage", "priceSet"],
    "ShippingLine": ["title", "code", "source", "carrierIdentifier", "originalPriceSet",
                     "discountedPriceSet", "taxLines"],
    "FulfillmentOrder": [
        "status", "requestStatus", "assignedLocation", "lineItems", "order", "orderId",
        "orderName", "fulfillAt", "fulfillments", "createdAt", "updatedAt",
    ],
    "FulfillmentOrderAssignedLocation": ["location", "name", "countryCode"],
    "FulfillmentOrderLineItem": ["remainingQuantity", "totalQuantity", "lineItem", "sku",
                                 "variant", "inventoryItemId"],
    "Fulfillment": [
        "name", "status", "displayStatus", "trackingInfo", "fulfillmentLineItems", "location",
        "order", "totalQuantity", "inTransitAt", "deliveredAt", "createdAt", "updatedAt",
        "legacyResourceId",
    ],
    "FulfillmentTrackingInfo": ["company", "number", "url"],
    "FulfillmentLineItem": ["lineItem", "quantity"],
    "Refund": ["note", "order", "refundLineItems", "totalRefundedSet", "transactions",
               "createdAt", "updatedAt", "legacyResourceId"],
    "RefundLineItem": ["lineItem", "quantity", "restockType", "restocked", "location",
                       "priceSet", "subtotalSet"],
    "OrderTransaction": ["kind", "status", "gateway", "amountSet", "test", "errorCode",
                         "parentTransaction", "createdAt", "processedAt"],
    "BulkOperation": [
        "status", "errorCode", "type", "query", "objectCount", "rootObjectCount", "fileSize",
        "url", "partialDataUrl", "createdAt", "completedAt",
    ],
    "Job": ["done"],
}  # fmt: skip

_KEEP_ALL_SUFFIXES = ("Payload", "UserError", "Connection", "Edge")
_KEEP_ALL_NAMES = {"PageInfo"}

# The documented changes after 2025-01 (see /work/shared/api/shopify-2026-deltas.md).
# The contract test exempts exactly these from "must exist in the real schema".
DELTA_DIRECTIVES = {"idempotent": "directive @idempotent(key: String!) on FIELD"}
DELTA_INPUT_FIELDS: dict[tuple[str, str], str] = {
    ("InventoryQuantityInput", "changeFromQuantity"): "Int",
    ("InventoryChangeInput", "changeFromQuantity"): "Int",
}
DELTA_ARGUMENTS: dict[tuple[str, str, str], str] = {
    ("Mutation", "bulkOperationRunQuery", "groupObjects"): "Boolean",
}
DELTA_ENUM_VALUES: set[tuple[str, str]] = {
    ("InventorySetQuantitiesUserErrorCode", "CHANGE_FROM_QUANTITY_STALE"),
    ("InventoryAdjustQuantitiesUserErrorCode", "CHANGE_FROM_QUANTITY_STALE"),
}

_SCALARS_BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}

Json = dict[str, Any]


def load_introspection(path: Path) -> Json:
    """Read the gzipped (or plain) introspection JSON and return its ``__schema``."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        data: Json = json.load(handle)
    schema: Json = data["data"]["__schema"] if "data" in data else data["__schema"]
    return schema


def generate_sdl(schema: Json) -> str:
    """Return the sandbox SDL for the real introspection ``schema`` (its ``__schema``)."""
    types = {t["name"]: t for t in schema["types"]}
    kept = _walk(types)
    blocks = ["schema {\n  query: QueryRoot\n  mutation: Mutation\n}"]
    blocks += list(DELTA_DIRECTIVES.values())
    for name in sorted(kept):
        if name not in _SCALARS_BUILT_IN:
            blocks.append(_print_type(types[name], kept))
    return "\n\n".join(blocks) + "\n"


def _named(ref: Json) -> str:
    while ref.get("ofType"):
        ref = ref["ofType"]
    return str(ref["name"])


def _type_ref(ref: Json) -> str:
    if ref["kind"] == "NON_NULL":
        return _type_ref(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return "[" + _type_ref(ref["ofType"]) + "]"
    return str(ref["name"])


def _kept_fields(type_: Json) -> list[Json]:
    name = type_["name"]
    fields: list[Json] = type_["fields"] or []
    if name in ROOT_FIELDS:
        wanted = set(ROOT_FIELDS[name])
    elif name in OBJECT_FIELDS:
        wanted = {*OBJECT_FIELDS[name], "id"}
    elif name.endswith(_KEEP_ALL_SUFFIXES) or name in _KEEP_ALL_NAMES:
        return fields
    else:
        raise KeyError(f"type {name} is reached but not configured in OBJECT_FIELDS")
    missing = wanted - {f["name"] for f in fields} - {"id"}
    if missing:
        raise KeyError(f"{name} has no fields {sorted(missing)} in the real schema")
    return [f for f in fields if f["name"] in wanted]


def _walk(types: dict[str, Json]) -> set[str]:
    kept: set[str] = set()
    stack = ["QueryRoot", "Mutation"]
    while stack:
        name = stack.pop()
        if name in kept:
            continue
        kept.add(name)
        stack.extend(_references(types[name]))
    # Interfaces list only the kept types that implement them.
    return kept


def _references(type_: Json) -> Iterable[str]:
    kind = type_["kind"]
    if kind in ("OBJECT", "INTERFACE"):
        for field in _kept_fields(type_):
            yield _named(field["type"])
            for arg in field["args"]:
                yield _named(arg["type"])
    elif kind == "INPUT_OBJECT":
        for field in type_["inputFields"]:
            yield _named(field["type"])
    elif kind == "UNION":
        raise KeyError(f"union {type_['name']} reached: configure around it")


def _deprecation(item: Json) -> str:
    if not item.get("isDeprecated"):
        return ""
    reason = item.get("deprecationReason")
    return f" @deprecated(reason: {json.dumps(reason)})" if reason else " @deprecated"


def _print_args(type_name: str, field: Json) -> str:
    args = [_print_input_value(a) for a in field["args"]]
    for (owner, field_name, arg_name), arg_type in DELTA_ARGUMENTS.items():
        if owner == type_name and field_name == field["name"]:
            args.append(f"{arg_name}: {arg_type}")
    return "(" + ", ".join(args) + ")" if args else ""


def _print_input_value(value: Json) -> str:
    text = f"{value['name']}: {_type_ref(value['type'])}"
    if value.get("defaultValue") is not None:
        text += f" = {value['defaultValue']}"
    return text + _deprecation(value)


def _print_type(type_: Json, kept: set[str]) -> str:
    kind, name = type_["kind"], type_["name"]
    if kind == "SCALAR":
        return f"scalar {name}"
    if kind == "ENUM":
        values = [f"  {v['name']}{_deprecation(v)}" for v in type_["enumValues"]]
        values += sorted(f"  {value}" for owner, value in DELTA_ENUM_VALUES if owner == name)
        return f"enum {name} {{\n" + "\n".join(values) + "\n}"
    if kind == "INPUT_OBJECT":
        lines = [f"  {_print_input_value(f)}" for f in type_["inputFields"]]
        lines += [
            f"  {field}: {delta_type}"
            for (owner, field), delta_type in DELTA_INPUT_FIELDS.items()
            if owner == name
        ]
        return f"input {name} {{\n" + "\n".join(lines) + "\n}"
    keyword = "type" if kind == "OBJECT" else "interface"
    interfaces = [i["name"] for i in type_.get("interfaces") or [] if i["name"] in kept]
    header = f"{keyword} {name}" + (" implements " + " & ".join(interfaces) if interfaces else "")
    lines = [
        f"  {f['name']}{_print_args(name, f)}: {_type_ref(f['type'])}{_deprecation(f)}"
        for f in _kept_fields(type_)
    ]
    return header + " {\n" + "\n".join(lines) + "\n}"


def main(argv: list[str] | None = None) -> int:
    """Write ``admin.graphql`` from the introspection named on the command line."""
    args = sys.argv[1:] if argv is None else argv
    source = Path(args[0] if args else os.environ.get("SHOPIFY_ADMIN_SCHEMA", DEFAULT_SOURCE))
    sdl = generate_sdl(load_introspection(source))
    OUTPUT.write_text(sdl, encoding="utf-8")
    print(f"wrote {OUTPUT} ({sdl.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
