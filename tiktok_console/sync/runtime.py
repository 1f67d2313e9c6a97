"""Building the engine for a profile: sessions for the connected stores, and their jobs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from tiktok_console.core.errors import ConsoleError
from tiktok_console.core.settings import Settings
from tiktok_console.domain.accounts import StoreKind
from tiktok_console.storage.accounts import load_accounts
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.shopify.transport import ShopifyApiConfig
from tiktok_console.stores.tiktok.api import TikTokShopApi
from tiktok_console.stores.tokens import TokenStore
from tiktok_console.sync.aftersales.job import AftersalesJob
from tiktok_console.sync.catalog.job import CatalogConfig, CatalogJob
from tiktok_console.sync.catalog.variants_job import VariantsJob
from tiktok_console.sync.engine import Engine, Job
from tiktok_console.sync.events import Listener, ignore
from tiktok_console.sync.fulfillment.job import FulfillmentConfig, FulfillmentJob
from tiktok_console.sync.health import HealthTracker
from tiktok_console.sync.inventory.job import InventoryJob
from tiktok_console.sync.inventory.push import StockPusher
from tiktok_console.sync.inventory.reconcile import InventoryReconcileJob
from tiktok_console.sync.orders.job import OrdersConfig, OrdersJob
from tiktok_console.sync.payouts.job import PayoutsJob
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
    catalog_page_pause: float = 2.0  # seconds between catalog pages (Shopify points)
    # Products pushed to TikTok at once. The client's limiter keeps TikTok's 50 QPS;
    # this only has to cover the round trip: at 300 ms (a busy store) 16 in flight
    # allow 53 calls a second, so a full reconciliation waited on round trips.
    push_concurrency: int = 32
    retry: RetryPolicy | None = None  # None: the transports' default (``sync --once`` has its own)


# Which stores each job calls: a store that refuses the sign-in stops these jobs.
JOB_STORES: dict[str, frozenset[StoreKind]] = {
    "shopify_variants": frozenset({"shopify"}),
    "orders": frozenset({"shopify", "tiktok"}),
    "inventory_reconcile": frozenset({"shopify", "tiktok"}),
    "inventory": frozenset({"shopify", "tiktok"}),
    "fulfillment": frozenset({"shopify", "tiktok"}),
    "payouts": frozenset({"tiktok"}),  # statements and payments only: it never calls Shopify
}


def missing_stores() -> list[str]:
    """The titles of the stores sync still needs connected (none: both are)."""
    accounts = load_accounts()
    return [title for store, title in (("shopify", "Shopify"), ("tiktok", "TikTok Shop"))
            if store not in accounts]  # fmt: skip


def build_jobs(
    settings: Settings,
    token_store: TokenStore,
    http: httpx.AsyncClient,
    options: RuntimeOptions | None = None,
    health: HealthTracker | None = None,
) -> list[Job]:
    """The jobs of the connected stores, in the order they should first run.

    ``health`` hears how every call of theirs ended.
    """
    options = options or RuntimeOptions()
    accounts = load_accounts()
    missing = missing_stores()
    if missing:
        raise NotConnectedError(missing)
    observe = health.observe if health is not None else None
    retry = options.retry or RetryPolicy()
    shopify = shopify_session(
        accounts["shopify"], token_store, http, options.clocks,
        ShopifyApiConfig(base_url=accounts["shopify"].api_url, retry=retry), observe,
    )  # fmt: skip
    tiktok = TikTokShopApi(
        tiktok_session(accounts["tiktok"], token_store, http, options.clocks, observe, retry)
    )
    lag = options.index_lag or timedelta(seconds=settings.orders.search_lag_seconds)
    orders = OrdersConfig(
        settings=settings.orders, shop_name=accounts["tiktok"].shop_name, index_lag=lag,
        stock_locations=settings.inventory.location_ids,
        connected_at=accounts["tiktok"].connected_at,
    )  # fmt: skip
    fulfillment = FulfillmentConfig(settings.fulfillment, index_lag=lag)
    now = options.clocks.now
    pusher = StockPusher(tiktok, settings.inventory, now=now, concurrency=options.push_concurrency)
    return [
        VariantsJob(shopify, interval=options.variants_interval, now=options.clocks.now),
        OrdersJob(tiktok, shopify, orders, now=now),
        InventoryReconcileJob(tiktok, shopify, pusher, http, now=now, bulk_poll=options.bulk_poll),
        InventoryJob(shopify, pusher, now=now, overlap=options.inventory_overlap),
        FulfillmentJob(tiktok, shopify, fulfillment, now),
        PayoutsJob(
            tiktok,
            shopify=shopify,
            rates=settings.payouts,
            region=accounts["tiktok"].region or "US",
            now=now,
        ),
        CatalogJob(
            tiktok,
            shopify,
            http,
            CatalogConfig(
                accounts["tiktok"].region,
                page_pause=options.catalog_page_pause,
                bulk_poll=options.bulk_poll,
            ),
            now=now,
        ),
        AftersalesJob(tiktok, shopify, now),
    ]


def build_engine(
    settings: Settings,
    token_store: TokenStore,
    http: httpx.AsyncClient,
    listener: Listener = ignore,
    options: RuntimeOptions | None = None,
    only: Sequence[str] | None = None,
    health: HealthTracker | None = None,
) -> Engine:
    """An engine over every job of the connected stores (or only the jobs named).

    ``health`` keeps the stores' health (one is made for ``listener`` if not given).

    Raises:
        NotConnectedError: a store is not connected.
        ConsoleError: a job named in ``only`` does not exist.
    """
    options = options or RuntimeOptions()
    # The stores' health follows every call the jobs make (kept for other processes).
    jobs = build_jobs(settings, token_store, http, options, health or HealthTracker(listener))
    if only:
        names = [job.name for job in jobs]
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise ConsoleError(f"No job named {', '.join(unknown)}; jobs: {', '.join(names)}.")
        jobs = [job for job in jobs if job.name in only]
    return Engine(
        jobs, listener, backoff_base=options.backoff_base, backoff_max=options.backoff_max,
        stores=JOB_STORES,
    )  # fmt: skip
