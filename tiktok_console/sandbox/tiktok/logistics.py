"""Warehouses, delivery options and shipping providers of the sandbox shop.

Provider ids are global constants (TikTok's ids do not change per shop), so a
carrier mapping saved by the app stays valid across sandbox seeds. USPS uses
the id in TikTok's own sample; the others are made up in the same shape.
"DHL Express" and "Other" are deliberately absent: TikTok's US list has no
such providers, and pushing tracking with them is the classic
"carrier not supported" failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tiktok_console.sandbox.tiktok.errors import ApiError


@dataclass(frozen=True)
class Provider:
    """A shipping provider and the tracking numbers it issues."""

    id: str
    name: str
    pattern: str  # full-match regex for its tracking numbers

    def accepts(self, tracking_number: str) -> bool:
        """Whether ``tracking_number`` looks like one of this carrier's."""
        return re.fullmatch(self.pattern, tracking_number) is not None


# Assumption: tracking formats TikTok checks against, as publicly known per carrier.
USPS = Provider("7117858858072016686", "USPS", r"\d{20,22}|[A-Z]{2}\d{9}US")
UPS = Provider("7117859084333745966", "UPS", r"1Z[0-9A-Z]{16}")
FEDEX = Provider("7117858983225231106", "FedEx", r"\d{12}|\d{15}|\d{20}|\d{22}")
DHL_ECOMMERCE = Provider("7129736880315631402", "DHL eCommerce", r"GM\d{16,18}|\d{22}")
ONTRAC = Provider("7132707835390346026", "OnTrac", r"[CD]\d{14}")
AMAZON = Provider("7248600717110282027", "Amazon Logistics", r"TBA\d{12}")
LASERSHIP = Provider("7132708264480220971", "LaserShip", r"1LS\d{12,15}|L[A-Z]\d{8}")
PROVIDERS = (USPS, UPS, FEDEX, DHL_ECOMMERCE, ONTRAC, AMAZON, LASERSHIP)
_SAFE_TRACKING = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class DeliveryOption:
    """A delivery option; TikTok-shipped options have no seller providers."""

    id: str
    name: str
    type: str  # STANDARD | EXPRESS | ECONOMY | SEND_BY_SELLER
    description: str
    tiktok_shipped: bool
    providers: tuple[Provider, ...] = ()
    rts_days: int = 3  # days the seller has to ship

    def to_wire(self) -> dict[str, Any]:
        """The Get Warehouse Delivery Options entry."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "dimension_limit": {
                "max_height": 108,
                "max_length": 108,
                "max_width": 108,
                "unit": "INCH",
            },
            "weight_limit": {"max_weight": 68000, "min_weight": 1, "unit": "GRAM"},
            "platform": ["TIKTOK_SHOP"],
        }


@dataclass(frozen=True)
class Warehouse:
    """A seller warehouse (sales or return)."""

    id: str
    name: str
    type: str  # SALES_WAREHOUSE | RETURN_WAREHOUSE
    is_default: bool
    city: str
    state: str
    postal_code: str
    street: str
    options: tuple[DeliveryOption, ...] = field(default=())

    def to_wire(self) -> dict[str, Any]:
        """The Get Warehouse List entry."""
        full = f"{self.street}, {self.city}, {self.state} {self.postal_code}"
        return {
            "id": self.id,
            "entity_id": self.id[:-3] + "001",
            "name": self.name,
            "effect_status": "ENABLED",
            "type": self.type,
            "sub_type": "DOMESTIC_WAREHOUSE",
            "is_default": self.is_default,
            "address": {
                "region": "United States",
                "state": self.state,
                "city": self.city,
                "distict": "",
                "town": "",
                "contact_person": "Harbor Ops",
                "postal_code": self.postal_code,
                "full_address": full,
                "region_code": "US",
                "phone_number": "(+1)614*****20",
                "address_line1": self.street,
                "address_line2": "",
                "address_line3": "",
                "address_line4": "",
                "geolocation": {"latitude": "39.96118", "longitude": "-82.99879"},
            },
        }


class Logistics:
    """The shop's warehouses and delivery options (fixed for the shop's life)."""

    def __init__(self, ids: list[str]) -> None:
        standard = DeliveryOption(
            ids[0],
            "Standard Shipping",
            "STANDARD",
            "Seller ships with their own carrier",
            False,
            PROVIDERS,
        )
        express = DeliveryOption(
            ids[1],
            "Express Shipping",
            "EXPRESS",
            "Seller ships express",
            False,
            (UPS, FEDEX, USPS),
            rts_days=1,
        )
        tiktok = DeliveryOption(
            ids[2], "TikTok Shipping", "STANDARD", "Shipped with a TikTok label", True
        )
        self.options = (standard, express, tiktok)
        options = self.options
        self.main = Warehouse(
            ids[3],
            "Main Warehouse",
            "SALES_WAREHOUSE",
            True,
            "Columbus",
            "Ohio",
            "43215",
            "1200 Harbor Way",
            options,
        )
        self.overflow = Warehouse(
            ids[4],
            "West Coast Overflow",
            "SALES_WAREHOUSE",
            False,
            "Reno",
            "Nevada",
            "89502",
            "55 Distribution Dr",
            options,
        )
        self.returns = Warehouse(
            ids[5],
            "Returns Center",
            "RETURN_WAREHOUSE",
            False,
            "Columbus",
            "Ohio",
            "43219",
            "9 Returns Rd",
        )
        self.warehouses = (self.main, self.overflow, self.returns)

    def warehouse(self, warehouse_id: str) -> Warehouse | None:
        """The warehouse with ``warehouse_id``, if any."""
        return next((w for w in self.warehouses if w.id == warehouse_id), None)

    def option(self, option_id: str) -> DeliveryOption | None:
        """The delivery option with ``option_id``, if any."""
        return next((o for o in self.options if o.id == option_id), None)

    def providers_for(self, option_id: str) -> list[Provider]:
        """Providers of a seller-shipped option; TikTok's documented errors otherwise."""
        option = self.option(option_id)
        if option is None:
            raise ApiError(21008116, "No Subscription without specified delivery option.")
        if option.tiktok_shipped:
            raise ApiError(
                21008117,
                "The delivery of the specified delivery_option_id is fulfilled by TikTok. "
                "No shipping provider will be returned.",
            )
        return list(option.providers)


def check_tracking(option: DeliveryOption, provider_id: str, tracking_number: str) -> Provider:
    """The provider, if it serves ``option`` and the number fits its format.

    Raises the codes of Mark Package As Shipped: unknown provider or one
    outside the option -> 21011022; characters other than letters and digits
    -> 21004012; a number the carrier never issues -> 21004015.
    """
    provider = next((p for p in option.providers if p.id == provider_id), None)
    if provider is None:
        raise ApiError(
            21011022, "Invalid tracking number or provider ID. Please double check and try again."
        )
    if not _SAFE_TRACKING.fullmatch(tracking_number or ""):
        raise ApiError(21004012, "Tracking number has special characters, verify failed.")
    if not provider.accepts(tracking_number):
        raise ApiError(21004015, "Tracking number mismatch provider.")
    return provider
