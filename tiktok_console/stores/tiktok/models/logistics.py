"""Warehouses, delivery options and shipping providers.

The carrier mapping keys on an order's delivery option: its shipping
providers are the only ones TikTok accepts when tracking is pushed.
"""

from __future__ import annotations

from pydantic import Field

from tiktok_console.stores.tiktok.models.common import IdStr, TikTokModel

WAREHOUSE_TYPES = frozenset({"SALES_WAREHOUSE", "RETURN_WAREHOUSE"})


class Geolocation(TikTokModel):
    """Where the warehouse is (strings on the wire; kept as text)."""

    latitude: str = ""
    longitude: str = ""


class WarehouseAddress(TikTokModel):
    """A warehouse's address (TikTok spells ``distict`` so)."""

    region: str = ""
    region_code: str = ""
    state: str = ""
    city: str = ""
    distict: str = ""
    town: str = ""
    postal_code: str = ""
    full_address: str = ""
    contact_person: str = ""
    phone_number: str = ""
    address_line1: str = ""
    address_line2: str = ""
    geolocation: Geolocation | None = None


class Warehouse(TikTokModel):
    """One warehouse of the shop."""

    id: IdStr
    name: str = ""
    effect_status: str = ""
    type: str = ""
    sub_type: str = ""
    is_default: bool = False
    address: WarehouseAddress = Field(default_factory=WarehouseAddress)

    @property
    def is_sales(self) -> bool:
        """Whether stock can be sold from it (not a returns warehouse)."""
        return self.type == "SALES_WAREHOUSE"


class WarehouseList(TikTokModel):
    """Get Warehouse List."""

    warehouses: list[Warehouse] = Field(default_factory=list)


class DimensionLimit(TikTokModel):
    """The largest box a delivery option takes."""

    max_length: int = 0
    max_width: int = 0
    max_height: int = 0
    unit: str = ""


class WeightLimit(TikTokModel):
    """The weight range a delivery option takes."""

    max_weight: int = 0
    min_weight: int = 0
    unit: str = ""


class DeliveryOption(TikTokModel):
    """A shipping service a warehouse offers (Standard, Express...)."""

    id: IdStr
    name: str = ""
    type: str = ""
    description: str = ""
    dimension_limit: DimensionLimit | None = None
    weight_limit: WeightLimit | None = None
    platform: list[str] = Field(default_factory=list)


class DeliveryOptionList(TikTokModel):
    """Get Warehouse Delivery Options."""

    delivery_options: list[DeliveryOption] = Field(default_factory=list)


class ShippingProvider(TikTokModel):
    """A carrier TikTok accepts for a delivery option."""

    id: IdStr
    name: str = ""


class ShippingProviderList(TikTokModel):
    """Get Shipping Providers."""

    shipping_providers: list[ShippingProvider] = Field(default_factory=list)
