"""The catalog job: every active Shopify product on TikTok, checked first, pushed once.

Each run pulls the Shopify products changed since the cursor (``updatedAt``),
pulls back the audit of listings in review, then handles every changed
product (and queued ones whose day came), highest priority first:

- excluded (by the merchant, or no longer active in Shopify): its listing is
  deactivated, never deleted;
- on TikTok already (its seller SKUs found there): linked, never listed twice;
- new: the pre-flight health check, then TikTok's Check Product Listing, then
  Create Product through the intent journal with an idempotency key (a crash
  at any point resends the same body with the same key, which TikTok answers
  with the first result); beyond the daily cap it waits in a queue;
- listed: the smallest call from ``listing_diff`` (Update Price, Partial Edit,
  Edit Product). An edit that sends a live listing back to audit is held
  until the merchant says "Push now" on the Catalog page, which batches them.
Stock is left to the inventory job.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from tiktok_console.domain.listing_diff import (
    edit_product_body,
    partial_edit_body,
    plan_edit,
    price_update_body,
)
from tiktok_console.domain.listing_health import Problem, check_product, is_blocked
from tiktok_console.domain.listing_html import description_image_sources
from tiktok_console.domain.listing_mapping import create_product_body, main_image_candidates
from tiktok_console.domain.listing_product import Category, ProductView
from tiktok_console.domain.listing_regions import RegionRules, region_rules
from tiktok_console.storage.catalog import listings as store
from tiktok_console.storage.catalog.listings import Listing, StoredProblem
from tiktok_console.storage.database import db
from tiktok_console.storage.intents import (
    complete_intent,
    fail_intent,
    forget_intent,
    intent,
    pending_intents,
    record_intent,
)
from tiktok_console.storage.jobs import load_cursor, save_cursor
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.shopify.catalog_replies import products_page
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.catalog_api import CatalogApi
from tiktok_console.stores.tiktok.models.products import SearchProductsRequest
from tiktok_console.sync.catalog.fixes import VariantFix, write_fixes
from tiktok_console.sync.catalog.images import ImageCopier
from tiktok_console.sync.catalog.product_view import category_of, product_view
from tiktok_console.sync.catalog.queue import CAP_REFUSED, queue_eta, shop_day
from tiktok_console.sync.engine import Outcome

log = logging.getLogger(__name__)

NAME = "catalog"
CREATE = "tiktok.create_product"
EDIT = "tiktok.edit_product"
OVERLAP = timedelta(minutes=2)  # Shopify's updated_at filter is not transactional
PROMOTION_LOCKED = "12052038"
TOPICS = frozenset({"catalog"})
LINKED_SOURCES = "_linked_with_shopify_images"
_STATUS_STATES = {
    "ACTIVATE": store.LIVE,
    "PENDING": store.PENDING_AUDIT,
    "DRAFT": store.PENDING_AUDIT,
    "FAILED": store.FAILED_AUDIT,
}


@dataclass(frozen=True)
class CatalogConfig:
    """The shop's region and the merchant's catalog settings."""

    region: str = "US"
    daily_cap: int = 100
    page_size: int = 3  # query cost: 3 products × (10 images + 50 variants) stays under 1,000
    # A page costs hundreds of Shopify points: the pause between pages lets the orders and
    # stock jobs (other tasks of the engine) spend the bucket too.
    page_pause: float = 2.0


@dataclass
class CatalogStats:
    """Calls made, for tests and benchmarks."""

    creates: int = 0
    edits: int = 0
    price_updates: int = 0


class CatalogJob:
    """Shopify products → TikTok listings."""

    name = NAME

    def __init__(
        self,
        tiktok: TikTokShopApi,
        shopify: ShopifyTransport,
        http: httpx.AsyncClient,
        config: CatalogConfig | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        interval: float = 60.0,
    ) -> None:
        self._tiktok = tiktok
        self._catalog = CatalogApi(tiktok.transport)
        self._shopify = shopify
        self._config = config or CatalogConfig()
        self._rules: RegionRules = region_rules(self._config.region)
        self._now = now
        self.interval = interval
        self.images = ImageCopier(tiktok, http)
        self.stats = CatalogStats()
        self._warehouse = ""
        self._tiktok_skus: dict[str, str] | None = None  # seller SKU -> TikTok product id
        self._categories: dict[str, list[dict[str, Any]]] = {}
        self._cap_full = False
        self._store_skus: dict[str, set[str]] = {}
        self._cap = self._config.daily_cap  # lowered to what TikTok allowed when it refuses
        self._created_on: Counter[date] = Counter()  # creates per shop-local day

    async def run_once(self) -> Outcome:
        pulled = await self._pull_shopify()
        await self._resume_creates()
        reviewed = await self._pull_audits()
        self._cap_full = False
        due = store.listings_to_handle(self._now())
        self._store_skus = store.other_skus() if due else {}  # once a run, not per product
        for entry in due:
            await self._handle(entry)
        self._schedule_queue()
        changed = TOPICS if pulled or reviewed or due else frozenset()
        summary = f"{pulled} products pulled, {len(due)} handled, {reviewed} audits"
        return Outcome(caught_up=True, changed=changed, summary=summary)

    # -- reading -----------------------------------------------------------
    async def _pull_shopify(self) -> int:
        cursor = load_cursor(NAME)
        query = "status:active"
        if cursor:
            since = datetime.fromisoformat(cursor) - OVERLAP
            query = f"updated_at:>='{since.astimezone(UTC).isoformat()}'"
        after: str | None = None
        changed = 0
        newest = cursor
        while True:
            page = await products_page(self._shopify, self._config.page_size, after, query)
            nodes = [p.model_dump() for p in page.products.nodes]
            newest = max([newest, *(n["updatedAt"] for n in nodes)], default=newest)
            with db.atomic():
                changed += store.store_pulled(nodes, self._now())
                save_cursor(NAME, newest)
            if not page.products.pageInfo.hasNextPage:
                return changed
            after = page.products.pageInfo.endCursor
            await asyncio.sleep(self._config.page_pause)

    async def _pull_audits(self) -> int:
        finished = 0
        for entry in store.listings_in_review():
            detail = await self._tiktok.get_product(entry.tiktok_product_id)
            state = _STATUS_STATES.get(detail.status, store.LIVE)
            reasons = [
                text
                for reason in detail.audit_failed_reasons
                for text in (*reason.reasons, *reason.suggestions)
            ]
            if state == store.PENDING_AUDIT:
                continue
            with db.atomic():
                store.save_outcome(
                    entry.shopify_product_id,
                    self._now(),
                    state=state,
                    problems=entry.problems,
                    tiktok_status=detail.status,
                    audit_reasons=reasons,
                )
                if not entry.dirty:
                    _keep_clean(entry)
            finished += 1
        return finished

    async def _sku_index(self) -> dict[str, str]:
        """Every seller SKU on TikTok with its product, read once per job."""
        if self._tiktok_skus is None:
            index: dict[str, str] = {}
            async for product in self._tiktok.search_products(
                SearchProductsRequest(), page_size=100
            ):
                for sku in product.skus:
                    index.setdefault(sku.seller_sku, product.id)
            self._tiktok_skus = index
        return self._tiktok_skus

    async def _warehouse_id(self) -> str:
        if not self._warehouse:
            found = await self._tiktok.warehouses()
            sales = [w for w in found if w.is_sales] or found
            default = next((w for w in sales if w.is_default), sales[0] if sales else None)
            self._warehouse = default.id if default else ""
        return self._warehouse

    async def _category(self, entry: Listing, view: ProductView) -> tuple[str, Category | None]:
        category_id = str(entry.overrides.get("category_id") or "") or entry.category_id
        if not category_id:
            title = view.overrides.title or view.title
            if not title.strip():
                return "", None
            category_id = await self._catalog.recommend_category(title, view.product_type)
        if not category_id:
            return "", None
        if category_id not in self._categories:
            attributes = await self._catalog.category_attributes(category_id)
            self._categories[category_id] = [a.model_dump() for a in attributes]
        chosen = {str(k): str(v) for k, v in dict(entry.overrides.get("attributes") or {}).items()}
        return category_id, category_of(
            category_id, self._categories[category_id], entry.payload, chosen
        )

    # -- handling one product ----------------------------------------------
    async def _handle(self, entry: Listing) -> None:
        if entry.shopify_fixes:
            fixes = [_fix(raw) for raw in entry.shopify_fixes]
            await write_fixes(self._shopify, entry.shopify_product_id, fixes)
            store.clear_shopify_fixes(entry.shopify_product_id)
            return  # handled again with Shopify's new data at the next run
        if entry.excluded or entry.shopify_status != "ACTIVE":
            await self._exclude(entry)
            return
        bare = product_view(entry.payload, entry.overrides, self._rules.currency, None)
        category_id, category = await self._category(entry, bare)
        view = product_view(entry.payload, entry.overrides, self._rules.currency, category)
        skus_elsewhere = {
            sku for sku, owners in self._store_skus.items() if owners - {entry.shopify_product_id}
        }
        problems = check_product(view, self._rules, skus_elsewhere)
        stored = tuple(_stored(p) for p in problems)
        now = self._now()
        if not entry.tiktok_product_id:
            linked = await self._link(entry, view, stored, category_id)
            if linked:
                return
        if entry.tiktok_product_id and entry.state == store.EXCLUDED:
            entry = await self._include_again(entry)
        if is_blocked(problems):
            state = store.BLOCKED if not entry.tiktok_product_id else entry.state
            store.save_outcome(
                entry.shopify_product_id, now, state=state, problems=stored,
                category_id=category_id,
            )  # fmt: skip
            return
        if entry.tiktok_product_id:
            await self._edit(entry, view, stored, category_id)
        else:
            await self._create(entry, view, stored, category_id)

    async def _exclude(self, entry: Listing) -> None:
        status = entry.tiktok_status
        if entry.tiktok_product_id and status != "SELLER_DEACTIVATED":
            result = await self._tiktok.deactivate_products([entry.tiktok_product_id])
            # TikTok takes only listings on sale off sale; a draft or one in review stays.
            status = "SELLER_DEACTIVATED" if result.ok else status
        store.save_outcome(
            entry.shopify_product_id, self._now(), state=store.EXCLUDED,
            problems=entry.problems, tiktok_status=status,
        )  # fmt: skip

    async def _include_again(self, entry: Listing) -> Listing:
        """Put a listing the merchant excluded back on sale (TikTok reviews it again)."""
        if entry.tiktok_status == "SELLER_DEACTIVATED":
            result = await self._tiktok.activate_products([entry.tiktok_product_id])
            if result.ok:
                store.save_outcome(
                    entry.shopify_product_id, self._now(), state=store.PENDING_AUDIT,
                    problems=entry.problems, tiktok_status="PENDING",
                )  # fmt: skip
        return store.listing(entry.shopify_product_id) or entry

    async def _link(
        self,
        entry: Listing,
        view: ProductView,
        problems: tuple[StoredProblem, ...],
        category: str,
    ) -> bool:
        """Link the product to a listing that already carries its SKUs (never list twice)."""
        index = await self._sku_index()
        skus = [v.sku for v in view.variants if v.sku]
        found = {index[s] for s in skus if s in index}
        if not found:
            return False
        product_id = sorted(found)[0]
        detail = await self._tiktok.get_product(product_id)
        sku_ids = {s.seller_sku: s.id for s in detail.skus}
        # The listing as it stands is taken to be Shopify's product now, with Shopify's
        # image addresses: images are uploaded only when something changes.
        body = {**await self._body(view, with_images=False), LINKED_SOURCES: True}
        store.save_outcome(
            entry.shopify_product_id, self._now(),
            state=_STATUS_STATES.get(detail.status, store.LIVE), tiktok_product_id=product_id,
            sku_ids=sku_ids, last_body=body, tiktok_status=detail.status, problems=problems,
            category_id=category,
        )  # fmt: skip
        return True

    async def _body(self, view: ProductView, *, with_images: bool = True) -> dict[str, Any]:
        candidates = main_image_candidates(view)
        if with_images:
            uris = await self.images.main_uris([i.src for i in candidates])
            sources = description_image_sources(
                view.overrides.description_html or view.description_html
            )
            hosted = await self.images.description(sources)
        else:
            uris, hosted = [i.src for i in candidates], {}
        return create_product_body(
            view,
            self._rules,
            main_image_uris=uris,
            warehouse_id=await self._warehouse_id(),
            description_images=hosted,
        )

    async def _create(
        self, entry: Listing, view: ProductView, problems: tuple[StoredProblem, ...], category: str
    ) -> None:
        now = self._now()
        product_id = entry.shopify_product_id
        if self._cap_full:
            store.save_outcome(product_id, now, state=store.QUEUED, problems=problems,
                               category_id=category)  # fmt: skip
            return
        body = await self._body(view)
        check = await self._catalog.check_listing(body)
        if not check.passed:
            refused = tuple(
                StoredProblem(str(r.code), "tiktok", True, r.message, "Fix it and push again")
                for r in check.fail_reasons
            )
            store.save_outcome(product_id, now, state=store.BLOCKED,
                               problems=problems + refused, category_id=category)  # fmt: skip
            return
        journal = f"{CREATE}:{product_id}"
        previous = intent(journal)
        attempt = int(previous.payload.get("attempt", 0)) + 1 if previous else 1
        body["idempotency_key"] = _key(product_id, attempt)
        forget_intent(journal)  # a refused attempt: the new one is recorded with its own body
        record_intent(journal, CREATE, product_id, {"attempt": attempt, "body": body}, at=now)
        await self._send_create(entry, journal, body, problems, category)

    async def _send_create(
        self,
        entry: Listing,
        journal: str,
        body: Mapping[str, Any],
        problems: tuple[StoredProblem, ...],
        category: str,
    ) -> None:
        product_id = entry.shopify_product_id
        try:
            result = await self._catalog.create(body)
        except RequestRejectedError as error:
            fail_intent(journal, {"code": error.code, "message": error.store_message})
            if error.code == CAP_REFUSED:
                self._cap_full = True
                allowed = self._created_on[shop_day(self._now(), self._config.region)]
                self._cap = max(1, min(self._cap, allowed or self._cap))
                store.save_outcome(product_id, self._now(), state=store.QUEUED,
                                   problems=problems, category_id=category)  # fmt: skip
                return
            refused = StoredProblem(error.code, "tiktok", True, error.store_message, "")
            store.save_outcome(product_id, self._now(), state=store.BLOCKED,
                               problems=(*problems, refused), category_id=category)  # fmt: skip
            return
        self.stats.creates += 1
        self._created_on[shop_day(self._now(), self._config.region)] += 1
        sku_ids = {s.seller_sku: s.id for s in result.skus}
        with db.atomic():
            complete_intent(journal, {"product_id": result.product_id, "sku_ids": sku_ids})
            store.save_outcome(
                product_id, self._now(), state=store.PENDING_AUDIT, problems=problems,
                category_id=category, tiktok_product_id=result.product_id, sku_ids=sku_ids,
                last_body=_sent(body), tiktok_status="PENDING", queued_until=None,
            )  # fmt: skip
        if self._tiktok_skus is not None:
            for sku in sku_ids:
                self._tiktok_skus[sku] = result.product_id

    async def _resume_creates(self) -> None:
        """A create whose outcome is unknown (a crash came between) is sent again, same key."""
        for pending in pending_intents(CREATE):
            entry = store.listing(pending.subject)
            if entry is None or entry.tiktok_product_id:
                complete_intent(pending.key, {"resolved": "already linked"})
                continue
            log.info("Resending the create of %s (key %s)", entry.shopify_product_id, pending.key)
            await self._send_create(
                entry, pending.key, pending.payload["body"], entry.problems, entry.category_id
            )

    async def _edit(
        self, entry: Listing, view: ProductView, problems: tuple[StoredProblem, ...], category: str
    ) -> None:
        product_id = entry.tiktok_product_id
        stored = await self._edited_body(entry, view)
        new = {k: v for k, v in stored.items() if k != LINKED_SOURCES}
        plan = plan_edit(await self._baseline(entry, view, stored), new)
        now = self._now()
        if plan.kind == "none":
            store.save_outcome(entry.shopify_product_id, now, state=entry.state,
                               problems=problems)  # fmt: skip
            return
        if plan.sends_to_audit and entry.state == store.LIVE and entry.held_edit != store.RELEASED:
            held = StoredProblem(
                "edit_sends_to_audit", "listing", False,
                "This change sends the live listing back to TikTok's review.",
                "Push now when you are ready (listings under review stay on sale)",
            )  # fmt: skip
            store.save_outcome(entry.shopify_product_id, now, state=entry.state,
                               problems=(*problems, held), held_edit=store.HELD)  # fmt: skip
            return
        journal = f"{EDIT}:{product_id}:{_digest(new)}"
        record_intent(journal, EDIT, entry.shopify_product_id, {"kind": plan.kind}, at=now)
        notice = ""
        try:
            if plan.kind == "edit_product":
                await self._catalog.edit(product_id, edit_product_body(new, entry.sku_ids))
                self.stats.edits += 1
            elif plan.kind == "partial_edit":
                body = partial_edit_body(new, plan, entry.sku_ids)
                await self._catalog.partial_edit(product_id, body)
                self.stats.edits += 1
            if plan.needs_price_update:
                result = await self._catalog.update_prices(
                    product_id, price_update_body(new, plan, entry.sku_ids)
                )
                self.stats.price_updates += 1
                notice = _price_notice([e.code for e in result.errors])
        except RequestRejectedError as error:
            if error.code != PROMOTION_LOCKED:
                fail_intent(journal, {"code": error.code, "message": error.store_message})
                raise
            notice = _price_notice([int(error.code)])
        complete_intent(journal, {"notice": notice})
        state = store.PENDING_AUDIT if plan.sends_to_audit else entry.state
        # A refused price is reported once: the body is recorded as sent, so it is
        # not retried until the price changes again.
        store.save_outcome(
            entry.shopify_product_id, now, state=state, problems=problems, last_body=stored,
            notice=notice, held_edit=store.NOT_HELD, category_id=category or entry.category_id,
        )  # fmt: skip

    async def _edited_body(self, entry: Listing, view: ProductView) -> dict[str, Any]:
        """The body now; a linked listing's images are uploaded only once they change."""
        last = entry.last_body or {}
        if last.get(LINKED_SOURCES):
            as_sources = await self._body(view, with_images=False)
            if all(as_sources.get(k) == last.get(k) for k in ("main_images", "description")):
                return {**as_sources, LINKED_SOURCES: True}
        return await self._body(view)

    async def _baseline(
        self, entry: Listing, view: ProductView, new: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The body last pushed; for a linked listing, its Shopify images read as uploaded."""
        last = dict(entry.last_body or {})
        if last.pop(LINKED_SOURCES, False) and not new.get(LINKED_SOURCES):
            as_linked = await self._body(view, with_images=False)
            for key in ("main_images", "description"):
                if last.get(key) == as_linked.get(key):
                    last[key] = new.get(key)
        return last

    def _schedule_queue(self) -> None:
        """Give every queued product its day, in the merchant's priority order."""
        queued = [e for e in store.all_listings() if e.state == store.QUEUED]
        queued.sort(key=lambda e: (-e.priority, e.shopify_product_id))
        now = self._now()
        for position, entry in enumerate(queued):
            eta = queue_eta(position, now, self._config.region, self._cap)
            if entry.queued_until != eta:
                store.save_outcome(
                    entry.shopify_product_id, now, state=store.QUEUED, problems=entry.problems,
                    queued_until=eta,
                )  # fmt: skip


def _fix(raw: Mapping[str, Any]) -> VariantFix:
    def number(key: str) -> Decimal | None:
        return None if raw.get(key) in (None, "") else Decimal(str(raw[key]))

    sku = raw.get("sku")
    return VariantFix(
        str(raw["variant_id"]), None if sku is None else str(sku), number("price"),
        number("weight_grams"),
    )  # fmt: skip


def _keep_clean(entry: Listing) -> None:
    """save_outcome clears ``dirty``; nothing to restore for a clean row."""


def _stored(problem: Problem) -> StoredProblem:
    return StoredProblem(
        problem.code, problem.field, problem.blocking, problem.message, problem.fix,
        problem.fix_in, problem.variant_id, problem.suggestion,
    )  # fmt: skip


def _key(product_id: str, attempt: int) -> str:
    digest = hashlib.sha256(f"{product_id}#{attempt}".encode()).hexdigest()[:32]
    return f"tc-{digest}"


def _digest(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


def _sent(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "idempotency_key"}


def _price_notice(codes: list[int]) -> str:
    if not codes:
        return ""
    if any(str(code) == PROMOTION_LOCKED for code in codes):
        return (
            "TikTok kept the old price: the product is in a promotion. The new price is sent "
            "with the next price change after the promotion ends."
        )
    return f"TikTok refused the new price (codes {', '.join(map(str, codes))})."
