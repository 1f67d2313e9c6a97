"""A connected store, as the console remembers it: everything but the secrets.

Tokens and app secrets live in the OS keyring under ``account_key``; this
record holds what the merchant sees (shop, region, scopes, expiry) and what a
client needs to reach the store again (URLs, app id, shop cipher).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from tiktok_console.domain.store_health import StoreHealth

StoreKind = Literal["shopify", "tiktok"]
STORE_KINDS: tuple[StoreKind, ...] = ("shopify", "tiktok")
STORE_TITLES: dict[StoreKind, str] = {"shopify": "Shopify", "tiktok": "TikTok Shop"}


@dataclass(frozen=True)
class Account:
    """One connected store.

    Attributes:
        account_key: the keyring entry of its tokens.
        shop: the myshopify domain, or the TikTok shop id.
        region: the store's country (ISO code); both stores must share it.
        app_id: the Shopify client id or the TikTok app key.
        api_url: the Shopify shop's base URL, or the TikTok Open API host.
        auth_url: the TikTok token host (empty for Shopify).
        authorize_url: the TikTok authorization link (empty for Shopify).
        open_id: the TikTok seller's open id (empty for Shopify).
        shop_cipher: the TikTok shop cipher (empty for Shopify).
        expiring: whether the Shopify token expires and is refreshed.
        demo: a sandbox store of demo mode (its tokens live in memory only).
    """

    store: StoreKind
    account_key: str
    shop: str
    shop_name: str
    region: str
    scopes: tuple[str, ...]
    app_id: str
    api_url: str
    connected_at: datetime
    token_expires_at: datetime | None = None
    auth_url: str = ""
    authorize_url: str = ""
    open_id: str = ""
    shop_cipher: str = ""
    expiring: bool = False
    demo: bool = False
    last_success_at: datetime | None = None
    last_error: str = ""
    health: StoreHealth = field(
        default_factory=StoreHealth
    )  # decided from the calls made (any process's)

    @property
    def title(self) -> str:
        """The store's name as the merchant knows it."""
        return STORE_TITLES[self.store]
