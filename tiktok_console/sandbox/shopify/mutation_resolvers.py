"""Resolvers of the Mutation fields, with ``@idempotent`` replay.

A mutation carrying ``@idempotent(key:)`` stores its payload under (mutation,
key); the same key returns that payload again without acting twice.
Assumption: the payload is stored whatever it holds (user errors included), and
reusing a key with different input is not detected. From 2026-04 the key is
mandatory on ``inventoryAdjustQuantities`` and ``refundCreate``
(and, assumption, ``inventorySetQuantities`` is not on the mandatory list);
a missing key is a top-level error (assumption: code ``BAD_REQUEST``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, get_directive_values

from . import versions
from .bulk_ops import start_bulk_query
from .catalog_ops import bulk_update_variants, update_inventory_item, update_product
from .catalog_views import item_view, level_view, product_view, variant_view
from .context import Info, RequestContext, ctx
from .errors import TopLevelError
from .fulfillment_ops import create_fulfillment, update_tracking
from .ids import gid
from .inventory_ops import activate, adjust_quantities, set_quantities
from .money import iso
from .order_ops import add_tags, cancel_order, create_order, update_order
from .order_views import fulfillment_view, order_view, refund_view
from .query_resolvers import bulk_view
from .records import AdjustmentGroupRec, OrderRec

View = dict[str, Any]
MANDATORY_IDEMPOTENCY = ("inventoryAdjustQuantities", "refundCreate")


def _idempotency_key(info: Info) -> str | None:
    directive = info.schema.get_directive("idempotent")
    if directive is None:
        return None
    values = get_directive_values(directive, info.field_nodes[0], info.variable_values)
    return None if values is None else str(values["key"])


def _run(info: Info, action: Callable[[RequestContext], View]) -> View:
    c = ctx(info)
    name = info.field_name
    key = _idempotency_key(info)
    if key is None and name in MANDATORY_IDEMPOTENCY and versions.idempotency_mandatory(c.version):
        raise GraphQLError(
            f"The @idempotent directive is required for {name} from API version 2026-04.",
            extensions={"code": "BAD_REQUEST"},
        )
    if key is not None and (name, key) in c.store.idempotency:
        cached: View = c.store.idempotency[(name, key)]
        return cached
    try:
        payload = action(c)
    except TopLevelError as error:
        raise GraphQLError(str(error), extensions={"code": error.code}) from error
    if key is not None:
        c.store.idempotency[(name, key)] = payload
    return payload


def _group_view(c: RequestContext, group: AdjustmentGroupRec | None) -> View | None:
    if group is None:
        return None

    def changes(info: Info, **filters: Any) -> list[View]:
        names = filters.get("quantityNames")
        return [
            {
                "name": ch.name,
                "delta": ch.delta,
                "quantityAfterChange": ch.quantity_after,
                "ledgerDocumentUri": ch.ledger_document_uri,
                "item": lambda info, ch=ch: _item(c, ch.item_id),
                "location": lambda info, ch=ch: _location(c, ch.location_id),
            }
            for ch in group.changes
            if not names or ch.name in names
        ]

    return {
        "__typename": "InventoryAdjustmentGroup",
        "id": gid("InventoryAdjustmentGroup", group.id),
        "reason": group.reason,
        "referenceDocumentUri": group.reference_document_uri,
        "createdAt": iso(group.created_at),
        "changes": changes,
    }


def _item(c: RequestContext, item_id: int) -> View:
    return item_view(c, item_id)


def _location(c: RequestContext, location_id: int) -> View:
    from .catalog_views import location_view

    return location_view(c, c.store.locations[location_id])


def _order(c: RequestContext, record: OrderRec | None) -> View | None:
    return order_view(c, record) if record else None


def order_create(
    _: None, info: Info, order: dict[str, Any], options: dict[str, Any] | None = None
) -> View:
    def act(c: RequestContext) -> View:
        record, errors = create_order(c.store, order, options)
        return {"order": _order(c, record), "userErrors": errors}

    return _run(info, act)


def order_cancel(_: None, info: Info, **args: Any) -> View:
    def act(c: RequestContext) -> View:
        errors = cancel_order(c.store, args)
        job = None if errors else {"id": gid("Job", c.store.ids.next("Job")), "done": True}
        plain = [{k: v for k, v in e.items() if k != "code"} for e in errors]
        return {"job": job, "orderCancelUserErrors": errors, "userErrors": plain}

    return _run(info, act)


def tags_add(_: None, info: Info, id: str, tags: list[str]) -> View:
    def act(c: RequestContext) -> View:
        record, errors = add_tags(c.store, id, tags)
        if record is None:
            return {"node": None, "userErrors": errors}
        view = order_view(c, record) if isinstance(record, OrderRec) else product_view(c, record)
        return {"node": view, "userErrors": errors}

    return _run(info, act)


def order_update(_: None, info: Info, input: dict[str, Any]) -> View:
    def act(c: RequestContext) -> View:
        record, errors = update_order(c.store, input)
        return {"order": _order(c, record), "userErrors": errors}

    return _run(info, act)


def inventory_set_quantities(_: None, info: Info, input: dict[str, Any]) -> View:
    def act(c: RequestContext) -> View:
        group, errors = set_quantities(c.store, input, c.version)
        return {"inventoryAdjustmentGroup": _group_view(c, group), "userErrors": errors}

    return _run(info, act)


def inventory_adjust_quantities(_: None, info: Info, input: dict[str, Any]) -> View:
    def act(c: RequestContext) -> View:
        group, errors = adjust_quantities(c.store, input, c.version)
        return {"inventoryAdjustmentGroup": _group_view(c, group), "userErrors": errors}

    return _run(info, act)


def inventory_activate(
    _: None,
    info: Info,
    inventoryItemId: str,
    locationId: str,
    available: int | None = None,
    **rest: Any,
) -> View:
    def act(c: RequestContext) -> View:
        level, errors = activate(c.store, inventoryItemId, locationId, available)
        return {"inventoryLevel": level_view(c, level) if level else None, "userErrors": errors}

    return _run(info, act)


def fulfillment_create(
    _: None, info: Info, fulfillment: dict[str, Any], message: str | None = None
) -> View:
    def act(c: RequestContext) -> View:
        record, errors = create_fulfillment(c.store, fulfillment)
        return {
            "fulfillment": fulfillment_view(c, record) if record else None,
            "userErrors": errors,
        }

    return _run(info, act)


def fulfillment_tracking_info_update(
    _: None,
    info: Info,
    fulfillmentId: str,
    trackingInfoInput: dict[str, Any],
    notifyCustomer: bool | None = None,
) -> View:
    def act(c: RequestContext) -> View:
        record, errors = update_tracking(c.store, fulfillmentId, trackingInfoInput)
        return {
            "fulfillment": fulfillment_view(c, record) if record else None,
            "userErrors": errors,
        }

    return _run(info, act)


def refund_create(_: None, info: Info, input: dict[str, Any]) -> View:
    def act(c: RequestContext) -> View:
        from .refund_ops import create_refund

        record, errors = create_refund(c.store, input)
        order = c.store.orders.get(record.order_id) if record else None
        return {
            "refund": refund_view(c, record) if record else None,
            "order": _order(c, order),
            "userErrors": errors,
        }

    return _run(info, act)


def product_update(_: None, info: Info, product: dict[str, Any] | None = None, **rest: Any) -> View:
    def act(c: RequestContext) -> View:
        record, errors = update_product(c.store, product or {})
        return {"product": product_view(c, record) if record else None, "userErrors": errors}

    return _run(info, act)


def product_variants_bulk_update(
    _: None,
    info: Info,
    productId: str,
    variants: list[dict[str, Any]],
    allowPartialUpdates: bool | None = None,
    **rest: Any,
) -> View:
    def act(c: RequestContext) -> View:
        record, changed, errors = bulk_update_variants(
            c.store, productId, variants, bool(allowPartialUpdates)
        )
        return {
            "product": product_view(c, record) if record else None,
            "productVariants": [variant_view(c, v) for v in changed] if record else None,
            "userErrors": errors,
        }

    return _run(info, act)


def inventory_item_update(_: None, info: Info, id: str, input: dict[str, Any]) -> View:
    def act(c: RequestContext) -> View:
        record, errors = update_inventory_item(c.store, id, input)
        return {"inventoryItem": item_view(c, record.id) if record else None, "userErrors": errors}

    return _run(info, act)


def bulk_operation_run_query(
    _: None, info: Info, query: str, groupObjects: bool | None = None
) -> View:
    def act(c: RequestContext) -> View:
        record, errors = start_bulk_query(c, query, groupObjects)
        return {"bulkOperation": bulk_view(c, record) if record else None, "userErrors": errors}

    return _run(info, act)


MUTATION_RESOLVERS = {
    "orderCreate": order_create,
    "orderCancel": order_cancel,
    "tagsAdd": tags_add,
    "orderUpdate": order_update,
    "inventorySetQuantities": inventory_set_quantities,
    "inventoryAdjustQuantities": inventory_adjust_quantities,
    "inventoryActivate": inventory_activate,
    "fulfillmentCreate": fulfillment_create,
    "fulfillmentTrackingInfoUpdate": fulfillment_tracking_info_update,
    "refundCreate": refund_create,
    "bulkOperationRunQuery": bulk_operation_run_query,
    "productUpdate": product_update,
    "productVariantsBulkUpdate": product_variants_bulk_update,
    "inventoryItemUpdate": inventory_item_update,
}
