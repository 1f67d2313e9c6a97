"""Build a ``World`` from the real simulated stores.

The one place that knows the constructors of both stores, their authorities,
limits and apps; ``world.py`` stays about what a world is, so tests can also
build worlds from stand-ins.
"""

from __future__ import annotations

from tiktok_console.sandbox.catalog import generate_catalog
from tiktok_console.sandbox.clock import SandboxClock
from tiktok_console.sandbox.shopify.app import ShopifyAuthority, ShopifyLimits, create_app
from tiktok_console.sandbox.shopify.store import ShopifyStore
from tiktok_console.sandbox.tiktok.api_app import TikTokLimits, create_api_app
from tiktok_console.sandbox.tiktok.auth import TikTokAuthority
from tiktok_console.sandbox.tiktok.auth_app import create_auth_app
from tiktok_console.sandbox.tiktok.shop import TikTokShop
from tiktok_console.sandbox.world import Credentials, StoreApps, World, WorldOptions
from tiktok_console.sandbox.world_date import WorldDate


def build_world(options: WorldOptions) -> World:
    """A fresh world: the same options always give the same catalog, stores and credentials."""
    clock = SandboxClock(start=options.clock_start, speed=options.clock_speed)
    catalog = generate_catalog(
        options.seed, options.products, options.region, unlisted_share=options.unlisted_share
    )
    creds = Credentials.from_seed(options.seed)

    shopify = ShopifyStore.from_catalog(
        catalog,
        clock,
        shop_domain=options.shop_domain,
        plan=options.shopify_plan,
        dev_store=options.dev_store,
        index_lag_seconds=options.index_lag_seconds,
        seed=options.seed,
    )
    shopify.fulfillment_delay = options.warehouse_minutes * 60
    shopify_authority = ShopifyAuthority(
        creds.shopify_client_id,
        creds.shopify_client_secret,
        clock,
        expiring_ttl=options.shopify_expiring_ttl,
        client_credentials_ttl=options.shopify_client_credentials_ttl,
        refresh_ttl=options.shopify_refresh_ttl,
    )
    shopify_limits = ShopifyLimits(plan=options.shopify_plan)

    tiktok = TikTokShop.from_catalog(
        catalog,
        clock,
        seed=options.seed,
        initial_orders=options.orders,
        orders_per_minute=options.orders_per_minute,
        livestream=options.livestream,
        remorse_window=int(options.hold_minutes * 60),
        orphan_rate=options.orphan_rate,
        settle_days=options.settle_days,
        seller_center_share=options.seller_center_ship_share,
        finance_discrepancies=options.finance_discrepancies,
        showcase=options.showcase,
        daily_listing_cap=options.daily_listing_cap,
    )
    tiktok_authority = TikTokAuthority(
        creds.tiktok_app_key,
        creds.tiktok_app_secret,
        creds.tiktok_service_id,
        clock,
        access_ttl=options.tiktok_access_ttl,
        refresh_ttl=options.tiktok_refresh_ttl,
    )
    tiktok_limits = TikTokLimits(qps=options.tiktok_qps)

    apps = StoreApps(
        shopify=WorldDate(create_app(shopify, shopify_authority, shopify_limits), clock),
        tiktok_api=WorldDate(create_api_app(tiktok, tiktok_authority, tiktok_limits), clock),
        tiktok_auth=WorldDate(create_auth_app(tiktok, tiktok_authority), clock),
    )
    return World(
        options=options,
        clock=clock,
        catalog=catalog,
        credentials=creds,
        shopify=shopify,
        tiktok=tiktok,
        apps=apps,
        shopify_limits=shopify_limits,
        tiktok_limits=tiktok_limits,
        livestream=options.livestream,
    )
