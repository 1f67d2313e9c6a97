"""Building the engine for a profile: sessions for the connected stores, and their jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.settings import Settings
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.aftersales.job import AftersalesJob
from tiktok_console.sync.catalog.variants_job import VariantsJob
from tiktok_console.sync.engine import Engine, Job
from tiktok_console.sync.events import Listener, ignore
from tiktok_console.sync.fulfillment.job import FulfillmentConfig, FulfillmentJob
from tiktok_console.sync.inventory.job import InventoryJob
from tiktok_console.sync.inventory.push import StockPusher
from tiktok_console.sync.inventory.reconcile import InventoryReconcileJob
from tiktok_console.sync.orders.job import OrdersConfig, OrdersJob
from tiktok_console.sync.sessions import Clocks, shopify_session, tiktok_session


class NotConnectedError(ConsoleError):
    """Sync needs both stores."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            f"Connect {' and '.join(missing)} first: sync runs between both stores "
            "(Accounts page, or `tiktok-console connect`)."
        )


@dataclass
class RuntimeOptions:
    """What tests and benchmarks may tune; the defaults are the real ones."""

    clocks: Clocks = field(default_factory=Clocks)
    index_lag: timedelta | None = None  # None: the profile's setting
    variants_interval: float = 60.0
    backoff_base: float = 1.0
    backoff_max: float = 300.0
    # How far back each inventory poll looks again: at least Shopify's search-index lag.
    inventory_overlap: timedelta = timedelta(seconds=10)
    bulk_poll: float = 1.0  # seconds between bulk-operation status checks


def build_jobs(
    settings: Settings,
    token_store: TokenStore,
    http: httpx.AsyncClient,
    options: RuntimeOptions | None = None,
) -> list[Job]:
    """The jobs of the connected stores, in the order they should first run."""
    options = options or RuntimeOptions()
    accounts = load_accounts()
    missing = [title for store, title in (("shopify", "Shopify"), ("tiktok", "TikTok Shop"))
               if store not in accounts]  # fmt: skip
    if missing:
        raise NotConnectedError(missing)
    shopify = shopify_session(accounts["shopify"], token_store, http, options.clocks)
    tiktok = TikTokShopApi(tiktok_session(accounts["tiktok"], token_store, http, options.clocks))
    lag = options.index_lag or timedelta(seconds=settings.orders.search_lag_seconds)
    orders = OrdersConfig(
        settings=settings.orders, shop_name=accounts["tiktok"].shop_name, index_lag=lag
    )
    now = options.clocks.now
    pusher = StockPusher(tiktok, settings.inventory, now=now)
    return [
        VariantsJob(shopify, interval=options.variants_interval),
        OrdersJob(tiktok, shopify, orders, now=now),
        InventoryReconcileJob(tiktok, shopify, pusher, http, now=now, bulk_poll=options.bulk_poll),
        InventoryJob(shopify, pusher, now=now, overlap=options.inventory_overlap),
        FulfillmentJob(tiktok, shopify, FulfillmentConfig(settings.fulfillment, lag), now),
        AftersalesJob(tiktok, shopify, now),
    ]


def build_engine(
    settings: Settings,
    token_store: TokenStore,
    http: httpx.AsyncClient,
    listener: Listener = ignore,
    options: RuntimeOptions | None = None,
) -> Engine:
    """An engine over every job of the connected stores."""
    options = options or RuntimeOptions()
    jobs = build_jobs(settings, token_store, http, options)
    return Engine(
        jobs, listener, backoff_base=options.backoff_base, backoff_max=options.backoff_max
    )
