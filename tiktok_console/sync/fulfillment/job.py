"""Fulfillment, Shopify -> TikTok: tracking reaches TikTok once, on the right line items.

Each run (1) settles pushes whose outcome a crash or a timeout hid, by asking
TikTok whether the tracking number is on the order's lines; (2) reads Shopify
orders changed since the cursor (less an overlap for the search index's lag)
and records each shipment of a TikTok order with the TikTok lines it covers
(``shipment_reader``); (3) sends what is pending:
the carrier is resolved through the merchant's mapping for the order's
delivery option (unmapped: ``blocked``), the tracking number is checked
against the provider's format (``held`` or a warning, per the setting), and
the push goes through the journal (``sync.journal``): the intent is committed
before Mark Package As Shipped, whose key is the (shipment, tracking number) pair.
A changed tracking number of a pushed shipment is corrected with Update
Package Shipping Info, journaled the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from tiktok_console.core.settings import FulfillmentSettings
from tiktok_console.domain.carriers import (
    Provider,
    offered_provider,
    tracking_fits,
)
from tiktok_console.storage.accounts import record_call
from tiktok_console.storage.activity import record_activity
from tiktok_console.storage.database import db
from tiktok_console.storage.fulfillment.carrier_mappings import (
    mapping_count,
    mapping_for,
    providers_fetched_at,
    providers_for,
    store_providers,
)
from tiktok_console.storage.fulfillment.shipments import (
    BLOCKED,
    FAILED,
    HELD,
    PUSHED,
    Fulfillment,
    carriers_seen,
    fulfillment,
    fulfillments_to_push,
    linked_order,
    mark_fulfillment,
)
from tiktok_console.storage.intents import Intent, pending_intents
from tiktok_console.stores.errors import RequestRejectedError
from tiktok_console.stores.shopify.transport import ShopifyTransport
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.sync.engine import Outcome
from tiktok_console.sync.fulfillment.carrier_actions import SEND_AS_IS
from tiktok_console.sync.fulfillment.shipment_reader import (
    JOB,
    ShipmentReader,
    automap_carriers,
    delivery_option,
)
from tiktok_console.sync.job_config import PagedJobConfig
from tiktok_console.sync.journal import Absent, Found, journaled, resolve_pending

log = logging.getLogger(__name__)

MARK = "tiktok.markShipped"
UPDATE = "tiktok.updateShipping"
# TikTok's "these lines are shipped already": maybe by us, before a lost reply.
ALREADY_SHIPPED = frozenset({"21008099", "21011006", "21011020", "21042056"})


@dataclass
class FulfillmentConfig(PagedJobConfig):
    """Knobs of the fulfillment job."""

    settings: FulfillmentSettings
    pushes_per_run: int = 100


class FulfillmentJob:
    """The job that sends Shopify tracking to TikTok."""

    name = JOB

    def __init__(
        self,
        tiktok: TikTokShopApi,
        shopify: ShopifyTransport,
        config: FulfillmentConfig,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._tiktok = tiktok
        self._shopify = shopify
        self._config = config
        self._now = now
        self._reader = ShipmentReader(
            shopify, self._providers, config.index_lag, config.pages_per_run
        )
        self._no_providers: dict[str, datetime] = {}  # options TikTok lists none for
        self._waiting = False
        self.interval = config.settings.poll_seconds

    async def run_once(self) -> Outcome:
        self._waiting = False
        changed: set[str] = set()
        if await self._resolve_pending():
            changed.update({"fulfillment", "carriers"})
        read, more_to_read = await self._reader.read()
        if read:
            changed.update({"fulfillment", "carriers"})
        record_call("shopify", datetime.now(UTC))
        worked, more_to_push = await self._push_pending()
        if worked:
            changed.update({"fulfillment", "carriers", "activity"})
            record_call("tiktok", datetime.now(UTC))
        return Outcome(
            caught_up=not (more_to_read or more_to_push or self._waiting),
            changed=frozenset(changed),
            summary=f"{read} shipments read, {worked} settled",
            retry_in=1.0 if self._waiting else 0.0,
        )

    # -- pushing to TikTok ----------------------------------------------------------------

    async def _push_pending(self) -> tuple[int, bool]:
        worked = 0
        after: tuple[datetime, str] | None = None
        budget = self._config.pushes_per_run
        while budget > 0:
            batch = fulfillments_to_push(min(50, budget), after)
            for item in batch:
                before = fulfillment(item.fulfillment_id)
                await self._settle(item)
                worked += before != fulfillment(item.fulfillment_id)
            budget -= len(batch)
            if len(batch) < 50:
                return worked, False
            after = (batch[-1].shopify_created_at, batch[-1].fulfillment_id)
        return worked, bool(fulfillments_to_push(1, after))

    async def _settle(self, item: Fulfillment) -> None:
        order = linked_order(item.tiktok_order_id)
        if order is None or order.status == "CANCELLED":
            _set(item, FAILED, "Cancelled on TikTok: the tracking was not sent.")
            return
        if not item.line_item_ids:
            _set(item, FAILED, "None of the shipment's items match the TikTok order's items.")
            return
        option_id, option_name = delivery_option(order)
        offered = await self._providers(option_id, option_name)
        if not mapping_count():  # the merchant starts with the carriers TikTok names alike
            automap_carriers(carriers_seen())
        provider = self._provider(item, offered, option_name)
        if provider is None:
            return
        note = self._tracking_note(item, provider)
        if note is None:
            return
        if item.package_id and item.pushed_tracking:
            await self._update(item, provider, note)
        else:
            await self._mark(item, provider, note)

    def _provider(self, item: Fulfillment, offered: list[Provider], option: str) -> Provider | None:
        """The provider to send, or None after marking the shipment blocked."""
        carrier = item.carrier
        mapping = mapping_for(carrier, item.delivery_option_id)
        if mapping is None:
            named = f"Carrier {carrier!r}" if carrier else "A shipment with no carrier name"
            _block(
                item,
                f"{named} is not mapped to a TikTok shipping provider for {option}. Map it "
                "on the Carriers page; the shipment is sent as soon as it is.",
            )
            return None
        provider = offered_provider(mapping.provider_id, mapping.provider_name, offered)
        if provider is None:
            _block(
                item,
                f"Carrier {carrier!r} is mapped to {mapping.provider_name}, which TikTok does "
                f"not offer for {option}. Map {carrier!r} for {option} on the Carriers page.",
            )
        return provider

    def _tracking_note(self, item: Fulfillment, provider: Provider) -> str | None:
        """The note to keep with the push ("" when the number fits); None once held."""
        if tracking_fits(provider.name, item.tracking_number) is not False:
            return ""
        number = item.tracking_number
        problem = f"Tracking number {number} does not look like a {provider.name} number"
        if self._config.settings.bad_tracking == "warn" or item.reason == SEND_AS_IS:
            return f"{problem}; sent anyway."
        if item.state != HELD:
            _set(
                item,
                HELD,
                f"{problem}, so TikTok would likely refuse it. Fix it in Shopify, or retry to "
                "send it as it is.",
            )
            record_activity(JOB, "hold", problem, level="warning", subject=item.tiktok_order_id)
        return None

    async def _mark(self, item: Fulfillment, provider: Provider, note: str) -> None:
        payload = {
            "fulfillment_id": item.fulfillment_id,
            "order_id": item.tiktok_order_id,
            "line_item_ids": list(item.line_item_ids),
            "tracking_number": item.tracking_number,
            "provider_id": provider.provider_id,
            "note": note,
        }

        async def mark() -> str:
            try:
                result = await self._tiktok.mark_package_shipped(
                    item.tiktok_order_id, item.tracking_number, provider.provider_id,
                    list(item.line_item_ids),
                )  # fmt: skip
            except RequestRejectedError as error:
                # "Already shipped": maybe by us, before a lost reply. Then it is done.
                if error.code in ALREADY_SHIPPED:
                    shipped = await self._shipped_package(payload)
                    if shipped is not None:
                        return shipped
                raise
            return result.package_id

        await self._push(MARK, f"{MARK}:{item.fulfillment_id}:{item.tracking_number}",
                         mark, item, payload)  # fmt: skip

    async def _update(self, item: Fulfillment, provider: Provider, note: str) -> None:
        payload = {
            "fulfillment_id": item.fulfillment_id,
            "order_id": item.tiktok_order_id,
            "package_id": item.package_id,
            "line_item_ids": list(item.line_item_ids),
            "tracking_number": item.tracking_number,
            "provider_id": provider.provider_id,
            "note": note,
        }

        async def update() -> str:
            await self._tiktok.update_package_shipping_info(
                item.package_id, item.tracking_number, provider.provider_id
            )
            return item.package_id

        await self._push(UPDATE, f"{UPDATE}:{item.fulfillment_id}:{item.tracking_number}",
                         update, item, payload)  # fmt: skip

    async def _push(
        self,
        kind: str,
        key: str,
        call: Callable[[], Awaitable[str]],
        item: Fulfillment,
        payload: dict[str, Any],
    ) -> None:
        """Send tracking to TikTok through the journal; ``call`` returns the package id."""
        written = await journaled(
            kind, key, call,
            settle=lambda package_id: self._pushed(key, payload, package_id),
            refused=lambda error: _refused(item, error),
            subject=item.fulfillment_id, payload=payload, at=self._now(),
        )  # fmt: skip
        if written.unconfirmed:
            self._waiting = True  # TikTok may have it: the next run asks before sending again

    def _pushed(self, key: str, payload: dict[str, Any], package_id: str) -> dict[str, str]:
        """Record a push TikTok has (called in the transaction that completes its intent)."""
        note = str(payload.get("note") or "")
        mark_fulfillment(
            payload["fulfillment_id"], PUSHED, reason=note,
            provider_id=payload["provider_id"], package_id=package_id,
            pushed_tracking=payload["tracking_number"], pushed_at=self._now(), attempted=True,
        )  # fmt: skip
        verb = "Corrected" if key.startswith(UPDATE) else "Sent"
        record_activity(
            JOB,
            "push",
            f"{verb} tracking {payload['tracking_number']} for TikTok order "
            f"{payload['order_id']}" + (f" ({note})" if note else ""),
            level="warning" if note else "info",
            subject=payload["order_id"],
        )
        return {"package_id": package_id}

    # -- carriers -------------------------------------------------------------------------

    async def _providers(self, option_id: str, option_name: str) -> list[Provider]:
        """The option's providers, from the cache while it is fresh."""
        now = self._now()
        max_age = timedelta(hours=self._config.settings.provider_cache_hours)
        fetched = providers_fetched_at(option_id) or self._no_providers.get(option_id)
        if fetched is not None and now - fetched < max_age:
            return providers_for(option_id)
        try:
            found = await self._tiktok.shipping_providers(option_id)
        except RequestRejectedError as error:  # e.g. an option TikTok ships itself
            log.info("No providers for delivery option %s: %s", option_id, error.store_message)
            found = []
        providers = [Provider(p.id, p.name) for p in found]
        store_providers(option_id, option_name, providers, at=now)
        if not providers:
            self._no_providers[option_id] = now
        return providers

    # -- recovery -------------------------------------------------------------------------

    async def _resolve_pending(self) -> int:
        """After a crash or an unclear failure: ask TikTok what became of each push."""

        async def look(pending: Intent) -> Found | Absent:
            package_id = await self._shipped_package(pending.payload)
            if package_id is None:
                return Absent("not on TikTok; sending again")
            return Found(partial(self._pushed, pending.key, pending.payload, package_id))

        return await resolve_pending([*pending_intents(MARK), *pending_intents(UPDATE)], look)

    async def _shipped_package(self, payload: dict[str, Any]) -> str | None:
        """The package of this push if TikTok has its tracking on its lines, else None."""
        orders = await self._tiktok.get_orders([payload["order_id"]])
        wanted = set(payload["line_item_ids"])
        lines = [li for o in orders for li in o.line_items if li.id in wanted]
        number = payload["tracking_number"]
        if not lines or any(li.tracking_number != number for li in lines):
            return None
        return lines[0].package_id or str(payload.get("package_id") or "")


def _refused(item: Fulfillment, error: RequestRejectedError) -> None:
    """Record TikTok's refusal (in the transaction that fails the intent)."""
    message = f"TikTok refused the tracking: {error.store_message} (code {error.code})."
    mark_fulfillment(
        item.fulfillment_id, FAILED, reason=message, error_code=error.code, attempted=True
    )
    record_activity(
        JOB, "push", message, level="error", subject=item.tiktok_order_id, retryable=True
    )


def _set(item: Fulfillment, state: str, reason: str) -> None:
    if (item.state, item.reason) != (state, reason):
        mark_fulfillment(item.fulfillment_id, state, reason=reason)


def _block(item: Fulfillment, reason: str) -> None:
    if (item.state, item.reason) == (BLOCKED, reason):
        return
    with db.atomic():
        mark_fulfillment(item.fulfillment_id, BLOCKED, reason=reason)
        record_activity(JOB, "blocked", reason, level="warning", subject=item.tiktok_order_id)
