"""Tokens and the shops a token may act for.

``AccessTokenGrant`` is the token host's answer (both expiry fields are Unix
times of expiry, not durations); ``AuthorizedShop.cipher`` is what every
shop-scoped call sends as ``shop_cipher``.
"""

from __future__ import annotations

from pydantic import Field

from tiktok_console.stores.tiktok.models.common import IdStr, TikTokModel, UnixTime

SELLER_TYPES = frozenset({"CROSS_BORDER", "LOCAL"})


class AccessTokenGrant(TikTokModel):
    """``data`` of Get Token / Refresh Token."""

    access_token: str
    access_token_expire_in: UnixTime
    refresh_token: str
    refresh_token_expire_in: UnixTime
    open_id: str = ""
    seller_name: str = ""
    seller_base_region: str = ""
    user_type: int = 0
    granted_scopes: list[str] = Field(default_factory=list)


class AuthorizedShop(TikTokModel):
    """A shop the seller authorized for the app."""

    id: IdStr
    name: str = ""
    region: str = ""
    seller_type: str = ""
    cipher: str
    code: str = ""


class AuthorizedShops(TikTokModel):
    """Get Authorized Shops."""

    shops: list[AuthorizedShop] = Field(default_factory=list)


class AssetCategory(TikTokModel):
    """What a category asset is for."""

    id: int = 0
    name: str = ""


class CategoryAsset(TikTokModel):
    """A non-shop asset the seller authorized (customer support, say)."""

    cipher: str = ""
    target_market: str = ""
    category: AssetCategory = Field(default_factory=AssetCategory)


class CategoryAssets(TikTokModel):
    """Get Authorized Category Assets."""

    category_assets: list[CategoryAsset] = Field(default_factory=list)
