"""Carrier mappings (Shopify carrier name -> TikTok provider) and TikTok's cached provider lists.

A mapping is for one delivery option or, with ``delivery_option_id == ""``,
for every option; the specific one wins. Providers are cached per delivery
option because TikTok accepts, per order, only its delivery option's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tiktok_console.domain.carriers import Provider
from tiktok_console.storage.database import db
from tiktok_console.storage.fulfillment.tables import CarrierMappingRow, ShippingProviderRow

EVERY_OPTION = ""


@dataclass(frozen=True)
class CarrierMapping:
    """One saved mapping."""

    carrier: str
    delivery_option_id: str  # "" = every option
    provider_id: str
    provider_name: str
    source: str  # manual | suggested | bulk
    updated_at: datetime


def all_mappings() -> list[CarrierMapping]:
    """Every mapping, by carrier then option ("" first)."""
    query = CarrierMappingRow.select().order_by(
        CarrierMappingRow.carrier, CarrierMappingRow.delivery_option_id
    )
    return [_mapping(row) for row in query]


def mapping_for(carrier: str, delivery_option_id: str) -> CarrierMapping | None:
    """The mapping that applies to ``carrier`` on an order with that delivery option."""
    rows = {
        row.delivery_option_id: row
        for row in CarrierMappingRow.select().where(
            (CarrierMappingRow.carrier == carrier)
            & CarrierMappingRow.delivery_option_id.in_((delivery_option_id, EVERY_OPTION))
        )
    }
    row = rows.get(delivery_option_id) or rows.get(EVERY_OPTION)
    return None if row is None else _mapping(row)


def mapping_count() -> int:
    """How many mappings exist."""
    return int(CarrierMappingRow.select().count())


def save_mapping(
    carrier: str,
    provider_id: str,
    provider_name: str,
    *,
    delivery_option_id: str = EVERY_OPTION,
    source: str = "manual",
) -> None:
    """Create or replace the mapping of ``carrier`` for ``delivery_option_id``."""
    now = datetime.now(UTC)
    CarrierMappingRow.insert(
        carrier=carrier, delivery_option_id=delivery_option_id, provider_id=provider_id,
        provider_name=provider_name, source=source, created_at=now, updated_at=now,
    ).on_conflict(
        conflict_target=[CarrierMappingRow.carrier, CarrierMappingRow.delivery_option_id],
        update={
            CarrierMappingRow.provider_id: provider_id,
            CarrierMappingRow.provider_name: provider_name,
            CarrierMappingRow.source: source,
            CarrierMappingRow.updated_at: now,
        },
    ).execute()  # fmt: skip


def delete_mapping(carrier: str, delivery_option_id: str = EVERY_OPTION) -> bool:
    """Remove a mapping; False when there was none."""
    deleted = (
        CarrierMappingRow.delete()
        .where(
            (CarrierMappingRow.carrier == carrier)
            & (CarrierMappingRow.delivery_option_id == delivery_option_id)
        )
        .execute()
    )
    return bool(deleted)


# -- TikTok's providers, cached per delivery option ---------------------------------------


def store_providers(
    delivery_option_id: str,
    delivery_option_name: str,
    providers: Sequence[Provider],
    at: datetime | None = None,
) -> None:
    """Replace the cached providers of one delivery option."""
    now = at or datetime.now(UTC)
    with db.atomic():
        ShippingProviderRow.delete().where(
            ShippingProviderRow.delivery_option_id == delivery_option_id
        ).execute()
        for provider in providers:
            ShippingProviderRow.create(
                delivery_option_id=delivery_option_id,
                delivery_option_name=delivery_option_name,
                provider_id=provider.provider_id,
                provider_name=provider.name,
                fetched_at=now,
            )


def providers_for(delivery_option_id: str) -> list[Provider]:
    """The cached providers of one delivery option, by name."""
    query = ShippingProviderRow.select().where(
        ShippingProviderRow.delivery_option_id == delivery_option_id
    )
    return [Provider(row.provider_id, row.provider_name) for row in query.order_by(_BY_NAME)]


def cached_providers() -> dict[str, list[Provider]]:
    """Every cached provider, by delivery option id."""
    found: dict[str, list[Provider]] = {}
    query = ShippingProviderRow.select().order_by(ShippingProviderRow.delivery_option_id, _BY_NAME)
    for row in query:
        found.setdefault(row.delivery_option_id, []).append(
            Provider(row.provider_id, row.provider_name)
        )
    return found


def providers_fetched_at(delivery_option_id: str) -> datetime | None:
    """When the option's providers were last fetched (None: never)."""
    row = (
        ShippingProviderRow.select(ShippingProviderRow.fetched_at)
        .where(ShippingProviderRow.delivery_option_id == delivery_option_id)
        .order_by(ShippingProviderRow.fetched_at)
        .first()
    )
    return None if row is None else row.fetched_at


def delivery_option_names() -> dict[str, str]:
    """Delivery option id -> its name, as TikTok named it."""
    query = ShippingProviderRow.select(
        ShippingProviderRow.delivery_option_id, ShippingProviderRow.delivery_option_name
    ).distinct()
    return {row.delivery_option_id: row.delivery_option_name for row in query}


_BY_NAME = ShippingProviderRow.provider_name


def _mapping(row: CarrierMappingRow) -> CarrierMapping:
    return CarrierMapping(
        carrier=row.carrier,
        delivery_option_id=row.delivery_option_id,
        provider_id=row.provider_id,
        provider_name=row.provider_name,
        source=row.source,
        updated_at=row.updated_at,
    )
