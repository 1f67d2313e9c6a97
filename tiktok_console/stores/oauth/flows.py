"""The whole browser sign-in for each store, from the consent page to tokens in the keyring.

A flow starts the loopback listener, builds the authorize URL with a fresh
``state``, hands it to an injected ``open_browser`` (the UI opens the system
browser; headless code and tests approve the sandbox's consent page over
HTTP), waits for the checked redirect (or for the address the merchant pastes
when the browser cannot reach the listener), trades the code for tokens,
checks the store's country against the other store's, and saves the tokens.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Generic, TypeVar

import httpx

from tiktok_console.stores.oauth.errors import RegionMismatchError, SignInError
from tiktok_console.stores.oauth.loopback import LoopbackListener, new_state
from tiktok_console.stores.shopify import oauth as shopify_oauth
from tiktok_console.stores.store_urls import check_shopify_url, check_tiktok_url
from tiktok_console.stores.tiktok import oauth as tiktok_oauth
from tiktok_console.stores.tokens import StoredTokens, TokenStore, account_key

log = logging.getLogger(__name__)

OpenBrowser = Callable[[str], Awaitable[object] | object]
"""Shows the authorize URL to the merchant (sync or async)."""
OnWaiting = Callable[[Callable[[str], None]], None]
"""Gets the function that takes a pasted redirect address, once the browser is sent."""
Connection = TypeVar("Connection")
Clock = Callable[[], datetime]
DEFAULT_TIMEOUT = 300.0


def utc_now() -> datetime:
    """The wall clock, aware UTC."""
    return datetime.now(UTC)


def check_region(tiktok_region: str, shopify_country: str) -> None:
    """Raise ``RegionMismatchError`` unless both stores sell in the same country."""
    if tiktok_region.strip().upper() != shopify_country.strip().upper():
        raise RegionMismatchError(tiktok_region, shopify_country)


async def _show(open_browser: OpenBrowser, url: str) -> None:
    outcome = open_browser(url)
    if inspect.isawaitable(outcome):
        await outcome


class _BrowserSignIn(Generic[Connection]):
    """What both stores' flows share: the listener, the state, the paste fallback."""

    store_name = ""

    def __init__(self, token_store: TokenStore, secret: str, timeout: float) -> None:
        self._store = token_store
        token_store.register_secret(secret)
        self.state = new_state()
        self.listener = LoopbackListener(
            self._validate, timeout=timeout, store_name=self.store_name
        )
        self.authorize_url = ""

    def _validate(self, params: Mapping[str, str]) -> None:
        raise NotImplementedError

    def _authorize_url(self, redirect_uri: str) -> str:
        raise NotImplementedError

    async def start(self) -> str:
        """Start listening; returns the URL to open in the browser.

        Raises:
            KeyringUnavailableError: before the browser opens, if tokens could not be kept.
        """
        self._store.check_available()
        redirect_uri = await self.listener.start()
        self.authorize_url = self._authorize_url(redirect_uri)
        return self.authorize_url

    async def finish(self) -> Connection:
        raise NotImplementedError

    async def run(
        self, open_browser: OpenBrowser, on_waiting: OnWaiting | None = None
    ) -> Connection:
        """Send the merchant to the consent page and finish once they approved.

        ``on_waiting`` receives ``complete_from_pasted_url``, for when the browser
        cannot reach the listener.
        """
        if on_waiting is not None:
            on_waiting(self.complete_from_pasted_url)
        await _show(open_browser, self.authorize_url)
        return await self.finish()

    def complete_from_pasted_url(self, url: str) -> None:
        """Finish with the address the browser ended on (when the redirect cannot arrive).

        Raises:
            ConsoleError: the address fails the same checks as a redirect.
        """
        self.listener.complete_from_pasted_url(url)

    async def close(self) -> None:
        """Stop listening."""
        await self.listener.close()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


# Shopify ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopifyConnection:
    """A connected Shopify store."""

    shop: str
    account_key: str
    tokens: StoredTokens
    scope: str
    shop_name: str
    country: str


