"""Run a whole sandbox: build the world, wrap the stores in faults, serve everything.

``SandboxRunner`` is what demo mode starts (``start()``/``stop()``, serving
from a background thread) and what integration tests use through
``running_sandbox(options)``. ``info()`` is the one description a client
needs to connect: base URLs and app credentials, as ``SandboxInfo``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from pydantic import BaseModel, ConfigDict
from starlette.types import ASGIApp

from tiktok_console.sandbox.assembly import build_world
from tiktok_console.sandbox.control import create_control_app
from tiktok_console.sandbox.fault_bodies import StoreKind
from tiktok_console.sandbox.faults import FaultMiddleware
from tiktok_console.sandbox.serving import BackgroundServers
from tiktok_console.sandbox.world import World, WorldOptions

# The Admin API version the app is told to use: the newest the sandbox serves.
SHOPIFY_API_VERSION = "2026-10"


class ShopifyInfo(BaseModel):
    """How to reach the sandbox Shopify store.

    There is no DNS for ``*.myshopify.com`` here, so ``url`` is the base URL the
    client must use for the shop, while ``shop`` is the shop's myshopify domain.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    shop: str
    client_id: str
    client_secret: str
    api_version: str


class TikTokInfo(BaseModel):
    """How to reach the sandbox TikTok Shop: API host, token host and authorize link."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_url: str
    auth_url: str
    authorize_url: str
    app_key: str
    app_secret: str
    service_id: str
    shop_region: str


class SandboxInfo(BaseModel):
    """Everything a client needs to connect to a running sandbox."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    shopify: ShopifyInfo
    tiktok: TikTokInfo
    control_url: str


class SandboxRunner:
    """Serves one world: ``shopify``, ``tiktok_api``, ``tiktok_auth`` and ``control``.

    Args:
        options: what world to build (ignored for building when ``world`` is given).
        world: a prebuilt world (tests use stand-in stores this way).
    """

    def __init__(self, options: WorldOptions | None = None, *, world: World | None = None) -> None:
        self.options = options or (world.options if world is not None else WorldOptions())
        self.world = world if world is not None else build_world(self.options)
        self.fault_middlewares = self._wrap_stores(self.world)
        self._servers: BackgroundServers | None = None

    def start(self) -> SandboxInfo:
        """Start serving from a background thread; returns the connection info."""
        if self._servers is None:
            apps = {**self.fault_middlewares, "control": create_control_app(self.world)}
            servers = BackgroundServers(apps, tasks=[self.world.run_ticker])
            servers.start()
            self._servers = servers
        return self.info()

    def stop(self) -> None:
        """Stop every server and the ticker; safe to call twice."""
        if self._servers is not None:
            self._servers.stop()
            self._servers = None

    @property
    def urls(self) -> dict[str, str]:
        """App name -> base URL, while running."""
        if self._servers is None:
            raise RuntimeError("the sandbox is not running")
        return dict(self._servers.urls)

    def info(self) -> SandboxInfo:
        """Where everything is and which credentials to use."""
        urls = self.urls
        creds = self.world.credentials
        return SandboxInfo(
            shopify=ShopifyInfo(
                url=urls["shopify"],
                shop=self.options.shop_domain,
                client_id=creds.shopify_client_id,
                client_secret=creds.shopify_client_secret,
                api_version=SHOPIFY_API_VERSION,
            ),
            tiktok=TikTokInfo(
                api_url=urls["tiktok_api"],
                auth_url=urls["tiktok_auth"],
                authorize_url=f"{urls['tiktok_auth']}/open/authorize?service_id="
                + creds.tiktok_service_id,
                app_key=creds.tiktok_app_key,
                app_secret=creds.tiktok_app_secret,
                service_id=creds.tiktok_service_id,
                shop_region=self.world.catalog.region,
            ),
            control_url=urls["control"],
        )

    def __enter__(self) -> SandboxRunner:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _wrap_stores(self, world: World) -> dict[str, FaultMiddleware]:
        """One fault middleware per served app, each with its own seeded RNG."""
        seed = self.options.seed
        plan: list[tuple[str, ASGIApp, StoreKind]] = [
            ("shopify", world.apps.shopify, "shopify"),
            ("tiktok_api", world.apps.tiktok_api, "tiktok"),
            ("tiktok_auth", world.apps.tiktok_auth, "tiktok"),
        ]
        return {
            name: FaultMiddleware(
                app,
                world.faults[store],
                random.Random(f"sandbox-faults:{name}:{seed}"),
                store=store,
            )
            for name, app, store in plan
        }


@contextmanager
def running_sandbox(
    options: WorldOptions | None = None, *, world: World | None = None
) -> Iterator[SandboxRunner]:
    """A started sandbox for the duration of a ``with`` block (tests)."""
    runner = SandboxRunner(options, world=world)
    runner.start()
    try:
        yield runner
    finally:
        runner.stop()
