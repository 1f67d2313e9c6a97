"""Refreshing a saved sign-in and storing the rotated tokens in one keyring write.

Both stores hand out a new refresh token with every refresh and the old one
stops working soon after, so the new pair must be saved before it is used, as
one entry (never the access token without its refresh token). If another
process refreshed first, its pair is kept and returned instead.
"""

from __future__ import annotations

import logging

import httpx

from tiktok_console.stores.errors import AuthExpiredError
from tiktok_console.stores.oauth.flows import Clock, utc_now
from tiktok_console.stores.shopify import oauth as shopify_oauth
from tiktok_console.stores.tiktok import oauth as tiktok_oauth
from tiktok_console.stores.tokens import StoredTokens, TokenStore, account_key

log = logging.getLogger(__name__)


def _current(token_store: TokenStore, store: str, key: str) -> tuple[StoredTokens, str]:
    current = token_store.load(key)
    if current is None or not current.refresh_token:
        raise AuthExpiredError(store, f"no refresh token saved for {key}")
    return current, current.refresh_token


def _keep(token_store: TokenStore, key: str, old: str, new: StoredTokens) -> StoredTokens:
    if token_store.replace_refresh_token(key, old, new):
        log.debug("rotated tokens saved for %s", key)
        return new
    log.info("tokens for %s were refreshed elsewhere first; using those", key)
    return token_store.load(key) or new


async def refresh_shopify_tokens(
    http: httpx.AsyncClient,
    token_store: TokenStore,
    *,
    shop: str,
    shop_base_url: str,
    client_id: str,
    client_secret: str,
    now: Clock = utc_now,
) -> StoredTokens:
    """Renew a Shopify token and save it.

    An expiring offline token is refreshed and the rotated pair saved; a
    client-credentials token (a day long, no refresh token) is granted again.

    Raises:
        AuthExpiredError: nothing to refresh with, or Shopify refused (reconnect).
        SignInError: Shopify no longer accepts the app's client ID or secret.
    """
    key = account_key("shopify", shop)
    issued_at = now()
    saved = token_store.load(key)
    if saved is not None and saved.refresh_token is None:
        again = await shopify_oauth.client_credentials(
            http, shop_base_url, client_id, client_secret
        )
        tokens = again.stored(issued_at)
        token_store.save(key, tokens)  # nothing rotates: a parallel grant's token works too
        return tokens
    _, old = _current(token_store, "shopify", key)
    grant = await shopify_oauth.refresh(http, shop_base_url, client_id, client_secret, old)
    return _keep(token_store, key, old, grant.stored(issued_at))


async def refresh_tiktok_tokens(
    http: httpx.AsyncClient,
    token_store: TokenStore,
    *,
    open_id: str,
    auth_base_url: str,
    app_key: str,
    app_secret: str,
    now: Clock = utc_now,
) -> StoredTokens:
    """Refresh a TikTok Shop access token and save the rotated pair.

    The saved expiries are on ``now``'s clock (the lifetime TikTok gave, counted from
    when the reply arrived), whatever TikTok's own clock says.

    Raises:
        AuthExpiredError: nothing to refresh with, or the seller's grant ended.
    """
    key = account_key("tiktok", open_id)
    _, old = _current(token_store, "tiktok", key)
    grant = await tiktok_oauth.refresh(http, auth_base_url, app_key, app_secret, old)
    return _keep(token_store, key, old, grant.stored(now()))
