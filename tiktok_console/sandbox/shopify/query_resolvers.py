"""Resolvers of the QueryRoot fields.

Lists with a ``query:`` argument read the lagging search index (so a record
written a moment ago is not found yet); lookups by ID read the records directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .bulk_ops import refresh_bulk
from .catalog_views import (
    item_view,
    level_view,
    location_view,
    product_view,
    shop_view,
    variant_view,
)
from .connections import connection
from .context import Info, RequestContext, ctx
from .ids import gid, node_type, parse_gid, parse_level_gid
from .money import iso
from .order_views import fulfillment_order_view, order_view
from .records import BulkOperationRec
from .search import SearchIndex

View = dict[str, Any]

_SORT_ATTRS = {
    "ID": "id",
    "TITLE": "title",
    "NAME": "number",
    "ORDER_NUMBER": "number",
    "UPDATED_AT": "updated_at",
    "CREATED_AT": "created_at",
    "PROCESSED_AT": "processed_at",
    "SKU": "sku",
    "PRODUCT_TYPE": "product_type",
    "VENDOR": "vendor",
}


def _listing(
    c: RequestContext,
    records: dict[int, Any],
    index: SearchIndex,
    args: dict[str, Any],
    view: Callable[[Any], View],
) -> View:
    query = args.get("query")
    # A bulk worker runs beside requests: it takes the top-level list under the
    # store's lock (the search index publishes as it reads), then builds views live.
    with c.store.lock:
        ids: Iterable[int] = index.search(query, c.store.now()) if query else sorted(records)
        found = [records[i] for i in ids if i in records]
    attr = _SORT_ATTRS.get(args.get("sortKey") or "ID", "id")
    found.sort(key=lambda r: (getattr(r, attr, r.id) or "", r.id))
    return connection(found, args, lambda r: r.id, view, paged=not c.bulk)


def shop(_: None, info: Info) -> View:
    return shop_view(ctx(info))


def locations(_: None, info: Info, **args: Any) -> View:
    c = ctx(info)
    found = [
        loc
        for loc in list(c.store.locations.values())  # a bulk worker reads beside requests
        if loc.is_active or args.get("includeInactive")
    ]
    return connection(
        found, args, lambda loc: loc.id, lambda loc: location_view(c, loc), paged=not c.bulk
    )


def location(_: None, info: Info, id: str | None = None) -> View | None:
    c = ctx(info)
    if id is None:
        return location_view(c, c.store.online_location())
    record = c.store.locations.get(parse_gid(id, "Location") or 0)
    return location_view(c, record) if record else None


def products(_: None, info: Info, **args: Any) -> View:
    c = ctx(info)
    return _listing(c, c.store.products, c.store.product_index, args, lambda p: product_view(c, p))


def product(_: None, info: Info, id: str) -> View | None:
    c = ctx(info)
    record = c.store.products.get(parse_gid(id, "Product") or 0)
    return product_view(c, record) if record else None


def product_variants(_: None, info: Info, **args: Any) -> View:
    c = ctx(info)
    return _listing(c, c.store.variants, c.store.variant_index, args, lambda v: variant_view(c, v))


def product_variant(_: None, info: Info, id: str) -> View | None:
    c = ctx(info)
    record = c.store.variants.get(parse_gid(id, "ProductVariant") or 0)
    return variant_view(c, record) if record else None


def orders(_: None, info: Info, **args: Any) -> View:
    c = ctx(info)
    return _listing(c, c.store.orders, c.store.order_index, args, lambda o: order_view(c, o))


def order(_: None, info: Info, id: str) -> View | None:
    c = ctx(info)
    record = c.store.orders.get(parse_gid(id, "Order") or 0)
    return order_view(c, record) if record else None


def inventory_items(_: None, info: Info, **args: Any) -> View:
    c = ctx(info)
    return _listing(c, c.store.items, c.store.item_index, args, lambda i: item_view(c, i.id))


def inventory_item(_: None, info: Info, id: str) -> View | None:
    c = ctx(info)
    item_id = parse_gid(id, "InventoryItem")
    return item_view(c, item_id) if item_id in c.store.items else None


def inventory_level(_: None, info: Info, id: str) -> View | None:
    c = ctx(info)
    parsed = parse_level_gid(id)
    level = c.store.level(parsed[1], parsed[0]) if parsed else None
    return level_view(c, level) if level else None


def fulfillment_orders(_: None, info: Info, **args: Any) -> View:
    c = ctx(info)
    found = [
        fo
        for fo in list(c.store.fulfillment_orders.values())
        if args.get("includeClosed") or fo.status not in ("CLOSED", "CANCELLED")
    ]
    return connection(
        found, args, lambda fo: fo.id, lambda fo: fulfillment_order_view(c, fo), paged=not c.bulk
    )


def bulk_view(c: RequestContext, operation: BulkOperationRec) -> View:
    refresh_bulk(operation, c.store.now())
    done = operation.status == "COMPLETED"
    return {
        "__typename": "BulkOperation",
        "id": gid("BulkOperation", operation.id),
        "status": operation.status,
        "errorCode": operation.error_code,
        "type": "QUERY",
        "query": operation.query,
        "objectCount": str(len(operation.lines) if done else 0),
        "rootObjectCount": str(operation.root_count if done else 0),
        "fileSize": str(operation.file_size) if done and operation.lines else None,
        "url": f"{c.base_url}/bulk/{operation.id}.jsonl" if done and operation.lines else None,
        "partialDataUrl": None,
        "createdAt": iso(operation.created_at),
        "completedAt": iso(operation.completed_at),
    }


def current_bulk_operation(_: None, info: Info, type: str = "QUERY") -> View | None:
    c = ctx(info)
    if type != "QUERY" or not c.store.bulk_operations:
        return None
    latest = c.store.bulk_operations[max(c.store.bulk_operations)]
    return bulk_view(c, latest)


def node_by_id(c: RequestContext, value: str) -> View | None:
    """Any supported node by global ID (``node``/``nodes``)."""
    kind = node_type(value)
    store = c.store
    number = parse_gid(value, kind or "") if kind else None
    lookups: dict[str, Callable[[], View | None]] = {
        "Product": lambda: (
            product_view(c, store.products[number]) if number in store.products else None
        ),
        "ProductVariant": lambda: (
            variant_view(c, store.variants[number]) if number in store.variants else None
        ),
        "InventoryItem": lambda: item_view(c, number) if number in store.items else None,
        "Location": lambda: (
            location_view(c, store.locations[number]) if number in store.locations else None
        ),
        "Order": lambda: order_view(c, store.orders[number]) if number in store.orders else None,
        "FulfillmentOrder": lambda: (
            fulfillment_order_view(c, store.fulfillment_orders[number])
            if number in store.fulfillment_orders
            else None
        ),
        "BulkOperation": lambda: (
            bulk_view(c, store.bulk_operations[number]) if number in store.bulk_operations else None
        ),
    }
    if kind == "InventoryLevel":
        parsed = parse_level_gid(value)
        level = store.level(parsed[1], parsed[0]) if parsed else None
        return level_view(c, level) if level else None
    lookup = lookups.get(kind or "")
    return lookup() if lookup else None


def node(_: None, info: Info, id: str) -> View | None:
    return node_by_id(ctx(info), id)


def nodes(_: None, info: Info, ids: list[str]) -> list[View | None]:
    c = ctx(info)
    return [node_by_id(c, value) for value in ids]


QUERY_RESOLVERS = {
    "shop": shop,
    "locations": locations,
    "location": location,
    "products": products,
    "product": product,
    "productVariants": product_variants,
    "productVariant": product_variant,
    "orders": orders,
    "order": order,
    "inventoryItems": inventory_items,
    "inventoryItem": inventory_item,
    "inventoryLevel": inventory_level,
    "fulfillmentOrders": fulfillment_orders,
    "currentBulkOperation": current_bulk_operation,
    "node": node,
    "nodes": nodes,
}
