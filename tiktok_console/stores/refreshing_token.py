"""An access token that renews itself before it expires, once for all callers.

Both stores issue expiring tokens (TikTok: 7 days; Shopify expiring offline
tokens: 60 minutes). Many calls may notice expiry at the same moment; a lock
makes exactly one of them refresh, and the others use its result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class TokenGrant:
    """An access token and when it stops working (None: it does not expire)."""

    access_token: str
    expires_at: datetime | None
    refresh_token: str | None = None
    refresh_expires_at: datetime | None = None


Refresher = Callable[[TokenGrant], Awaitable[TokenGrant]]
Persister = Callable[[TokenGrant], None]


class RefreshingToken:
    """Hands out a valid access token, refreshing ahead of expiry or on demand.

    Args:
        grant: the current tokens.
        refresh: gets a new grant from the store, given the current one.
        persist: stores a new grant (the keyring) before it is used.
        margin: refresh this long before expiry.
        now: the clock (tests pass the sandbox's).
    """

    def __init__(
        self,
        grant: TokenGrant,
        refresh: Refresher,
        persist: Persister,
        *,
        margin: timedelta = timedelta(minutes=5),
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._grant = grant
        self._refresh = refresh
        self._persist = persist
        self._margin = margin
        self._now = now
        self._lock = asyncio.Lock()
        self.refresh_count = 0

    @property
    def grant(self) -> TokenGrant:
        """The tokens in use now."""
        return self._grant

    async def access_token(self) -> str:
        """A token that is valid for at least ``margin`` more."""
        if not self._expiring(self._grant):
            return self._grant.access_token
        return await self._renew(stale=self._grant.access_token)

    async def renew(self, stale: str) -> str:
        """A new token after the store refused ``stale``; refreshes once for all callers."""
        return await self._renew(stale=stale)

    async def _renew(self, stale: str) -> str:
        async with self._lock:
            if self._grant.access_token != stale and not self._expiring(self._grant):
                return self._grant.access_token  # another caller already refreshed
            grant = await self._refresh(self._grant)
            self._persist(grant)
            self._grant = grant
            self.refresh_count += 1
            return grant.access_token

    def _expiring(self, grant: TokenGrant) -> bool:
        return grant.expires_at is not None and grant.expires_at - self._margin <= self._now()
