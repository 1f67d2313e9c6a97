"""Stand-in stores: the smallest things that behave like the simulated stores.

They let the world, control and runner be tested for their own logic (ticking,
routing of knobs, serving) without depending on every rule of the real stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from tiktok_console.sandbox.catalog import generate_catalog
from tiktok_console.sandbox.clock import SandboxClock
from tiktok_console.sandbox.world import Credentials, StoreApps, World, WorldOptions


@dataclass
class StandInShopify:
    ticks: int = 0
    plan: str = "standard"

    def tick(self) -> None:
        self.ticks += 1

    def snapshot(self) -> dict[str, Any]:
        return {"ticks": self.ticks}


@dataclass
class StandInTikTok:
    """Makes one order per sandbox minute since it was created (more in a livestream)."""

    clock: SandboxClock
    started: float = 0.0
    orders: int = 0
    livestream: bool = False
    changes: list[bool] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)
    promotions: list[tuple[str, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.started = self.clock.now()

    def tick(self) -> None:
        minutes = int((self.clock.now() - self.started) // 60)
        self.orders = max(self.orders, minutes * (10 if self.livestream else 1))

    def snapshot(self) -> dict[str, Any]:
        return {"orders": self.orders, "livestream": self.livestream}

    def set_livestream(self, on: bool) -> None:
        self.livestream = on
        self.changes.append(on)

    def set_order_rate(self, per_minute: float) -> None:
        self.rates.append(per_minute)

    def ship_in_seller_center(self, order_id: str) -> dict[str, Any]:
        if order_id != "1":
            raise KeyError(order_id)
        return {"order_id": order_id, "status": "IN_TRANSIT", "packages": []}

    def set_promotion(self, product_id: str, on: bool) -> bool:
        self.promotions.append((product_id, on))
        return product_id != "unknown"


@dataclass
class Limits:
    qps: float = 50.0
    plan: str = "standard"


def _app(name: str) -> Starlette:
    async def ping(request: Request) -> JSONResponse:
        return JSONResponse({"app": name, "path": request.url.path})

    async def consent(request: Request) -> HTMLResponse:
        return HTMLResponse(f"<h1>{name} consent</h1>")

    return Starlette(
        routes=[
            Route("/admin/oauth/authorize", consent),
            Route("/open/authorize", consent),
            Route("/{path:path}", ping, methods=["GET", "POST"]),
        ]
    )


def standin_world(options: WorldOptions | None = None) -> World:
    """A world with real clock, catalog and credentials, and stand-in stores."""
    options = options or WorldOptions(clock_start=1_760_000_000, clock_speed=0, products=8)
    clock = SandboxClock(start=options.clock_start, speed=options.clock_speed)
    limits = Limits()
    return World(
        options=options,
        clock=clock,
        catalog=generate_catalog(options.seed, options.products, options.region),
        credentials=Credentials.from_seed(options.seed),
        shopify=StandInShopify(),
        tiktok=StandInTikTok(clock),
        apps=StoreApps(_app("shopify"), _app("tiktok_api"), _app("tiktok_auth")),
        shopify_limits=limits,
        tiktok_limits=limits,
    )
