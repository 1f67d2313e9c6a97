"""Connecting and disconnecting the two stores.

Wraps the sign-in flows of ``stores.oauth``: the tokens go to the keyring (the
flows save them), and the account record (shop, region, scopes, expiry, where
to reach it) goes to the database. Each store's region is checked against the
other's, so a UK TikTok Shop is never paired with a US Shopify store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from tiktok_console.core.errors import ConsoleError
from tiktok_console.domain.accounts import Account, StoreKind
from tiktok_console.storage.accounts import (
    delete_account,
    load_account,
    load_accounts,
    save_account,
)
from tiktok_console.stores.oauth.flows import (
    Clock,
    OnWaiting,
    OpenBrowser,
    ShopifyConnection,
    ShopifySignIn,
    TikTokConnection,
    TikTokSignIn,
    connect_shopify_client_credentials,
    connect_shopify_custom_app_token,
    utc_now,
)
from tiktok_console.stores.oauth.headless import consent_approver
from tiktok_console.stores.tokens import TokenStore

log = logging.getLogger(__name__)

PasteTarget = Callable[[str], None]
"""Takes the address the browser ended on, when the redirect cannot reach the console."""


class AccountService:
    """Connects, lists and disconnects the stores of one profile.

    Args:
        token_store: where tokens and app secrets go (the OS keyring, or memory in demo).
        http: the HTTP client the sign-in flows use.
        now: the clock (the sandbox's in tests).
    """

    def __init__(
        self, token_store: TokenStore, http: httpx.AsyncClient, now: Clock = utc_now
    ) -> None:
        self.token_store = token_store
        self._http = http
        self._now = now

    def accounts(self) -> dict[StoreKind, Account]:
        """Every connected store."""
        return load_accounts()

    async def connect_shopify(
        self,
        open_browser: OpenBrowser,
        *,
        shop: str,
        shop_base_url: str,
        client_id: str,
        client_secret: str,
        expiring: bool = True,
        demo: bool = False,
        redirect_timeout: float = 300.0,
        on_waiting: OnWaiting | None = None,
    ) -> Account:
        """Sign in to Shopify in the browser; returns the saved account.

        ``on_waiting`` receives a function that takes a pasted redirect address,
        for when the browser cannot reach the console's listener.
        """
        tiktok = load_account("tiktok")
        async with ShopifySignIn(
            self._http, self.token_store, shop=shop, shop_base_url=shop_base_url,
            client_id=client_id, client_secret=client_secret, expiring=expiring,
            tiktok_region=tiktok.region if tiktok else None, timeout=redirect_timeout,
            now=self._now,
        ) as flow:  # fmt: skip
            connection = await flow.run(open_browser, on_waiting)
        account = _shopify_account(
            connection, shop_base_url, client_id, expiring, demo, self._now()
        )
        self._replace("shopify", account)
        return account

    async def connect_tiktok(
        self,
        open_browser: OpenBrowser,
        *,
        authorize_link: str,
        auth_url: str,
        api_url: str,
        app_key: str,
        app_secret: str,
        demo: bool = False,
        redirect_timeout: float = 300.0,
        on_waiting: OnWaiting | None = None,
    ) -> Account:
        """Sign in to TikTok Shop in the browser; returns the saved account."""
        shopify = load_account("shopify")
        async with TikTokSignIn(
            self._http, self.token_store, authorize_link=authorize_link, auth_base_url=auth_url,
            api_base_url=api_url, app_key=app_key, app_secret=app_secret,
            shopify_country=shopify.region if shopify else None, timeout=redirect_timeout,
            now=self._now, extra_hosts=_hosts(authorize_link, auth_url, api_url) if demo else (),
        ) as flow:  # fmt: skip
            connection = await flow.run(open_browser, on_waiting)
        account = _tiktok_account(
            connection, authorize_link, auth_url, api_url, app_key, demo, self._now()
        )
        self._replace("tiktok", account)
        return account

    async def connect_shopify_client_credentials(
        self, *, shop: str, shop_base_url: str, client_id: str, client_secret: str
    ) -> Account:
        """Connect the merchant's own custom app with the client-credentials grant (no browser).

        Its token lasts a day and has no refresh token; sessions re-run the grant.
        """
        tiktok = load_account("tiktok")
        connection = await connect_shopify_client_credentials(
            self._http, self.token_store, shop=shop, shop_base_url=shop_base_url,
            client_id=client_id, client_secret=client_secret,
            tiktok_region=tiktok.region if tiktok else None, now=self._now,
        )  # fmt: skip
        account = _shopify_account(connection, shop_base_url, client_id, True, False, self._now())
        self._replace("shopify", account)
        return account

    async def connect_shopify_token(
        self, *, shop: str, shop_base_url: str, access_token: str
    ) -> Account:
        """Connect with a pasted custom-app Admin API token (``shpat_…``)."""
        tiktok = load_account("tiktok")
        connection = await connect_shopify_custom_app_token(
            self._http, self.token_store, shop=shop, shop_base_url=shop_base_url,
            access_token=access_token, tiktok_region=tiktok.region if tiktok else None,
        )  # fmt: skip
        account = _shopify_account(connection, shop_base_url, "", False, False, self._now())
        self._replace("shopify", account)
        return account

    async def connect_sandbox(
        self, info: Mapping[str, Any], *, demo: bool = False
    ) -> list[Account]:
        """Connect both sandbox stores through the real flows, approving their consent pages.

        ``info`` is the JSON line ``tiktok-console sandbox --print-json`` prints.
        """
        approve = consent_approver(self._http)
        shopify, tiktok = info["shopify"], info["tiktok"]
        first = await self.connect_shopify(
            approve, shop=shopify["shop"], shop_base_url=shopify["url"],
            client_id=shopify["client_id"], client_secret=shopify["client_secret"], demo=demo,
            redirect_timeout=30,
        )  # fmt: skip
        second = await self.connect_tiktok(
            approve, authorize_link=tiktok["authorize_url"], auth_url=tiktok["auth_url"],
            api_url=tiktok["api_url"], app_key=tiktok["app_key"], app_secret=tiktok["app_secret"],
            demo=demo, redirect_timeout=30,
        )  # fmt: skip
        return [first, second]

    def disconnect(self, store: StoreKind) -> list[str] | None:
        """Forget ``store``: delete every keyring entry of it, then its record.

        Returns:
            None when no such store is connected; else the entries that could
            not be removed, each with why (empty when all were). The record is
            forgotten either way, so the console stops using the store.
        """
        account = load_account(store)
        if account is None:
            return None
        failures: list[str] = []
        tokens = self.token_store
        entries: list[tuple[str, Callable[[], None]]] = [
            (f"sign-in {account.account_key}", lambda: tokens.delete(account.account_key))
        ]
        if account.app_id and not any(
            a.app_id == account.app_id for a in load_accounts().values() if a.store != store
        ):
            app_id = account.app_id
            entries.append(
                (f"app secret of {app_id}", lambda: tokens.delete_app_secret(store, app_id))
            )
        for what, delete in entries:
            try:
                delete()
            except ConsoleError as error:
                failures.append(f"{what} ({error.detail or error.message})")
        delete_account(store)
        log.info("Disconnected %s (%s)", account.title, account.shop)
        if failures:
            log.warning("Could not remove from the keyring: %s", "; ".join(failures))
        return failures

    def _replace(self, store: StoreKind, account: Account) -> None:
        previous = load_account(store)
        if previous is not None and previous.account_key != account.account_key:
            self.token_store.delete(previous.account_key)  # a different shop replaces the old
        save_account(account)
        log.info("Connected %s: %s (%s)", account.title, account.shop_name, account.region)


def _hosts(*urls: str) -> tuple[str, ...]:
    """The demo's sandbox hosts, which extend the TikTok allow-list in demo mode only."""
    return tuple(urlsplit(url).hostname or "" for url in urls)


def _shopify_account(
    connection: ShopifyConnection,
    base_url: str,
    client_id: str,
    expiring: bool,
    demo: bool,
    now: datetime,
) -> Account:
    return Account(
        store="shopify",
        account_key=connection.account_key,
        shop=connection.shop,
        shop_name=connection.shop_name,
        region=connection.country,
        scopes=tuple(s for s in connection.scope.split(",") if s),
        app_id=client_id,
        api_url=base_url,
        connected_at=now.astimezone(UTC),
        token_expires_at=connection.tokens.access_expires_at,
        expiring=expiring,
        demo=demo,
        last_success_at=now.astimezone(UTC),
    )


def _tiktok_account(
    connection: TikTokConnection,
    authorize_link: str,
    auth_url: str,
    api_url: str,
    app_key: str,
    demo: bool,
    now: datetime,
) -> Account:
    return Account(
        store="tiktok",
        account_key=connection.account_key,
        shop=connection.shop.id,
        shop_name=connection.shop.name,
        region=connection.shop.region,
        scopes=connection.scopes,
        app_id=app_key,
        api_url=api_url,
        connected_at=now.astimezone(UTC),
        token_expires_at=connection.tokens.access_expires_at,
        auth_url=auth_url,
        authorize_url=authorize_link,
        open_id=connection.open_id,
        shop_cipher=connection.shop.cipher,
        demo=demo,
        last_success_at=now.astimezone(UTC),
    )
