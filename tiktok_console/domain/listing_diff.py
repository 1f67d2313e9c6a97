"""The smallest TikTok call that brings a live listing up to date.

Given the Create Product body last pushed and the one built now, decide:
nothing; Update Price (SKU prices and list prices only); Partial Edit for
anything else, with only the fields that changed; or Edit Product (the whole
body) when the category changed, which Partial Edit cannot carry. Stock is
left out: the inventory job owns it. Any edit but price and stock sends a
live product back to TikTok's audit ("the latest product content will be
resent for audit review"; only price and inventory edits are exempt), so
the plan says so and the console can warn before pushing and batch them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

EditKind = Literal["none", "update_price", "partial_edit", "edit_product"]

# Never compared: how the create was sent, and stock (the inventory job's).
_IGNORED = frozenset({"save_mode", "idempotency_key"})
_SKU_PRICE_FIELDS = ("price", "list_price")
_SKU_IGNORED = frozenset({"inventory", *_SKU_PRICE_FIELDS})
# Partial Edit (202509) has no category_id: a new category needs Edit Product.
_EDIT_PRODUCT_ONLY = frozenset({"category_id", "category_version"})


@dataclass(frozen=True)
class EditPlan:
    """What changed since the last push and which calls carry it."""

    fields: frozenset[str]  # top-level body fields for Partial Edit ("skus" included)
    price_skus: tuple[str, ...]  # seller SKUs whose price or list price changed

    @property
    def kind(self) -> EditKind:
        """The main call: an edit when anything but prices changed."""
        if self.fields & _EDIT_PRODUCT_ONLY:
            return "edit_product"
        if self.fields:
            return "partial_edit"
        return "update_price" if self.price_skus else "none"

    @property
    def sends_to_audit(self) -> bool:
        """Whether pushing takes a live listing back to TikTok's audit."""
        return bool(self.fields)

    @property
    def needs_price_update(self) -> bool:
        """Whether Update Price must run (on its own, or after an edit that sent no SKUs)."""
        sent_skus = "skus" in self.fields or self.kind == "edit_product"
        return bool(self.price_skus) and not sent_skus


def _skus(body: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(sku.get("seller_sku", "")): sku for sku in body.get("skus", [])}


def _without(sku: Mapping[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in sku.items() if key not in keys}


def plan_edit(last: Mapping[str, Any], new: Mapping[str, Any]) -> EditPlan:
    """The plan that takes the listing from ``last`` to ``new`` (both Create Product bodies)."""
    keys = (set(last) | set(new)) - _IGNORED - {"skus"}
    fields = {key for key in keys if last.get(key) != new.get(key)}
    old_skus, new_skus = _skus(last), _skus(new)
    if list(old_skus) != list(new_skus) or any(
        _without(old_skus[sku], _SKU_IGNORED) != _without(new_skus[sku], _SKU_IGNORED)
        for sku in new_skus
    ):
        fields.add("skus")
    prices = tuple(
        sku
        for sku in new_skus
        if sku in old_skus
        and any(old_skus[sku].get(f) != new_skus[sku].get(f) for f in _SKU_PRICE_FIELDS)
    )
    return EditPlan(frozenset(fields), prices)


def partial_edit_body(
    new: Mapping[str, Any], plan: EditPlan, sku_ids: Mapping[str, str]
) -> dict[str, Any]:
    """The Partial Edit (202509) body carrying only ``plan.fields``.

    When SKUs changed, every SKU is sent (TikTok deletes SKUs left out), each
    with its TikTok id from ``sku_ids`` (by seller SKU) and without stock.
    """
    body = {field: new[field] for field in sorted(plan.fields) if field in new}
    if "skus" in plan.fields:
        body["skus"] = [
            {**_with_id(sku, sku_ids), **_without(sku, frozenset({"inventory"}))}
            for sku in new.get("skus", [])
        ]
    return body


def edit_product_body(new: Mapping[str, Any], sku_ids: Mapping[str, str]) -> dict[str, Any]:
    """The Edit Product (202509) body: the whole listing, SKUs with their TikTok ids."""
    body = {key: value for key, value in new.items() if key != "idempotency_key"}
    body["skus"] = [{**_with_id(sku, sku_ids), **sku} for sku in new.get("skus", [])]
    return body


def price_update_body(
    new: Mapping[str, Any], plan: EditPlan, sku_ids: Mapping[str, str]
) -> dict[str, Any]:
    """The Update Price body for the SKUs whose price changed."""
    skus = _skus(new)
    entries = []
    for seller_sku in plan.price_skus:
        sku = skus[seller_sku]
        entry: dict[str, Any] = {"id": sku_ids[seller_sku], "price": sku["price"]}
        if "list_price" in sku:
            entry["list_price"] = sku["list_price"]
        entries.append(entry)
    return {"skus": entries}


def _with_id(sku: Mapping[str, Any], sku_ids: Mapping[str, str]) -> dict[str, str]:
    sku_id = sku_ids.get(str(sku.get("seller_sku", "")))
    return {"id": sku_id} if sku_id else {}
