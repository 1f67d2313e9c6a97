"""The merchant's world: one clock, one catalog, both stores, their apps and knobs.

Everything the sandbox serves hangs off one ``World``, so the control app, the
ticker and the HTTP apps all see the same state. This module only says what a
world is made of and how it moves; ``assembly.py`` builds one from the real
simulated stores (tests may build one from stand-ins).

Threading: the world is changed only on the servers' event loop (request
handlers, the control app and the ticker all run there), so it needs no lock
of its own; the stores guard their own state.
"""

from __future__ import annotations

import asyncio
import logging
import random
import string
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field
from starlette.types import ASGIApp

from tiktok_console.sandbox.catalog import DEFAULT_UNLISTED_SHARE, Catalog
from tiktok_console.sandbox.clock import SandboxClock
from tiktok_console.sandbox.fault_bodies import StoreKind
from tiktok_console.sandbox.faults import FaultConfig, StoreFaults
from tiktok_console.sandbox.tiktok.listing_cap import DEFAULT_DAILY_CAP

log = logging.getLogger(__name__)

ShopifyPlan = Literal["standard", "advanced", "plus", "enterprise"]
TICK_INTERVAL_SECONDS = 0.25


class WorldOptions(BaseModel):
    """Everything that shapes a sandbox world; the same options give the same world."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int = 7
    products: int = Field(40, ge=1, le=5000)  # 2,600 products make about 10,000 SKUs
    orders: int = Field(0, ge=0, le=100_000, description="historical orders at start")
    orders_per_minute: float = Field(2.0, ge=0, le=10_000)
    livestream: bool = False
    # Assumption: TikTok holds new orders an hour (merchants report it); the demo
    # shortens it so orders reach Shopify while someone is watching.
    hold_minutes: float = Field(60.0, ge=0.1, le=24 * 60)
    # Assumption: the merchant's warehouse ships an order about ten minutes after it
    # reaches Shopify; tests in another process (whose clock cannot be moved) shorten it.
    warehouse_minutes: float = Field(10.0, ge=0, le=24 * 60)
    # Share of orders that also carry a SKU added only in Seller Center (an orphan).
    orphan_rate: float = Field(0.06, ge=0, le=1)
    # Share of new seller-fulfilled orders the merchant ships from Seller Center (TikTok
    # Shipping label or by hand) instead of through the app.
    seller_center_ship_share: float = Field(0.0, ge=0, le=1)
    # Days after delivery an order settles into a daily statement (paid out the next day).
    settle_days: int = Field(8, ge=0, le=60)
    # Settlements planted short beyond the two deliberate discrepancies every world has.
    finance_discrepancies: int = Field(0, ge=0, le=10_000)
    # Start with a return and a cancellation request awaiting the seller (needs history).
    showcase: bool = True
    # Share of Shopify products not yet on TikTok: the catalog the app pushes.
    unlisted_share: float = Field(DEFAULT_UNLISTED_SHARE, ge=0, le=1)
    # New products TikTok lets the shop create per day (100 for new sellers).
    daily_listing_cap: int = Field(DEFAULT_DAILY_CAP, ge=0, le=100_000)
    fault_rate: float = Field(0.0, ge=0, le=1)
    # Knobs per store from the start, as POST /faults takes them; applied after fault_rate.
    faults: StoreFaults = StoreFaults()
    shopify_plan: ShopifyPlan = "standard"
    dev_store: bool = False
    index_lag_seconds: float = Field(2.0, ge=0)
    clock_speed: float = Field(1.0, ge=0, description="0 freezes the clock (tests)")
    clock_start: float | None = Field(None, description="Unix time; None = now")
    region: str = "US"
    shop_domain: str = "harbor-and-pine.myshopify.com"
    tiktok_qps: float = Field(50.0, gt=0)
    # Token lifetimes, in seconds; tests shorten them to see expiry and refresh.
    shopify_expiring_ttl: int = Field(3600, ge=1)
    shopify_client_credentials_ttl: int = Field(86400, ge=1)
    shopify_refresh_ttl: int = Field(30 * 86400, ge=1)
    tiktok_access_ttl: int = Field(7 * 86400, ge=1)
    tiktok_refresh_ttl: int = Field(365 * 86400, ge=1)


@dataclass(frozen=True)
class Credentials:
    """The app credentials a merchant would copy from each partner dashboard."""

    shopify_client_id: str
    shopify_client_secret: str
    tiktok_app_key: str
    tiktok_app_secret: str
    tiktok_service_id: str

    @classmethod
    def from_seed(cls, seed: int) -> Credentials:
        """Deterministic credentials in the real shapes.

        Shopify client ids are 32 lower-case hex digits. Assumption: client secrets
        are ``shpss_`` plus 32 hex digits (the form Shopify shows for app secrets).
        TikTok app keys are ~13 lower-case alphanumerics (README vectors: ``68xu9ks5p4i8``);
        Assumption: app secrets are 40 hex digits and service ids 19-digit numbers
        like TikTok's other ids.
        """
        rng = random.Random(f"sandbox-credentials:{seed}")
        alnum = string.ascii_lowercase + string.digits
        return cls(
            shopify_client_id=_hex(rng, 32),
            shopify_client_secret="shpss_" + _hex(rng, 32),
            tiktok_app_key="6" + "".join(rng.choices(alnum, k=12)),
            tiktok_app_secret=_hex(rng, 40),
            tiktok_service_id="7" + "".join(rng.choices(string.digits, k=18)),
        )


class SimulatedStore(Protocol):
    """What the world needs from each simulated store."""

    def tick(self) -> None:
        """Catch up with the clock (new orders, index lag, bulk jobs...)."""

    def snapshot(self) -> dict[str, Any]:
        """A JSON-able summary for the control app."""


class SimulatedShopify(SimulatedStore, Protocol):
    """The Shopify side also names its plan (``shop { plan }``)."""

    plan: str


class SimulatedShop(SimulatedStore, Protocol):
    """The TikTok side also has a livestream switch and an order rate."""

    def set_livestream(self, on: bool) -> None:
        """Burst orders (on) or return to the normal rate (off)."""

    def set_order_rate(self, per_minute: float) -> None:
        """Change the mean arrival rate from now (0 stops new orders)."""

    def ship_in_seller_center(self, order_id: str) -> dict[str, Any]:
        """Ship a seller-fulfilled order outside the API; KeyError / ValueError if it cannot."""

    def set_promotion(self, product_id: str, on: bool) -> bool:
        """Put a listing in a running promotion (its prices locked) or end it; False if unknown."""

    def bank_statement_csv(self) -> str:
        """The seller's bank statement (CSV): the payouts paid so far, booked a day later."""