class ShopifySignIn(_BrowserSignIn[ShopifyConnection]):
    """One Shopify sign-in in progress (``async with``, then ``finish()``).

    Args:
        shop: the myshopify domain (``harbor-and-pine.myshopify.com``).
        shop_base_url: where that shop answers (``https://<shop>``; the sandbox's URL).
        tiktok_region: the connected TikTok Shop's region, checked against the store.
        now: the clock token lifetimes start from (the sandbox's in tests that move
            time). The callback's freshness is checked against the wall clock:
            Shopify stamps the redirect with its own time.
    """

    store_name = "Shopify"

    def __init__(
        self,
        http: httpx.AsyncClient,
        token_store: TokenStore,
        *,
        shop: str,
        shop_base_url: str,
        client_id: str,
        client_secret: str,
        scopes: Sequence[str] = shopify_oauth.DEFAULT_SCOPES,
        expiring: bool = True,
        tiktok_region: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        now: Clock = utc_now,
    ) -> None:
        if not shopify_oauth.valid_shop_domain(shop):
            raise SignInError(
                f"{shop!r} is not a Shopify store address: it looks like your-store.myshopify.com."
            )
        check_shopify_url(shop_base_url, shop)  # before the secret can go anywhere
        super().__init__(token_store, client_secret, timeout)
        self._http = http
        self.shop = shop
        self._base = shop_base_url
        self._client_id = client_id
        self._secret = client_secret
        self._scopes = scopes
        self._expiring = expiring
        self._tiktok_region = tiktok_region
        self._now = now

    async def __aenter__(self) -> ShopifySignIn:
        await self.start()
        return self

    def _authorize_url(self, redirect_uri: str) -> str:
        return shopify_oauth.authorize_url(
            self._base, self._client_id, self._scopes, redirect_uri, self.state
        )

    def _validate(self, params: Mapping[str, str]) -> None:
        # Until it is exchanged the code is a credential: keep it out of the log,
        # from before any check (a refused redirect is logged too).
        self._store.register_secret(params.get("code"))
        shopify_oauth.validate_callback(
            params, self._secret, self.state, utc_now(), expected_shop=self.shop
        )

    async def finish(self) -> ShopifyConnection:
        """Wait for the redirect, get the tokens, check the country, save; the connection."""
        params = await self.listener.wait()
        log.debug("Shopify redirect accepted for %s", self.shop)
        issued_at = self._now()
        grant = await shopify_oauth.exchange_code(
            self._http, self._base, self._client_id, self._secret, params["code"], self._expiring
        )
        return await _save_shopify(
            self._http, self._store, self.shop, self._base, grant.stored(issued_at),
            grant.scope, self._tiktok_region, (self._client_id, self._secret),
        )  # fmt: skip


async def _save_shopify(
    http: httpx.AsyncClient,
    token_store: TokenStore,
    shop: str,
    shop_base_url: str,
    tokens: StoredTokens,
    scope: str,
    tiktok_region: str | None,
    app: tuple[str, str] | None,
) -> ShopifyConnection:
    token_store.check_available()  # before any store call: refuse early, save nothing
    token = tokens.access_token
    name = await shopify_oauth.shop_name(http, shop_base_url, token)
    country = await shopify_oauth.shop_country(http, shop_base_url, token)
    if tiktok_region is not None:
        check_region(tiktok_region, country)
    key = account_key("shopify", shop)
    if app is not None:
        token_store.save_app_secret("shopify", app[0], app[1])
    token_store.save(key, tokens)
    log.info("connected Shopify store %s (%s)", shop, country)
    return ShopifyConnection(shop, key, tokens, scope, name, country)


async def connect_shopify(
    http: httpx.AsyncClient,
    token_store: TokenStore,
    open_browser: OpenBrowser,
    *,
    shop: str,
    shop_base_url: str,
    client_id: str,
    client_secret: str,
    scopes: Sequence[str] = shopify_oauth.DEFAULT_SCOPES,
    expiring: bool = True,
    tiktok_region: str | None = None,
    redirect_timeout: float = DEFAULT_TIMEOUT,
    now: Clock = utc_now,
) -> ShopifyConnection:
    """Run the whole Shopify browser sign-in and save the tokens."""
    async with ShopifySignIn(
        http, token_store, shop=shop, shop_base_url=shop_base_url, client_id=client_id,
        client_secret=client_secret, scopes=scopes, expiring=expiring,
        tiktok_region=tiktok_region, timeout=redirect_timeout, now=now,
    ) as flow:  # fmt: skip
        return await flow.run(open_browser)


async def connect_shopify_client_credentials(
    http: httpx.AsyncClient,
    token_store: TokenStore,
    *,
    shop: str,
    shop_base_url: str,
    client_id: str,
    client_secret: str,
    tiktok_region: str | None = None,
    now: Clock = utc_now,
) -> ShopifyConnection:
    """Connect a custom app of the merchant's own with the client-credentials grant."""
    _check_shop(shop, shop_base_url)
    issued_at = now()
    grant = await shopify_oauth.client_credentials(http, shop_base_url, client_id, client_secret)
    return await _save_shopify(
        http, token_store, shop, shop_base_url, grant.stored(issued_at), grant.scope,
        tiktok_region, (client_id, client_secret),
    )  # fmt: skip


async def connect_shopify_custom_app_token(
    http: httpx.AsyncClient,
    token_store: TokenStore,
    *,
    shop: str,
    shop_base_url: str,
    access_token: str,
    tiktok_region: str | None = None,
) -> ShopifyConnection:
    """Connect with a pasted legacy custom-app token (``shpat_…``, never expires)."""
    _check_shop(shop, shop_base_url)
    token = access_token.strip()
    await shopify_oauth.validate_custom_app_token(http, shop_base_url, token)
    tokens = StoredTokens(access_token=token)
    return await _save_shopify(
        http, token_store, shop, shop_base_url, tokens, "", tiktok_region, None
    )


