"""The sandbox TikTok Shop: shop state, seller authorization and the signed Open API.

``TikTokShop`` holds the simulated shop (products, orders arriving over time,
after-sales, finance); ``TikTokAuthority`` issues auth codes and tokens;
``create_auth_app`` and ``create_api_app`` serve them over HTTP.
"""

from tiktok_console.sandbox.tiktok.api_app import TikTokLimits, create_api_app
from tiktok_console.sandbox.tiktok.auth import TikTokAuthority
from tiktok_console.sandbox.tiktok.auth_app import create_auth_app
from tiktok_console.sandbox.tiktok.shop import TikTokShop

__all__ = ["TikTokAuthority", "TikTokLimits", "TikTokShop", "create_api_app", "create_auth_app"]