class TikTokLimitsLike(Protocol):
    """The live TikTok rate limit (queries per second per app, shop and API)."""

    qps: float


class ShopifyLimitsLike(Protocol):
    """The live Shopify plan, which sets the GraphQL restore rate."""

    plan: str


@dataclass
class StoreApps:
    """The three store-facing ASGI apps, before fault injection."""

    shopify: ASGIApp
    tiktok_api: ASGIApp
    tiktok_auth: ASGIApp


@dataclass
class World:
    """One sandbox world; build it with ``assembly.build_world``."""

    options: WorldOptions
    clock: SandboxClock
    catalog: Catalog
    credentials: Credentials
    shopify: SimulatedShopify
    tiktok: SimulatedShop
    apps: StoreApps
    shopify_limits: ShopifyLimitsLike
    tiktok_limits: TikTokLimitsLike
    faults: dict[StoreKind, FaultConfig] = field(default_factory=dict)
    livestream: bool = False

    def __post_init__(self) -> None:
        for store in ("shopify", "tiktok"):
            if store not in self.faults:
                self.faults[store] = self.options.faults.starting_config(
                    store, self.options.fault_rate
                )

    def tick(self) -> None:
        """Let both stores catch up with the clock."""
        self.shopify.tick()
        self.tiktok.tick()

    def advance(self, seconds: float) -> float:
        """Move the clock forward, then tick; returns the new sandbox time."""
        now = self.clock.advance(seconds)
        self.tick()
        return now

    def set_livestream(self, on: bool) -> None:
        """Switch TikTok's livestream burst on or off."""
        self.tiktok.set_livestream(on)
        self.livestream = on

    def set_limits(
        self, *, tiktok_qps: float | None = None, shopify_plan: str | None = None
    ) -> None:
        """Change the live rate limits; a new Shopify plan also shows in ``shop { plan }``."""
        if tiktok_qps is not None:
            self.tiktok_limits.qps = tiktok_qps
        if shopify_plan is not None:
            self.shopify_limits.plan = shopify_plan
            self.shopify.plan = shopify_plan

    def limits(self) -> dict[str, Any]:
        """The live rate limits."""
        return {"tiktok_qps": self.tiktok_limits.qps, "shopify_plan": self.shopify_limits.plan}

    def clock_state(self) -> dict[str, Any]:
        """Sandbox time as Unix seconds and ISO 8601 UTC."""
        return {
            "now": self.clock.now(),
            "iso": self.clock.now_dt().isoformat().replace("+00:00", "Z"),
            "speed": self.options.clock_speed,
        }

    def snapshot(self) -> dict[str, Any]:
        """``{"clock": ..., "shopify": ..., "tiktok": ...}``, JSON-able."""
        return {
            "clock": self.clock_state(),
            "shopify": self.shopify.snapshot(),
            "tiktok": self.tiktok.snapshot(),
        }

    async def run_ticker(self, interval: float = TICK_INTERVAL_SECONDS) -> None:
        """Tick forever (until cancelled); a failing tick is logged, never fatal."""
        while True:
            try:
                self.tick()
            except Exception:
                log.exception("sandbox world tick failed")
            await asyncio.sleep(interval)


def _hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"
