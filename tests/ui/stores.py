"""Both stores recorded as connected, for page tests that need "connected" (no sign-in)."""

from datetime import UTC, datetime

from tiktok_console.storage.tables import AccountRow


def connect_both(shop: str = "harbor-and-pine.myshopify.com", region: str = "US") -> None:
    """Record a Shopify store and a TikTok shop as connected (as a sign-in would)."""
    now = datetime.now(UTC)
    AccountRow.create(store="shopify", account_key="s", shop=shop, region=region,
                      connected_at=now)  # fmt: skip
    AccountRow.create(store="tiktok", account_key="t", shop="7000", region=region,
                      connected_at=now)  # fmt: skip
