"""Inventory mutations: set, adjust and activate, with Shopify's compare-and-set rules.

Until 2026-01 ``inventorySetQuantities`` compares through ``compareQuantity``
(required unless ``ignoreCompareQuantity: true``). From 2026-04 every quantity
must carry ``changeFromQuantity`` (an explicit ``null`` opts out of the check).
A request is all-or-nothing: any user error means nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import versions
from .errors import TopLevelError, UserErrors, user_error
from .ids import parse_gid
from .records import AdjustmentChangeRec, AdjustmentGroupRec, LevelRec

if TYPE_CHECKING:
    from .store import ShopifyStore

# Shopify's documented adjustment reasons.
REASONS = frozenset(
    [
        "correction",
        "cycle_count_available",
        "damaged",
        "movement_created",
        "movement_updated",
        "movement_received",
        "movement_canceled",
        "other",
        "promotion",
        "quality_control",
        "received",
        "reservation_created",
        "reservation_deleted",
        "reservation_updated",
        "restock",
        "safety_stock",
        "shrinkage",
    ]
)
SETTABLE = ("available", "on_hand")
ADJUSTABLE = ("available", "damaged", "quality_control", "reserved", "safety_stock", "incoming")
MAX_QUANTITY = 1_000_000_000


def _locate(
    store: ShopifyStore, item_gid: object, location_gid: object, path: list[str]
) -> tuple[LevelRec | None, dict[str, Any] | None]:
    item_id = parse_gid(item_gid, "InventoryItem")
    if item_id is None or item_id not in store.items:
        return None, user_error(
            [*path, "inventoryItemId"],
            "The specified inventory item could not be found.",
            "INVALID_INVENTORY_ITEM",
        )
    location_id = parse_gid(location_gid, "Location")
    if location_id is None or location_id not in store.locations:
        return None, user_error(
            [*path, "locationId"], "The specified location could not be found.", "INVALID_LOCATION"
        )
    level = store.level(item_id, location_id)
    if level is None:
        return None, user_error(
            [*path, "locationId"],
            "The specified inventory item is not stocked at the location.",
            "ITEM_NOT_STOCKED_AT_LOCATION",
        )
    return level, None


def _check_reason(reason: str, uri: str | None) -> UserErrors:
    errors: UserErrors = []
    if reason not in REASONS:
        errors.append(
            user_error(
                ["input", "reason"],
                "The quantity couldn't be updated because the reason is invalid.",
                "INVALID_REASON",
            )
        )
    if uri is not None and "://" not in uri:
        errors.append(
            user_error(
                ["input", "referenceDocumentUri"],
                "The reference document URI isn't a valid URI.",
                "INVALID_REFERENCE_DOCUMENT",
            )
        )
    return errors


def _compare_error(
    level: LevelRec, name: str, quantity: dict[str, Any], index: int, version: str, ignore: bool
) -> dict[str, Any] | None:
    path = ["input", "quantities", str(index)]
    current = level.quantity(name)
    if versions.uses_change_from_quantity(version):
        if "changeFromQuantity" not in quantity:
            raise TopLevelError(
                "InventoryQuantityInput.changeFromQuantity is required: pass the quantity you "
                "expect to change from, or null to skip the check.",
                "BAD_REQUEST",
            )
        expected = quantity["changeFromQuantity"]
        if expected is not None and expected != current:
            return user_error(
                [*path, "changeFromQuantity"],
                "The changeFromQuantity value does not match the persisted value.",
                "CHANGE_FROM_QUANTITY_STALE",
            )
        return None
    if ignore:
        return None
    expected = quantity.get("compareQuantity")
    if expected is None:
        return user_error(
            [*path, "compareQuantity"],
            "The compareQuantity argument must be given to each quantity or ignored using "
            "ignoreCompareQuantity.",
            "COMPARE_QUANTITY_REQUIRED",
        )
    if expected != current:
        return user_error(
            [*path, "compareQuantity"],
            "The compareQuantity value does not match persisted value.",
            "COMPARE_QUANTITY_STALE",
        )
    return None


def set_quantities(
    store: ShopifyStore, data: dict[str, Any], version: str
) -> tuple[AdjustmentGroupRec | None, UserErrors]:
    """``inventorySetQuantities``: set ``available`` or ``on_hand`` absolutely."""
    name = data["name"]
    errors = _check_reason(data["reason"], data.get("referenceDocumentUri"))
    if name not in SETTABLE:
        errors.append(
            user_error(
                ["input", "name"],
                "The quantity name must be either 'available' or 'on_hand'.",
                "INVALID_NAME",
            )
        )
    targets: list[tuple[LevelRec, int]] = []
    seen: set[tuple[int, int]] = set()
    for index, quantity in enumerate(data["quantities"]):
        path = ["input", "quantities", str(index)]
        level, error = _locate(store, quantity["inventoryItemId"], quantity["locationId"], path)
        if error is None and level is not None:
            if (level.item_id, level.location_id) in seen:
                error = user_error(
                    path,
                    "The combination of inventoryItemId and locationId must be unique.",
                    "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                )
            elif quantity["quantity"] < 0:
                error = user_error(
                    [*path, "quantity"],
                    "The quantity can't be negative.",
                    "INVALID_QUANTITY_NEGATIVE",
                )
            elif quantity["quantity"] > MAX_QUANTITY:
                error = user_error(
                    [*path, "quantity"],
                    "The quantity can't be higher than 1,000,000,000.",
                    "INVALID_QUANTITY_TOO_HIGH",
                )
            elif name in SETTABLE:
                error = _compare_error(
                    level, name, quantity, index, version, bool(data.get("ignoreCompareQuantity"))
                )
            seen.add((level.item_id, level.location_id))
        if error is not None:
            errors.append(error)
        elif level is not None:
            targets.append((level, quantity["quantity"]))
    if errors:
        return None, errors
    now = store.now()
    changes: list[AdjustmentChangeRec] = []
    for level, value in targets:
        delta = value - level.quantity(name)
        level.quantities["available"] = level.quantity("available") + delta
        store.touch_inventory(level, now)
        for changed in ("available", "on_hand"):
            changes.append(
                AdjustmentChangeRec(
                    changed, delta, level.quantity(changed), level.item_id, level.location_id, None
                )
            )
    return _group(store, data, changes, now), []


def adjust_quantities(
    store: ShopifyStore, data: dict[str, Any], version: str
) -> tuple[AdjustmentGroupRec | None, UserErrors]:
    """``inventoryAdjustQuantities``: add deltas to a quantity name."""
    name = data["name"]
    errors = _check_reason(data["reason"], data.get("referenceDocumentUri"))
    if name not in ADJUSTABLE:
        errors.append(
            user_error(
                ["input", "name"],
                f"The quantity name '{name}' can't be adjusted.",
                "INVALID_QUANTITY_NAME",
            )
        )
    targets: list[tuple[LevelRec, int, str | None]] = []
    for index, change in enumerate(data["changes"]):
        path = ["input", "changes", str(index)]
        level, error = _locate(store, change["inventoryItemId"], change["locationId"], path)
        if error is None and level is not None:
            expected = change.get("changeFromQuantity")
            if (
                versions.uses_change_from_quantity(version)
                and expected is not None
                and expected != level.quantity(name)
            ):
                error = user_error(
                    [*path, "changeFromQuantity"],
                    "The changeFromQuantity value does not match the persisted value.",
                    "CHANGE_FROM_QUANTITY_STALE",
                )
            elif name != "available" and not change.get("ledgerDocumentUri"):
                error = user_error(
                    [*path, "ledgerDocumentUri"],
                    "A ledger document URI is required for this quantity name.",
                    "INVALID_QUANTITY_DOCUMENT",
                )
        if error is not None:
            errors.append(error)
        elif level is not None:
            targets.append((level, change["delta"], change.get("ledgerDocumentUri")))
    if errors:
        return None, errors
    now = store.now()
    changes: list[AdjustmentChangeRec] = []
    for level, delta, ledger in targets:
        level.quantities[name] = level.quantity(name) + delta
        store.touch_inventory(level, now)
        changes.append(
            AdjustmentChangeRec(
                name, delta, level.quantity(name), level.item_id, level.location_id, ledger
            )
        )
        if name != "incoming":
            changes.append(
                AdjustmentChangeRec(
                    "on_hand",
                    delta,
                    level.quantity("on_hand"),
                    level.item_id,
                    level.location_id,
                    None,
                )
            )
    return _group(store, data, changes, now), []


def activate(
    store: ShopifyStore, item_gid: str, location_gid: str, available: int | None
) -> tuple[LevelRec | None, UserErrors]:
    """``inventoryActivate``: stock an item at a location (idempotent if already stocked)."""
    item_id = parse_gid(item_gid, "InventoryItem")
    location_id = parse_gid(location_gid, "Location")
    if item_id is None or item_id not in store.items:
        return None, [user_error(["inventoryItemId"], "Inventory item does not exist")]
    if location_id is None or location_id not in store.locations:
        return None, [user_error(["locationId"], "Location does not exist")]
    level = store.level(item_id, location_id)
    if level is None:
        now = store.now()
        level = LevelRec(location_id, item_id, {"available": available or 0}, now, now)
        store.levels[(item_id, location_id)] = level
        store.touch_inventory(level, now)
    return level, []


def _group(
    store: ShopifyStore, data: dict[str, Any], changes: list[AdjustmentChangeRec], now: float
) -> AdjustmentGroupRec:
    group = AdjustmentGroupRec(
        store.ids.next("InventoryAdjustmentGroup"),
        data["reason"],
        data.get("referenceDocumentUri"),
        changes,
        now,
    )
    store.adjustment_groups[group.id] = group
    return group
