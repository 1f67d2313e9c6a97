"""Read queries behind the Carriers page: carriers seen in Shopify, their mappings, stuck pushes.

"This carrier is not supported on TikTok Shop" is a frequent support ticket:
the page lists every carrier name Shopify used on a TikTok order, how its
shipments fared and which TikTok provider it maps to, and below them the
shipments whose tracking did not reach TikTok. A few statements, frozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tiktok_console.storage.database import db
from tiktok_console.storage.fields import UtcDateTimeField
from tiktok_console.storage.fulfillment.tables import (
    CarrierMappingRow,
    ShippingProviderRow,
    ShopifyFulfillmentRow,
)
from tiktok_console.storage.tables import TikTokOrderRow

STUCK = ("blocked", "held", "failed")
"""Fulfillment states the merchant must act on (or retry)."""
SAMPLES = 5  # tracking numbers per carrier handed to the suggestion

_TIMES = UtcDateTimeField()
_FULFILLMENTS = ShopifyFulfillmentRow._meta.table_name
_MAPPINGS = CarrierMappingRow._meta.table_name
_PROVIDERS = ShippingProviderRow._meta.table_name
_ORDERS = TikTokOrderRow._meta.table_name


@dataclass(frozen=True)
class MappedProvider:
    """The TikTok provider a carrier maps to, for one delivery option ("" = every option)."""

    delivery_option_id: str
    provider_id: str
    provider_name: str
    source: str


@dataclass(frozen=True)
class CarrierLine:
    """A Shopify carrier name, its shipments on TikTok orders, and its mappings.

    Attributes:
        carrier: the name as Shopify has it (``DHL Express``).
        shipments: its fulfillments on TikTok orders.
        blocked: those waiting because the carrier is not mapped (for their option).
        held: those held because the tracking number does not fit the provider.
        failed: those TikTok refused.
        mappings: its mappings, the every-option one ("") first.
        delivery_options: the delivery options of its shipments.
        tracking_samples: a few of its latest tracking numbers (for suggestions).
        last_shipment_at: when Shopify last created a shipment with it.
    """

    carrier: str
    shipments: int
    blocked: int
    held: int
    failed: int
    mappings: tuple[MappedProvider, ...]
    delivery_options: tuple[str, ...]
    tracking_samples: tuple[str, ...]
    last_shipment_at: datetime | None

    @property
    def mapped(self) -> bool:
        """Whether any mapping exists for this carrier."""
        return bool(self.mappings)


@dataclass(frozen=True)
class StuckShipment:
    """A Shopify shipment whose tracking is blocked, held or refused by TikTok."""

    fulfillment_id: str
    tiktok_order_id: str
    shopify_order_name: str
    carrier: str
    tracking_number: str
    delivery_option_id: str
    state: str
    reason: str
    attempts: int
    shipped_at: datetime
    ship_by: datetime | None


@dataclass(frozen=True)
class ProviderChoice:
    """A TikTok shipping provider offered for a delivery option, as cached."""

    delivery_option_id: str
    delivery_option_name: str
    provider_id: str
    provider_name: str


_CARRIERS = f"""
SELECT carrier, COUNT(*), SUM(state = 'blocked'), SUM(state = 'held'), SUM(state = 'failed'),
       group_concat(DISTINCT delivery_option_id), MAX(shopify_created_at)
FROM "{_FULFILLMENTS}"
WHERE carrier != ''
GROUP BY carrier
"""  # noqa: S608 (the table name is ours)

_SAMPLES = f"""
SELECT carrier, tracking_number FROM "{_FULFILLMENTS}"
WHERE tracking_number != '' ORDER BY shopify_created_at DESC
"""  # noqa: S608

_STUCK = f"""
SELECT f.fulfillment_id, f.tiktok_order_id, COALESCE(o.shopify_order_name, ''), f.carrier,
       f.tracking_number, f.delivery_option_id, f.state, f.reason, f.attempts,
       f.shopify_created_at, o.ship_by
FROM "{_FULFILLMENTS}" AS f
LEFT JOIN "{_ORDERS}" AS o ON o.order_id = f.tiktok_order_id
WHERE f.state IN (?, ?, ?)
ORDER BY o.ship_by IS NULL, o.ship_by, f.shopify_created_at
"""  # noqa: S608


def carrier_lines() -> list[CarrierLine]:
    """One line per carrier seen in shipments or mappings, most blocked first."""
    mappings: dict[str, list[MappedProvider]] = {}
    for row in CarrierMappingRow.select().order_by(CarrierMappingRow.delivery_option_id):
        mapped = MappedProvider(
            row.delivery_option_id, row.provider_id, row.provider_name, row.source
        )
        mappings.setdefault(row.carrier, []).append(mapped)
    samples: dict[str, list[str]] = {}
    for carrier, number in db.execute_sql(_SAMPLES):
        seen = samples.setdefault(carrier, [])
        if len(seen) < SAMPLES and number not in seen:
            seen.append(number)
    lines = {}
    for carrier, count, blocked, held, failed, options, last in db.execute_sql(_CARRIERS):
        lines[carrier] = CarrierLine(
            carrier=carrier, shipments=count, blocked=int(blocked), held=int(held),
            failed=int(failed), mappings=tuple(mappings.get(carrier, ())),
            delivery_options=tuple(sorted(o for o in (options or "").split(",") if o)),
            tracking_samples=tuple(samples.get(carrier, ())),
            last_shipment_at=_TIMES.python_value(last),
        )  # fmt: skip
    for carrier, saved in mappings.items():
        if carrier not in lines:  # mapped ahead of its first shipment
            lines[carrier] = CarrierLine(carrier, 0, 0, 0, 0, tuple(saved), (), (), None)
    return sorted(lines.values(), key=lambda c: (-c.blocked, -c.shipments, c.carrier.casefold()))


def stuck_shipments() -> list[StuckShipment]:
    """Shipments blocked, held or failed, the nearest ship-by deadline first."""
    rows = []
    for (fid, order_id, name, carrier, tracking, option, state, reason, attempts, shipped,
         ship_by) in db.execute_sql(_STUCK, STUCK):  # fmt: skip
        shipped_at = _TIMES.python_value(shipped)
        assert shipped_at is not None  # a NOT NULL column
        rows.append(
            StuckShipment(
                fid, order_id, name, carrier, tracking, option, state, reason, attempts,
                shipped_at, _TIMES.python_value(ship_by),
            )
        )  # fmt: skip
    return rows


def provider_choices() -> list[ProviderChoice]:
    """TikTok's cached shipping providers, per delivery option, by name."""
    query = ShippingProviderRow.select().order_by(
        ShippingProviderRow.provider_name, ShippingProviderRow.delivery_option_id
    )
    return [
        ProviderChoice(
            row.delivery_option_id, row.delivery_option_name, row.provider_id, row.provider_name
        )
        for row in query
    ]
