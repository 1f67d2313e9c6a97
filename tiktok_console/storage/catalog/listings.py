"""Catalog rows as frozen records: what the catalog job, the Catalog page and the CLI read.

The job stores each pulled Shopify product (marking it to be looked at again
only when Shopify's ``updatedAt`` moved), and after handling it the listing's
state, problems and the body last pushed. The merchant's choices (exclude,
priority, TikTok-only overrides, "Push now") are small writes that mark the
product to be handled again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tiktok_console.storage.catalog.tables import CatalogImageRow, CatalogProductRow

# The states the Catalog page and ``catalog --json`` show.
LIVE, PENDING_AUDIT, FAILED_AUDIT = "live", "pending_audit", "failed_audit"
QUEUED, BLOCKED, EXCLUDED, NEW = "queued", "blocked", "excluded", "new"
NOT_HELD, HELD, RELEASED = 0, 1, 2
STATES = (LIVE, PENDING_AUDIT, FAILED_AUDIT, QUEUED, BLOCKED, EXCLUDED)


@dataclass(frozen=True)
class StoredProblem:
    """A health problem as stored (the domain's ``Problem`` fields, as plain values)."""

    code: str
    field: str
    blocking: bool
    message: str
    fix: str = ""
    fix_in: str = "shopify"
    variant_id: str = ""
    suggestion: str = ""
    attribute_id: str = ""


@dataclass(frozen=True)
class Listing:
    """One Shopify product and where its TikTok listing stands."""

    shopify_product_id: str
    title: str
    payload: Mapping[str, Any]
    excluded: bool
    priority: int
    overrides: Mapping[str, Any]
    category_id: str
    tiktok_product_id: str
    sku_ids: Mapping[str, str]
    last_body: Mapping[str, Any] | None
    state: str
    tiktok_status: str
    problems: tuple[StoredProblem, ...]
    audit_reasons: tuple[str, ...]
    notice: str
    held_edit: int  # NOT_HELD, HELD (sends to audit, waits for the merchant) or RELEASED
    queued_until: datetime | None
    shopify_status: str = ""
    dirty: bool = False
    shopify_fixes: tuple[Mapping[str, Any], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def blocking(self) -> tuple[StoredProblem, ...]:
        """The problems that keep the product from being pushed."""
        return tuple(p for p in self.problems if p.blocking)


def store_pulled(nodes: Iterable[Mapping[str, Any]], now: datetime) -> int:
    """Store pulled Shopify products; a product whose ``updatedAt`` moved is handled again.

    Returns how many products changed. Known products are looked up a chunk at a
    time and new ones inserted together: a first pull stores thousands, and one
    peewee ``get`` then one ``insert`` per product cost ~1 ms of CPU each.
    """
    changed = 0
    nodes = list(nodes)
    for start in range(0, len(nodes), _CHUNK):
        changed += _store_chunk(nodes[start : start + _CHUNK], now)
    return changed


_CHUNK = 200  # products a statement: well under SQLite's bound parameters


def _store_chunk(nodes: Sequence[Mapping[str, Any]], now: datetime) -> int:
    ids = [str(node["id"]) for node in nodes]
    query = CatalogProductRow.select(
        CatalogProductRow.shopify_product_id, CatalogProductRow.shopify_updated_at
    ).where(CatalogProductRow.shopify_product_id.in_(ids))
    known = {str(row.shopify_product_id): str(row.shopify_updated_at) for row in query}
    new: dict[str, dict[str, Any]] = {}
    changed = 0
    for product_id, node in zip(ids, nodes, strict=True):
        updated = str(node.get("updatedAt") or "")
        if known.get(product_id, new.get(product_id, {}).get("shopify_updated_at")) == updated:
            continue
        values = {
            "title": str(node.get("title") or ""),
            "shopify_status": str(node.get("status") or ""),
            "shopify_updated_at": updated,
            "payload": json.dumps(node, sort_keys=True),
            "dirty": True,
            "updated_at": now,
        }
        if product_id in known:
            CatalogProductRow.update(**values).where(
                CatalogProductRow.shopify_product_id == product_id
            ).execute()
            known[product_id] = updated
        else:
            new[product_id] = {"shopify_product_id": product_id, **values}
        changed += 1
    if new:
        CatalogProductRow.insert_many(list(new.values())).execute()
    return changed


def listing(product_id: str) -> Listing | None:
    """The listing of one Shopify product."""
    row = CatalogProductRow.get_or_none(CatalogProductRow.shopify_product_id == product_id)
    return None if row is None else _listing(row)


def all_listings() -> list[Listing]:
    """Every product, in Shopify id order."""
    query = CatalogProductRow.select().order_by(CatalogProductRow.shopify_product_id)
    return [_listing(row) for row in query]


def listings_to_handle(now: datetime) -> list[Listing]:
    """Changed products, and queued ones whose day has come; highest priority first."""
    due = CatalogProductRow.dirty | (
        (CatalogProductRow.state == QUEUED) & (CatalogProductRow.queued_until <= now)
    )
    query = (
        CatalogProductRow.select()
        .where(due)
        .order_by(CatalogProductRow.priority.desc(), CatalogProductRow.shopify_product_id)
    )
    return [_listing(row) for row in query]


def listings_in_review() -> list[Listing]:
    """Listings whose TikTok audit result is not known yet."""
    query = CatalogProductRow.select().where(CatalogProductRow.state == PENDING_AUDIT)
    return [_listing(row) for row in query]


def other_skus() -> dict[str, set[str]]:
    """Every seller SKU in the store, with the products that use it."""
    found: dict[str, set[str]] = {}
    query = CatalogProductRow.select(
        CatalogProductRow.shopify_product_id, CatalogProductRow.payload
    ).where(CatalogProductRow.shopify_status == "ACTIVE")
    for row in query:
        product_id = str(row.shopify_product_id)
        for variant in json.loads(row.payload).get("variants", {}).get("nodes", []):
            sku = (variant.get("sku") or "").strip()
            if sku:
                found.setdefault(sku, set()).add(product_id)
    return found


def save_outcome(
    product_id: str,
    now: datetime,
    *,
    state: str,
    problems: Sequence[StoredProblem] = (),
    **values: Any,
) -> None:
    """Record how handling the product ended; it is not handled again until it changes."""
    update: dict[str, Any] = {
        "state": state,
        "problems": json.dumps([p.__dict__ for p in problems]),
        "dirty": False,
        "updated_at": now,
    }
    for key, value in values.items():
        if key in ("sku_ids", "last_body", "audit_reasons"):
            value = json.dumps(value, sort_keys=True) if value is not None else ""
        update[key] = value
    CatalogProductRow.update(**update).where(
        CatalogProductRow.shopify_product_id == product_id
    ).execute()


def set_excluded(product_id: str, excluded: bool) -> None:
    """Take a product off the TikTok channel (or put it back); handled at the next run."""
    _mark(product_id, excluded=excluded)


def set_priority(product_id: str, priority: int) -> None:
    """Where the product goes in the daily-cap queue (higher first); a change waiting to be
    handled stays waiting."""
    CatalogProductRow.update(priority=priority).where(
        CatalogProductRow.shopify_product_id == product_id
    ).execute()


def set_overrides(product_id: str, overrides: Mapping[str, Any]) -> None:
    """Replace the TikTok-only overrides (title, description_html, category_id, brand_id,
    price_percent, price_amount, attributes {attribute id: value name})."""
    _mark(product_id, overrides=json.dumps(dict(overrides), sort_keys=True))


def queue_shopify_fixes(product_id: str, fixes: Sequence[Mapping[str, Any]]) -> None:
    """Fixes typed on the Catalog page ({variant_id, sku?, price?, weight_grams?}) for the
    catalog job to write to Shopify at its next run."""
    _mark(product_id, shopify_fixes=json.dumps(list(fixes), sort_keys=True))


def clear_shopify_fixes(product_id: str) -> None:
    """The fixes are in Shopify; the product is handled again once its change is pulled."""
    _mark(product_id, shopify_fixes="[]")


def push_now(product_ids: Iterable[str]) -> int:
    """Handle these products at the next run, including edits held back for audit."""
    ids = list(product_ids)
    where = CatalogProductRow.shopify_product_id.in_(ids)
    CatalogProductRow.update(held_edit=RELEASED).where(
        where & (CatalogProductRow.held_edit == HELD)
    ).execute()
    return int(CatalogProductRow.update(dirty=True, notice="").where(where).execute())


def _mark(product_id: str, *, dirty: bool = True, **values: Any) -> None:
    CatalogProductRow.update(dirty=dirty, **values).where(
        CatalogProductRow.shopify_product_id == product_id
    ).execute()


def cached_image(source: str, use_case: str) -> CatalogImage | None:
    """The upload already made for this Shopify address."""
    row = CatalogImageRow.get_or_none(
        (CatalogImageRow.source == source) & (CatalogImageRow.use_case == use_case)
    )
    return None if row is None else _image(row)


def cached_by_hash(content_hash: str, use_case: str) -> CatalogImage | None:
    """An upload of the same bytes under another address."""
    row = CatalogImageRow.get_or_none(
        (CatalogImageRow.content_hash == content_hash) & (CatalogImageRow.use_case == use_case)
    )
    return None if row is None else _image(row)


def remember_image(source: str, image: CatalogImage) -> None:
    """Record an upload, so the same image is never uploaded twice."""
    CatalogImageRow.insert(
        source=source, content_hash=image.content_hash, use_case=image.use_case, uri=image.uri,
        url=image.url, width=image.width, height=image.height,
    ).on_conflict_replace().execute()  # fmt: skip


@dataclass(frozen=True)
class CatalogImage:
    """An image on TikTok."""

    content_hash: str
    use_case: str
    uri: str
    url: str
    width: int
    height: int


def _image(row: CatalogImageRow) -> CatalogImage:
    return CatalogImage(row.content_hash, row.use_case, row.uri, row.url, row.width, row.height)


def _listing(row: CatalogProductRow) -> Listing:
    return Listing(
        shopify_product_id=row.shopify_product_id,
        title=row.title,
        payload=json.loads(row.payload or "{}"),
        excluded=bool(row.excluded),
        priority=int(row.priority),
        overrides=json.loads(row.overrides or "{}"),
        category_id=row.category_id,
        tiktok_product_id=row.tiktok_product_id,
        sku_ids=json.loads(row.sku_ids or "{}"),
        last_body=json.loads(row.last_body) if row.last_body else None,
        state=row.state,
        tiktok_status=row.tiktok_status,
        problems=tuple(StoredProblem(**p) for p in json.loads(row.problems or "[]")),
        audit_reasons=tuple(json.loads(row.audit_reasons or "[]")),
        notice=row.notice,
        held_edit=int(row.held_edit),
        queued_until=row.queued_until,
        shopify_status=row.shopify_status,
        dirty=bool(row.dirty),
        shopify_fixes=tuple(json.loads(row.shopify_fixes or "[]")),
    )
