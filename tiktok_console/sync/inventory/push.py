"""Compute and push TikTok quantities: the one place both inventory jobs write stock through.

Both jobs (the fast path and the reconciliation) call ``StockPusher.push``;
its lock makes their pushes take turns, so a slow reconciliation and a fast
change never interleave their writes for one SKU. Each push is computed from
the newest Shopify read stored (older reads never replace newer ones, see
``storage.inventory``), and after the call we check that no newer read
arrived meanwhile: if one did, those SKUs are computed and pushed again.

Pushes are absolute quantities, so sending one twice is harmless: a crash
between the call and the ledger write only loses the ledger line; the next
run reads TikTok's quantity and fixes any difference. No intent journal is
needed here.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from tiktok_console.core.settings import InventorySettings
from tiktok_console.domain.inventory import (
    Buffer,
    StockInputs,
    StockTarget,
    parse_buffer,
    target_quantity,
    warehouse_quantities,
)
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.inventory import livestreams
from tiktok_console.storage.inventory.in_flight import in_flight_units
from tiktok_console.storage.inventory.stock import (
    Computed,
    ShopifyStock,
    SkuStock,
    StockRule,
    product_sku_targets,
    record_computed,
    set_product_status,
    sku_stock,
    stock_rules,
    stock_stamp,
)
from tiktok_console.storage.inventory.stock_ledger import LedgerEntry, record_pushes
from tiktok_console.stores.errors import RequestRejectedError, StoreError
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tiktok.models.products import SkuStockUpdate, WarehouseStock

log = logging.getLogger(__name__)

JOB = "inventory"
LIVE = "ACTIVATE"  # TikTok takes stock updates for live listings only
DEACTIVATED = "SELLER_DEACTIVATED"
MAX_RECOMPUTES = 3


@dataclass
class PushResult:
    """What one push did."""

    computed: int = 0
    pushed: int = 0
    failed: int = 0
    drift_units: int = 0  # |what TikTok showed - what it should| over the pushed SKUs
    stale: set[str] = field(default_factory=set)  # computed from a read that is no longer newest
    error: StoreError | None = None  # a store failure that left SKUs unpushed (retry later)


@dataclass(frozen=True)
class _Plan:
    sku: SkuStock
    target: StockTarget
    available: int
    reason: str


class StockPusher:
    """Computes targets from stored reads and pushes the ones TikTok does not show yet.

    Args:
        tiktok: the TikTok client.
        settings: the inventory settings (read at each push: changes apply at once).
        now: the clock ledger times and livestreams use.
        concurrency: products pushed at once (the client's limiter keeps TikTok's QPS).
    """

    def __init__(
        self,
        tiktok: TikTokShopApi,
        settings: InventorySettings,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        concurrency: int = 16,
    ) -> None:
        self._tiktok = tiktok
        self.settings = settings
        self._now = now
        self._slots = asyncio.Semaphore(concurrency)
        self.lock = asyncio.Lock()
        self.active_locations: set[str] | None = None  # None: not known yet, sum them all

    async def push(self, sku_ids: Iterable[str], reason: str) -> PushResult:
        """Compute ``sku_ids`` and push what differs; ``reason`` goes in the ledger."""
        result = PushResult()
        todo = set(sku_ids)
        unsent: set[str] = set()
        async with self.lock:
            for _ in range(MAX_RECOMPUTES):
                if not todo:
                    break
                todo, not_sent = await self._push_once(todo, reason, result)
                unsent |= not_sent
        result.stale = todo | unsent
        return result

    async def _push_once(
        self, todo: set[str], reason: str, result: PushResult
    ) -> tuple[set[str], set[str]]:
        """One round; returns (SKUs computed from a read no longer newest, SKUs unsent)."""
        now = self._now()
        plans, computed, products = await asyncio.to_thread(self._plan, todo, reason, now)
        result.computed += len(plans) + len(computed)
        if computed:
            await asyncio.to_thread(record_computed, computed, now)
        used = {p.sku.sku_id: p.sku.stock for p in plans if p.sku.stock is not None}
        by_product: dict[str, list[_Plan]] = {}
        for plan in plans:
            by_product.setdefault(plan.sku.product_id, []).append(plan)
        await self._reactivate(by_product)
        outcomes = await asyncio.gather(
            *(self._push_product(pid, items, now) for pid, items in by_product.items())
        )
        entries = [entry for product_entries, _, _ in outcomes for entry in product_entries]
        retry = {sku for _, unsent, _ in outcomes for sku in unsent}
        result.error = next((e for _, _, e in outcomes if e is not None), result.error)
        if entries:
            await asyncio.to_thread(record_pushes, entries)
        for entry in entries:
            if entry.status == "pushed":
                result.pushed += 1
                result.drift_units += abs((entry.previous or 0) - entry.quantity)
            else:
                result.failed += 1
        self._warn_negative(plans)
        await self._deactivate_at_zero(products)
        return self._newer_reads(used) - retry, retry

    # -- computing -------------------------------------------------------------------------

    def _plan(
        self, todo: set[str], reason: str, now: datetime
    ) -> tuple[list[_Plan], list[Computed], set[str]]:
        """Targets of the SKUs in ``todo``, and their products (on a worker thread:
        10,000 SKUs take a moment)."""
        skus = [s for s in sku_stock(todo) if s.variant_id and s.stock is not None]
        rules = stock_rules([s.sku_id for s in skus])
        in_flight = in_flight_units({s.sku_id: s.stock.read_at for s in skus if s.stock})
        live = livestreams.active(now)
        plans: list[_Plan] = []
        computed: list[Computed] = []
        for sku in skus:
            assert sku.stock is not None
            available = self._available(sku.stock.locations)
            rule = rules.get(sku.sku_id, StockRule(sku.sku_id))
            target = target_quantity(
                StockInputs(
                    shopify_available=available,
                    in_flight=in_flight.get(sku.sku_id, 0),
                    buffer=self._buffer(rule),
                    livestream_buffer=self._live_buffer() if live else None,
                    cap=self._cap(rule) if live else None,
                    frozen=rule.frozen,
                )
            )
            why = "freeze" if rule.frozen else "livestream" if live else reason
            if target.quantity != sku.tiktok_quantity and sku.warehouses:
                plans.append(_Plan(sku, target, available, why))
            else:
                computed.append(
                    Computed(sku.sku_id, available, target.quantity, target.explanation)
                )
        return plans, computed, {s.product_id for s in skus}

    def _available(self, locations: Mapping[str, int]) -> int:
        chosen = set(self.settings.location_ids) or self.active_locations
        return sum(q for loc, q in locations.items() if chosen is None or loc in chosen)

    def _buffer(self, rule: StockRule) -> Buffer:
        default = Buffer(self.settings.buffer_units, self.settings.buffer_percent)
        try:
            return parse_buffer(rule.buffer) or default
        except ValueError:  # set_buffer validates; an old bad value falls back to the default
            return default

    def _live_buffer(self) -> Buffer:
        live = self.settings.livestream
        return Buffer(live.buffer_units, live.buffer_percent)

    def _cap(self, rule: StockRule) -> int | None:
        return rule.cap if rule.cap is not None else self.settings.livestream.default_cap

    # -- pushing ---------------------------------------------------------------------------

    async def _push_product(
        self, product_id: str, plans: list[_Plan], now: datetime
    ) -> tuple[list[LedgerEntry], set[str], StoreError | None]:
        """One update-inventory call for the product's changed SKUs.

        Returns its ledger entries, and the SKUs to retry with the store error
        that left them unsent (TikTok unreachable or rate-limited).
        """
        status = plans[0].sku.product_status
        if status != LIVE:
            # TikTok refuses stock for listings that are not live; the target is kept and
            # pushed once the listing is live again (reconciliation reads the status).
            record_computed(
                [Computed(p.sku.sku_id, p.available, p.target.quantity,
                          f"{p.target.explanation} (listing is {status or 'not live'})")
                 for p in plans], now,
            )  # fmt: skip
            return [], set(), None
        layouts = {
            p.sku.sku_id: warehouse_quantities(list(p.sku.warehouses), p.target.quantity)
            for p in plans
        }
        updates = [
            SkuStockUpdate(
                id=sku_id,
                inventory=[WarehouseStock(warehouse_id=w, quantity=q) for w, q in layout.items()],
            )
            for sku_id, layout in layouts.items()
        ]
        errors: dict[str, str] = {}
        try:
            async with self._slots:
                batch = await self._tiktok.update_inventory(product_id, updates)
            for error in batch.errors:
                sku_id = error.detail.sku_id
                errors[sku_id or "*"] = error.message or str(error.code)
        except RequestRejectedError as error:
            errors["*"] = error.message
        except StoreError as error:
            log.info("Stock push for product %s failed (%s); retrying", product_id, error.message)
            return [], {p.sku.sku_id for p in plans}, error
        if errors:
            record_activity(
                JOB, "push", f"TikTok refused stock for product {product_id}: "
                + "; ".join(sorted(set(errors.values()))),
                level="error", subject=product_id, retryable=True,
            )  # fmt: skip
        entries = []
        for plan in plans:
            error_text = errors.get(plan.sku.sku_id) or errors.get("*", "")
            entries.append(_entry(plan, now, layouts[plan.sku.sku_id], error_text))
        return entries, set(), None

    async def _reactivate(self, by_product: dict[str, list[_Plan]]) -> None:
        """Relist products we took off sale at zero, now that a SKU has stock again."""
        back = [
            pid for pid, plans in by_product.items()
            if plans[0].sku.deactivated_by_us and any(p.target.quantity > 0 for p in plans)
        ]  # fmt: skip
        if not back:
            return
        try:
            result = await self._tiktok.activate_products(back)
        except StoreError as error:
            log.warning("Could not relist %d product(s): %s", len(back), error.message)
            return
        refused = {e.detail.product_id for e in result.errors}
        for pid in back:
            if pid in refused:
                continue
            set_product_status(pid, LIVE, deactivated_by_us=False)
            record_activity(JOB, "activate", f"Relisted TikTok product {pid}: stock is back",
                            subject=pid)  # fmt: skip
            by_product[pid] = [
                _Plan(_with_status(p.sku, LIVE), p.target, p.available, p.reason)
                for p in by_product[pid]
            ]

    async def _deactivate_at_zero(self, product_ids: set[str]) -> None:
        """Take listings off sale when every SKU's target is 0 (the setting, if on)."""
        if not self.settings.deactivate_at_zero or not product_ids:
            return
        targets = product_sku_targets(product_ids)
        empty = [
            pid for pid, skus in targets.items()
            if skus and all(t == 0 for t, _ in skus) and all(s == LIVE for _, s in skus)
        ]  # fmt: skip
        if not empty:
            return
        try:
            result = await self._tiktok.deactivate_products(empty)
        except StoreError as error:
            log.warning("Could not take %d product(s) off sale: %s", len(empty), error.message)
            return
        refused = {e.detail.product_id for e in result.errors}
        for pid in empty:
            if pid not in refused:
                set_product_status(pid, DEACTIVATED, deactivated_by_us=True)
                message = f"Took TikTok product {pid} off sale: no stock left"
                record_activity(JOB, "deactivate", message, subject=pid)

    def _warn_negative(self, plans: list[_Plan]) -> None:
        for plan in plans:
            if plan.target.negative and not plan.sku.last_negative:
                record_activity(
                    JOB, "negative",
                    f"Shopify stock of TikTok SKU {plan.sku.sku_id} is negative "
                    f"({plan.available}): TikTok set to 0",
                    level="warning", subject=plan.sku.sku_id,
                )  # fmt: skip

    def _newer_reads(self, used: dict[str, ShopifyStock]) -> set[str]:
        """SKUs whose Shopify stock was read again (newer) while we pushed them."""
        stamps = stock_stamp({stock.variant_id for stock in used.values()})
        stale = set()
        for sku_id, stock in used.items():
            now_stamp = stamps.get(stock.variant_id)
            before = (stock.store_updated_at, _locations_json(stock.locations))
            if now_stamp is not None and now_stamp != before:
                stale.add(sku_id)
        return stale


def _entry(plan: _Plan, now: datetime, layout: dict[str, int], error: str) -> LedgerEntry:
    target = plan.target
    return LedgerEntry(
        at=now, sku_id=plan.sku.sku_id, product_id=plan.sku.product_id,
        shopify_variant_id=plan.sku.variant_id, shopify_available=plan.available,
        buffer=target.buffer, in_flight=target.in_flight, cap=target.cap, frozen=target.frozen,
        previous=plan.sku.tiktok_quantity, quantity=target.quantity, reason=plan.reason,
        explanation=target.explanation, warehouses=layout,
        status="failed" if error else "pushed", error=error,
    )  # fmt: skip


def _with_status(sku: SkuStock, status: str) -> SkuStock:
    return replace(sku, product_status=status, deactivated_by_us=False)


def _locations_json(locations: Mapping[str, int]) -> str:
    return json.dumps(dict(sorted(locations.items())))  # as ``storage.inventory`` stores them