def _check_shop(shop: str, shop_base_url: str) -> None:
    if not shopify_oauth.valid_shop_domain(shop):
        raise SignInError(
            f"{shop!r} is not a Shopify store address: it looks like your-store.myshopify.com."
        )
    check_shopify_url(shop_base_url, shop)


# TikTok ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TikTokConnection:
    """A connected TikTok Shop."""

    open_id: str
    account_key: str
    tokens: StoredTokens
    seller_name: str
    shop: tiktok_oauth.TikTokShopInfo
    scopes: tuple[str, ...] = ()


class TikTokSignIn(_BrowserSignIn[TikTokConnection]):
    """One TikTok Shop sign-in in progress (``async with``, then ``finish()``).

    Args:
        authorize_link: the link Partner Center gives for the app.
        auth_base_url: the token host (``https://auth.tiktok-shops.com``).
        api_base_url: the Open API host.
        shopify_country: the connected Shopify store's country, checked against the shop.
        now: the clock the saved token lifetimes are counted on (the sandbox's in tests).
    """

    store_name = "TikTok Shop"

    def __init__(
        self,
        http: httpx.AsyncClient,
        token_store: TokenStore,
        *,
        authorize_link: str,
        auth_base_url: str,
        api_base_url: str,
        app_key: str,
        app_secret: str,
        shopify_country: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        now: Clock = utc_now,
        extra_hosts: Sequence[str] = (),
    ) -> None:
        for url in (authorize_link, auth_base_url, api_base_url):
            check_tiktok_url(url, extra_hosts)  # before the secret can go anywhere
        super().__init__(token_store, app_secret, timeout)
        self._http = http
        self._link = authorize_link
        self._api = api_base_url
        self._app_key = app_key
        self._secret = app_secret
        self._shopify_country = shopify_country
        self._now = now
        self.exchanger = tiktok_oauth.TikTokCodeExchanger(http, auth_base_url, app_key, app_secret)

    async def __aenter__(self) -> TikTokSignIn:
        await self.start()
        return self

    def _authorize_url(self, redirect_uri: str) -> str:
        return tiktok_oauth.authorize_url(self._link, self.state, redirect_uri)

    def _validate(self, params: Mapping[str, str]) -> None:
        self._store.register_secret(params.get("code"))  # before any check, as for Shopify
        self._store.register_secret(tiktok_oauth.validate_callback(params, self.state))

    async def finish(self) -> TikTokConnection:
        """Wait for the redirect, get the tokens and shop, check the region, save."""
        params = await self.listener.wait()
        return await self.complete_with_code(params["code"])

    async def complete_with_code(self, auth_code: str) -> TikTokConnection:
        """Exchange a checked auth code (once) and save the connection."""
        self._store.check_available()
        tokens = await self.exchanger.exchange(auth_code)
        shops = await tiktok_oauth.fetch_shops(
            self._http, self._api, self._app_key, self._secret, tokens.access_token
        )  # fmt: skip
        shop = self._pick_shop(shops)
        key = account_key("tiktok", tokens.open_id)
        self._store.save_app_secret("tiktok", self._app_key, self._secret)
        stored = tokens.stored(self._now())
        self._store.save(key, stored)
        log.info("connected TikTok Shop %s (%s)", shop.name, shop.region)
        return TikTokConnection(
            tokens.open_id, key, stored, tokens.seller_name, shop,
            tuple(tokens.granted_scopes),
        )  # fmt: skip

    def _pick_shop(self, shops: list[tiktok_oauth.TikTokShopInfo]) -> tiktok_oauth.TikTokShopInfo:
        if not shops:
            raise SignInError(
                "TikTok Shop authorized the app but listed no shop for it. Check the "
                "authorization in Seller Center and try again."
            )
        if self._shopify_country is None:
            return shops[0]
        for shop in shops:
            if shop.region.upper() == self._shopify_country.upper():
                return shop
        check_region(shops[0].region, self._shopify_country)
        return shops[0]  # unreachable: check_region raised


async def connect_tiktok(
    http: httpx.AsyncClient,
    token_store: TokenStore,
    open_browser: OpenBrowser,
    *,
    authorize_link: str,
    auth_base_url: str,
    api_base_url: str,
    app_key: str,
    app_secret: str,
    shopify_country: str | None = None,
    redirect_timeout: float = DEFAULT_TIMEOUT,
    now: Clock = utc_now,
) -> TikTokConnection:
    """Run the whole TikTok Shop browser sign-in and save the tokens."""
    async with TikTokSignIn(
        http, token_store, authorize_link=authorize_link, auth_base_url=auth_base_url,
        api_base_url=api_base_url, app_key=app_key, app_secret=app_secret,
        shopify_country=shopify_country, timeout=redirect_timeout, now=now,
    ) as flow:  # fmt: skip
        return await flow.run(open_browser)
