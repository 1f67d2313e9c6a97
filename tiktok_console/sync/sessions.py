"""Clients for the connected stores, with tokens that renew themselves and stay saved.

A session is what a sync job or an action uses to talk to a store: the
transport, its self-renewing token (refreshed through the store, the rotated
pair written to the keyring in one piece), and the account it belongs to.
Each successful or failed refresh is noted on the account for the Accounts page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from tiktok_console.domain.accounts import Account
from tiktok_console.storage.accounts import record_token_expiry
from tiktok_console.stores.call_results import CallObserver
from tiktok_console.stores.errors import AuthExpiredError
from tiktok_console.stores.oauth.refresh import refresh_shopify_tokens, refresh_tiktok_tokens
from tiktok_console.stores.refreshing_token import RefreshingToken, TokenGrant
from tiktok_console.stores.retry import RetryPolicy
from tiktok_console.stores.shopify.transport import ShopifyApiConfig, ShopifyTransport
from tiktok_console.stores.tiktok.transport import TikTokApiConfig, TikTokTransport
from tiktok_console.stores.tokens import StoredTokens, TokenStore

log = logging.getLogger(__name__)


@dataclass
class Clocks:
    """The clock sessions judge token lifetimes by (the sandbox's in tests that move time).

    Requests are always signed with the wall clock: TikTok checks a request's
    ``timestamp`` against its own, whatever day a test has moved the sandbox to.
    """

    now: Callable[[], datetime] = lambda: datetime.now(UTC)


def _grant(tokens: StoredTokens) -> TokenGrant:
    return TokenGrant(
        tokens.access_token,
        tokens.access_expires_at,
        tokens.refresh_token,
        tokens.refresh_expires_at,
    )


def _saved_tokens(token_store: TokenStore, account: Account) -> StoredTokens:
    tokens = token_store.load(account.account_key)
    if tokens is None:
        raise AuthExpiredError(account.store, f"no saved sign-in for {account.account_key}")
    return tokens


def _app_secret(token_store: TokenStore, account: Account) -> str:
    secret = token_store.load_app_secret(account.store, account.app_id)
    if secret is None:
        raise AuthExpiredError(account.store, f"no app secret saved for {account.app_id}")
    return secret


def shopify_session(
    account: Account,
    token_store: TokenStore,
    http: httpx.AsyncClient,
    clocks: Clocks | None = None,
    config: ShopifyApiConfig | None = None,
    observer: CallObserver | None = None,
) -> ShopifyTransport:
    """A Shopify client for ``account`` whose token renews itself.

    ``observer`` hears how each call ended (the store's health follows it).
    """
    clocks = clocks or Clocks()

    async def refresh(_: TokenGrant) -> TokenGrant:
        if not account.expiring:
            raise AuthExpiredError("shopify", "the token does not expire and was refused")
        tokens = await refresh_shopify_tokens(
            http, token_store, shop=account.shop, shop_base_url=account.api_url,
            client_id=account.app_id, client_secret=_app_secret(token_store, account),
            now=clocks.now,
        )  # fmt: skip
        return _grant(tokens)

    token = RefreshingToken(
        _grant(_saved_tokens(token_store, account)),
        refresh,
        persist=lambda grant: record_token_expiry("shopify", grant.expires_at),
        now=clocks.now,
    )
    config = config or ShopifyApiConfig(base_url=account.api_url)
    return ShopifyTransport(config, token, http, observer=observer)


def tiktok_session(
    account: Account,
    token_store: TokenStore,
    http: httpx.AsyncClient,
    clocks: Clocks | None = None,
    observer: CallObserver | None = None,
    retry: RetryPolicy | None = None,
) -> TikTokTransport:
    """A TikTok Shop client for ``account``, scoped to its shop, whose token renews itself.

    ``observer`` hears how each call ended; ``retry`` replaces the default policy.
    """
    clocks = clocks or Clocks()
    secret = _app_secret(token_store, account)

    async def refresh(held: TokenGrant) -> TokenGrant:
        saved = token_store.load(account.account_key)
        if (
            saved is not None
            and saved.access_token != held.access_token
            and not saved.access_expired(clocks.now())
        ):
            return _grant(saved)  # another session refreshed: its grant replaced ours
        tokens = await refresh_tiktok_tokens(
            http, token_store, open_id=account.open_id, auth_base_url=account.auth_url,
            app_key=account.app_id, app_secret=secret, now=clocks.now,
        )  # fmt: skip
        return _grant(tokens)

    token = RefreshingToken(
        _grant(_saved_tokens(token_store, account)),
        refresh,
        persist=lambda grant: record_token_expiry("tiktok", grant.expires_at),
        now=clocks.now,
    )
    config = TikTokApiConfig(
        app_key=account.app_id, api_base_url=account.api_url, retry=retry or RetryPolicy()
    )
    return TikTokTransport(
        config, secret, token, shop_cipher=account.shop_cipher, http=http, observer=observer
    )
